/**
 * The one port factory: wires the domain's ports to AWS (or to the emulators, through the same SDK
 * endpoints) for every Lambda function, local mode's containers, tests and local tools alike.
 */
import { defaultTable, type TableRef } from '../data/client';
import { userIdByEmail } from '../data/mail-repo';
import type { ChatDeps } from '../domain/chat/chat';
import type { Deps } from '../domain/kernel/deps';
import { config, ConfigurationError } from './config';
import type { RepositoryPort } from './repository-ports';
import { systemIds } from './ids';

/** Every port a function may have: the domain's, and chat's (CHAT-1..3). */
export type AppDeps = Deps & Pick<ChatDeps, 'chats' | 'connections' | 'timers'>;

export type RepositoryBuilders = { [K in RepositoryPort]: (table: TableRef) => Deps[K] };

/**
 * The ports whose clients only some functions need (SES and nodemailer, postal-mime, the SNS
 * topic and push, Cognito, the mail and chat-timer queues, the WebSocket management API, the
 * reply keyring's Secrets Manager client, and the chat repository with chat's rules). A function gets the builders of its bindings alone
 * (lib/function-specs.ts, portModulesOf): each ./ports/<binding>.ts installs its builder, and
 * the function's bundle, local container or test loader loads exactly those modules, so esbuild
 * leaves the others' code out. Using a port the function is not bound to is a 500 that names it.
 */
export interface PortBuilders {
  mailer?: () => Deps['mailer'];
  /** MAIL_DOMAIN by default: a function that names a From needs the binding. */
  mailDomain?: () => string;
  mime?: () => Deps['mime'];
  replyKeys?: Deps['replyKeys'];
  integration?: () => Deps['integration'];
  push?: () => Deps['push'];
  mailQueue?: () => Deps['mailQueue'];
  deliveryQueue?: () => Deps['deliveryQueue'];
  /** Given the directory's lookup by address (local mode's sign-in directory is the directory). */
  userAccounts?: (userIdByEmail: (email: string) => Promise<string | undefined>) => Deps['userAccounts'];
  /** Given the table: the chat repository (CHAT-1..3), for the functions granted chat items. */
  chats?: (table: TableRef) => AppDeps['chats'];
  connections?: () => AppDeps['connections'];
  timers?: () => AppDeps['timers'];
  /** The attachments bucket (MAIL-2, CASE-6). */
  files?: () => Deps['files'];
  /** Given the table: the repositories this function's code uses. */
  repositories?: Partial<RepositoryBuilders>;
}

const installed: PortBuilders = {};

/** Called by ./ports/<binding>.ts as it loads: this function is bound to that port. */
export const installPorts = ({ repositories, ...builders }: PortBuilders): void => {
  Object.assign(installed, builders);
  if (repositories) installed.repositories = { ...installed.repositories, ...repositories };
};

const unwired = (port: string) =>
  new ConfigurationError(
    `the ${port} port is not wired into this function: its binding (lib/function-specs.ts) loads lambdas/adapters/ports/<binding>.ts`,
  );

/** Built on first use and kept; a build that throws is retried on the next use. */
const once = <T>(build: () => T): (() => T) => {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
};

/**
 * Every port over `table`, each built when first touched: a function gets only the environment
 * its bindings give it, so GET /health, which has no table, must never build the table's
 * repositories. A port whose configuration is missing throws a ConfigurationError when used (a
 * 500 with the reason in the log), instead of defaulting. `overrides` replace ports outright
 * (tests: a clock, a recording mailer).
 */
export const buildDeps = (table: () => TableRef, builders: PortBuilders, overrides: Partial<AppDeps> = {}): AppDeps => {
  const own = <K extends keyof PortBuilders>(port: K): NonNullable<PortBuilders[K]> => {
    const builder = builders[port];
    if (!builder) throw unwired(port);
    return builder as NonNullable<PortBuilders[K]>;
  };
  const repository = <K extends RepositoryPort>(port: K): Deps[K] => {
    const builder = builders.repositories?.[port] as RepositoryBuilders[K] | undefined;
    if (!builder) throw unwired(port);
    return builder(table());
  };
  const lazy: { [K in keyof AppDeps]: () => AppDeps[K] } = {
    clock: () => ({ now: () => new Date() }),
    ids: () => systemIds,
    directory: () => repository('directory'),
    cases: () => repository('cases'),
    sessions: () => repository('sessions'),
    waiting: () => repository('waiting'),
    subscriptions: () => repository('subscriptions'),
    favorites: () => repository('favorites'),
    mailer: () => own('mailer')(),
    mailDomain: () => (builders.mailDomain ?? config.mailDomain)(),
    mail: () => repository('mail'),
    mime: () => own('mime')(),
    // A function, read on first use: functions that never sign or verify a token need no keyring.
    replyKeys: () => builders.replyKeys ?? (() => Promise.reject(unwired('replyKeys'))),
    outbox: () => repository('outbox'),
    mailLog: () => repository('mailLog'),
    mailQueue: () => own('mailQueue')(),
    integration: () => own('integration')(),
    monitoring: () => repository('monitoring'),
    notes: () => repository('notes'),
    push: () => own('push')(),
    deliveryQueue: () => own('deliveryQueue')(),
    accessRequests: () => repository('accessRequests'),
    userAccounts: () => own('userAccounts')((email) => userIdByEmail(table(), email)),
    rateLimits: () => repository('rateLimits'),
    attachments: () => repository('attachments'),
    files: () => own('files')(),
    chats: () => own('chats')(table()),
    connections: () => own('connections')(),
    timers: () => own('timers')(),
  };
  const deps = {} as AppDeps;
  for (const [port, build] of Object.entries(lazy) as [keyof AppDeps, () => unknown][]) {
    let get = port in overrides ? () => overrides[port] : once(build);
    // Assignable like a plain object's field (a test may swap a port after building).
    const set = (value: unknown) => {
      get = () => value as AppDeps[typeof port];
    };
    Object.defineProperty(deps, port, { get: () => get(), set, enumerable: true, configurable: true });
  }
  return deps;
};

let deps: AppDeps | undefined;

/** This function's ports: one set per container, with the builders its bindings installed. */
export const appDeps = (): AppDeps => (deps ??= buildDeps(defaultTable, installed));

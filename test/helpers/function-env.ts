/**
 * Handlers as AWS runs them: each with exactly its function's environment (lib/function-specs.ts,
 * the spec CDK deploys), in its own module registry so no cache built by another function's
 * environment carries over (a variable AWS lacks must be missing in tests too).
 *
 *   const getHealth = loadHandlerWithEnv('get-health');
 *   const res = await getHealth(apiEvent({ routeKey: 'GET /health' }), lambdaContext);
 */
import * as clientCognito from '@aws-sdk/client-cognito-identity-provider';
import * as clientDynamodb from '@aws-sdk/client-dynamodb';
import * as clientSes from '@aws-sdk/client-ses';
import * as clientSns from '@aws-sdk/client-sns';
import * as libDynamodb from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import type { ApiEvent, ApiResult } from '../../lambdas/http/middleware';
import {
  allFunctionSpecs,
  functionEnvironment,
  portModulesOf,
  type BindingValues,
  type FunctionBindings,
} from '../../lib/function-specs';

/** The values behind every binding in tests. */
export const TEST_BINDINGS: BindingValues = {
  stage: 'test',
  tableName: 'casework-test',
  cursorSecret: { value: 'test-cursor-secret' },
  mailDomain: 'casework.test',
  clients: { web: 'casework-web', mobile: 'casework-mobile' },
  replyKeys: { value: JSON.stringify({ current: 't1', keys: { t1: Buffer.alloc(32, 7).toString('base64') } }) },
  inbound: { bucket: 'casework-inbound-test', prefix: 'inbound/' },
  attachmentsBucket: 'casework-attachments-test',
  topicArn: 'arn:aws:sns:eu-west-1:000000000000:casework-test',
  push: {
    apns: 'arn:aws:sns:eu-west-1:000000000000:app/APNS/casework-test',
    fcm: 'arn:aws:sns:eu-west-1:000000000000:app/GCM/casework-test',
  },
  chatConnectionsUrl: 'https://chat.execute-api.eu-west-1.amazonaws.com/test',
  chatTimerQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/000000000000/casework-chat-timers-test',
  // A pool id as AWS names them: handler tests reach Cognito (aws-sdk-client-mock), as in AWS.
  userPoolId: 'eu-west-1_TestPool1',
  mailQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/000000000000/casework-mail-test',
  mailRetry: { baseSeconds: 20, capSeconds: 600 },
  deliveryQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/000000000000/casework-delivery-test',
};

/** What the Lambda runtime itself provides; tests never reach AWS, so dummy credentials. */
const runtimeEnvironment = (name: string): Record<string, string> => ({
  AWS_REGION: 'eu-west-1',
  AWS_DEFAULT_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_LAMBDA_FUNCTION_NAME: `casework-test-${name}`,
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT',
  // EMF metric lines (lambdas/adapters/metrics.ts) stay out of test output.
  POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
});

/** The environment `name` runs with, optionally with other bindings than its spec's. */
export const environmentOf = (name: string, bindings?: FunctionBindings): Record<string, string> => {
  const spec = allFunctionSpecs().get(name);
  if (!spec) throw new Error(`No function ${name} in lib/function-specs.ts`);
  return { ...runtimeEnvironment(name), ...functionEnvironment(bindings ?? spec, TEST_BINDINGS) };
};

const replaceEnv = (env: Record<string, string | undefined>) => {
  for (const key of Object.keys(process.env)) delete process.env[key];
  for (const [key, value] of Object.entries(env)) if (value !== undefined) process.env[key] = value;
};

/** Runs `fn` with process.env exactly `env`, and puts the previous environment back after. */
export const withEnvironment = async <T>(env: Record<string, string>, fn: () => T | Promise<T>): Promise<T> => {
  const saved = { ...process.env };
  replaceEnv(env);
  try {
    return await fn();
  } finally {
    replaceEnv(saved);
  }
};

/**
 * The SDK packages the handler shares with the test, so that aws-sdk-client-mock's stubs (set on
 * the test's copies of the client classes) apply to it; they hold no configuration of ours.
 */
const SHARED: Record<string, unknown> = {
  '@aws-sdk/client-cognito-identity-provider': clientCognito,
  '@aws-sdk/client-dynamodb': clientDynamodb,
  '@aws-sdk/client-ses': clientSes,
  '@aws-sdk/client-sns': clientSns,
  '@aws-sdk/lib-dynamodb': libDynamodb,
};

export type HttpHandler = (event: ApiEvent, context: Context) => Promise<ApiResult>;

/**
 * The handler of function `name` (`get-health`, `run-sweep`), loaded in a fresh module registry
 * and invoked with exactly its environment each time. `bindings` replaces the spec's, to show
 * what a handler does with a binding it lacks.
 */
export const loadHandlerWithEnv = <H = HttpHandler>(
  name: string,
  options: {
    bindings?: FunctionBindings;
    /** What local mode adds to a function's environment: the emulators' AWS_ENDPOINT_URL_<SERVICE>. */
    endpoints?: Record<string, string>;
  } = {},
): H => {
  const spec = allFunctionSpecs().get(name)!;
  const env = {
    ...environmentOf(name, options.bindings),
    ...Object.fromEntries(Object.entries(options.endpoints ?? {}).map(([service, url]) => [`AWS_ENDPOINT_URL_${service}`, url])),
  };
  let handler: ((...args: unknown[]) => unknown) | undefined;
  const saved = { ...process.env };
  replaceEnv(env);
  try {
    jest.isolateModules(() => {
      for (const [id, mod] of Object.entries(SHARED)) jest.doMock(id, () => mod);
      // The ports its bindings give it (portModulesOf), as its bundle and local container load them.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      for (const m of portModulesOf(options.bindings ?? spec)) require(`../../lambdas/${m}`);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      handler = (require(`../../lambdas/${spec.module}`) as { handler: typeof handler }).handler;
    });
  } finally {
    for (const id of Object.keys(SHARED)) jest.dontMock(id);
    replaceEnv(saved);
  }
  if (typeof handler !== 'function') throw new Error(`lambdas/${spec.module}.ts does not export a handler`);
  const loaded = handler;
  return ((...args: unknown[]) => withEnvironment(env, () => loaded(...args))) as H;
};

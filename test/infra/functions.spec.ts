import * as fs from 'node:fs';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { KEY_PREFIX } from '../../lambdas/data/keys';
import { TABLE } from '../../lambdas/data/table';
import {
  FUNCTION_READS,
  grantsOf,
  readsOf,
  SWEEP_WRITES,
  WRITE_ACTIONS as WRITE_ACTION_NAMES,
  type ReadGrant,
  type WritePattern,
} from '../../lambdas/data/writes';
import { ROUTES, routeKey, writesOf, type RouteDef } from '../../lambdas/http/routes';
import { CaseworkFunction } from '../../lib/constructs/casework-function';
import { allFunctionSpecs, portModulesOf } from '../../lib/function-specs';
import { built, logicalId, resourcesOf, type Built } from './synth';

const routes: readonly RouteDef[] = ROUTES;
const WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

interface Statement {
  Action: string | string[];
  Effect: string;
  Resource: unknown;
  Condition?: unknown;
}

const roleStatements = (b: Built, fn: IFunction): Statement[] => {
  const roleId = logicalId(fn.role!);
  return Object.values(resourcesOf(b.appTemplate, 'AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
};
const statementsOf = (b: Built, handler: string): Statement[] => roleStatements(b, b.appStack.httpApi.functions.get(handler)!);
const actionsOf = (statements: Statement[]): string[] => statements.flatMap((s) => [s.Action].flat());
const allStatements = (b: Built): Statement[] =>
  Object.values(resourcesOf(b.appTemplate, 'AWS::IAM::Policy')).flatMap(
    (p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
const leadingKeysOf = (s: Statement): unknown =>
  (s.Condition as Record<string, Record<string, unknown>> | undefined)?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];

/** A function's DynamoDB statements, as `action -> LeadingKeys patterns` ('table' for unfenced reads). */
const isRead = (s: Statement) => actionsOf([s]).includes('dynamodb:GetItem');
const tableGrantsOf = (statements: Statement[]) => {
  const dynamo = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
  const onIndexes = dynamo.filter((s) => JSON.stringify(s.Resource).includes('/index/'));
  const onTable = dynamo.filter((s) => !JSON.stringify(s.Resource).includes('/index/'));
  const writes = onTable.filter((s) => !isRead(s));
  return {
    index: onIndexes.map((s) => actionsOf([s]).sort()),
    indexes: onIndexes.flatMap((s) => [s.Resource].flat().map((r) => /\/index\/(\w+)/.exec(JSON.stringify(r))?.[1])).sort(),
    read: onTable.filter(isRead).map((s) => ({ actions: actionsOf([s]).sort(), keys: leadingKeysOf(s) ?? 'wholeTable' })),
    writes: Object.fromEntries(writes.filter((s) => s.Condition).map((s) => [actionsOf([s]).join(','), leadingKeysOf(s)])),
    conditions: writes.filter((s) => s.Condition).map((s) => Object.keys(s.Condition as object)),
  };
};

/** What the declaration (route table / SWEEP_WRITES / FUNCTION_READS in lambdas/data/writes.ts) says the role holds. */
const declared = (writes: readonly WritePattern[], reads: ReadGrant) => ({
  index: reads.indexes.length ? [['dynamodb:Query']] : [],
  indexes: reads.indexes.map((i) => TABLE.indexes[i].name).sort(),
  read: reads.items.length
    ? [{ actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'], keys: reads.items.map((p) => `${p}*`) }]
    : [],
  writes: Object.fromEntries(
    Object.entries(grantsOf(writes)).map(([action, prefixes]) => [`dynamodb:${action}`, prefixes.map((p) => `${p}*`)]),
  ),
  conditions: Object.keys(grantsOf(writes)).map(() => ['ForAllValues:StringLike']),
});

const ALL_WRITE_ACTIONS = WRITE_ACTION_NAMES.map((a) => `dynamodb:${a}`);
const envOf = (b: Built, handler: string): Record<string, unknown> => {
  const fn = b.appStack.httpApi.functions.get(handler)!;
  const res = b.appTemplate.toJSON().Resources[logicalId(fn)];
  return res.Properties.Environment.Variables;
};

describe.each(['dev', 'prod'] as const)('every function (%s)', (stage) => {
  // Route functions; the scheduled sweep has its own timeout and its own tests (schedules.spec.ts).
  const functions = () => {
    const b = built(stage);
    const ids = new Set([...b.appStack.httpApi.functions.values()].map((f) => logicalId(f)));
    return Object.entries(resourcesOf(b.appTemplate, 'AWS::Lambda::Function')).filter(([id]) => ids.has(id));
  };

  it('there is one function per handler module of the route table', () => {
    expect(functions()).toHaveLength(new Set(routes.map((r) => r.handler)).size);
  });

  it('runs Node.js 24 on arm64, 512 MB, 10 s, traced, with source maps', () => {
    for (const [, fn] of functions()) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: 512,
        Timeout: 10,
        TracingConfig: { Mode: 'Active' },
        Handler: 'index.handler',
        Environment: {
          Variables: expect.objectContaining({
            NODE_OPTIONS: '--enable-source-maps',
            POWERTOOLS_SERVICE_NAME: 'casework',
            STAGE: stage,
          }),
        },
      });
    }
  });

  it(`logs to its own log group, kept ${stage === 'prod' ? '6 months and retained' : '1 month'}`, () => {
    const resources = built(stage).appTemplate.toJSON().Resources;
    const seen = new Set<string>();
    for (const [, fn] of functions()) {
      const ref = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(seen.has(ref)).toBe(false);
      seen.add(ref);
      expect(resources[ref]).toMatchObject({
        Type: 'AWS::Logs::LogGroup',
        Properties: { RetentionInDays: stage === 'prod' ? 180 : 30 },
        DeletionPolicy: stage === 'prod' ? 'Retain' : 'Delete',
      });
    }
  });

  it('roles carry no AWS-managed policies, and only X-Ray gets Resource "*" (besides the one raw-mail prefix, the attachment prefixes and the chat stage\'s @connections)', () => {
    const { appTemplate, appStack } = built(stage);
    // receive-mail reads keys SES chooses, under one prefix (test/infra/inbound-mail.spec.ts).
    const rawMailPrefix = JSON.stringify({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(appStack.inboundMail.bucket), 'Arn'] }, `/${appStack.inboundMail.prefix}*`]],
    });
    for (const [, role] of Object.entries(resourcesOf(appTemplate, 'AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
    // MAIL-2, CASE-6: files are keyed per case and id, under the binding's prefixes of the one
    // attachments bucket (test/infra/attachments.spec.ts).
    const filesBucket = logicalId(appStack.attachments.bucket);
    const attachmentPrefix = (r: unknown): boolean =>
      (Array.isArray(r) ? r : [r]).every((one) =>
        ['uploads/', 'mail/', 'quarantine/'].some(
          (p) => JSON.stringify(one) === JSON.stringify({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [filesBucket, 'Arn'] }, `/${p}*`]] }),
        ),
      );
    const starred = Object.values(resourcesOf(appTemplate, 'AWS::IAM::Policy'))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((s) => JSON.stringify(s.Resource).includes('*') && JSON.stringify(s.Resource) !== rawMailPrefix)
      .filter((s) => !attachmentPrefix(s.Resource))
      // Chat: connection ids are API Gateway's; ManageConnections on the one stage's @connections
      // of the one chat API (test/infra/chat-api.spec.ts).
      .filter(
        (s) =>
          !(
            JSON.stringify(s.Action) === '"execute-api:ManageConnections"' &&
            JSON.stringify(s.Resource).includes(logicalId(appStack.chat.api)) &&
            JSON.stringify(s.Resource).endsWith(`/${stage}/*/@connections/*"]]}`)
          ),
      );
    expect(new Set(actionsOf(starred))).toEqual(new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']));
  });
});

describe('least privilege, per route (table access from the route table)', () => {
  const cases = routes.map((r) => [routeKey(r), r.table, r] as const);

  it.each(cases)('%s (table: %s)', (_key, access, route) => {
    const b = built();
    const statements = statementsOf(b, route.handler);
    const actions = actionsOf(statements);
    const env = envOf(b, route.handler);
    const dynamo = actions.filter((a) => a.startsWith('dynamodb:'));
    const secretRef = { Ref: logicalId(b.appStack.cursorSecret) };

    if (access === 'none') {
      expect(dynamo).toEqual([]);
      expect(env.TABLE_NAME).toBeUndefined();
      expect(actions.filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
      return;
    }
    expect(env.TABLE_NAME).toBeDefined();
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    // A read route's only writes are the ACC-10 session touch, fenced to SESSION# items (schedules.spec.ts),
    // and its caller's snapshot, fenced to CALLER# items.
    const unfenced = actionsOf(statements.filter((s) => !s.Condition));
    for (const a of WRITE_ACTIONS) expect(unfenced).not.toContain(a);
    const fenced = statements.filter((s) => s.Condition && actionsOf([s]).some((a) => WRITE_ACTIONS.includes(a)));
    // A write route writes more than its session item.
    const fencedTo = fenced.flatMap((s) => leadingKeysOf(s) as string[]);
    if (access === 'write') expect(fencedTo.filter((k) => k !== 'SESSION#*' && k !== 'CALLER#*').length).toBeGreaterThan(0);
    else expect(new Set(fencedTo)).toEqual(new Set(['SESSION#*', 'CALLER#*']));
    expect(actions).not.toContain('dynamodb:*');
    expect(actions).not.toContain('dynamodb:Scan');

    // Indexes are named one by one; nothing may touch "<table>/index/*".
    expect(JSON.stringify(statements)).not.toContain('/index/*');

    // Every function that reads the table signs or checks cursors: the key, and only the key;
    // routes that send case mail also sign reply tokens (MAIL-1): that keyring as well.
    expect(env.CURSOR_SECRET_ARN).toEqual(secretRef);
    const replyKeysRef = { Ref: logicalId(b.appStack.replyKeys) };
    const secretStatements = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('secretsmanager:')));
    expect(secretStatements.map((s) => s.Resource)).toEqual(
      route.sendsMail || route.signsReplies ? [secretRef, replyKeysRef] : [secretRef],
    );
    expect(env.REPLY_TOKEN_SECRET_ARN).toEqual(route.sendsMail || route.signsReplies ? replyKeysRef : undefined);
  });

  it.each(routes.map((r) => [routeKey(r), r] as const))('%s: knows the web and mobile client ids (PRIV-2)', (_k, route) => {
    const b = built();
    const env = envOf(b, route.handler);
    expect(env.WEB_CLIENT_ID).toEqual({ Ref: logicalId(b.appStack.identity.web) });
    expect(env.MOBILE_CLIENT_ID).toEqual({ Ref: logicalId(b.appStack.identity.mobile) });
  });
});

/**
 * The IAM table of the README: per function, the write actions and the key prefixes they are
 * fenced to. By design: creating POSTs store idempotency records, set-member-level writes
 * the user's membership and the organisation's items, read routes write only session items and
 * their caller's snapshot (CALLER#, PutItem only); the writes that change a caller invalidate its
 * snapshot (UpdateItem CALLER#).
 */
const IAM_TABLE: Record<string, Record<string, string[]>> = {
  'accept-terms': { PutItem: ['CALLER#'], UpdateItem: ['CALLER#', 'SESSION#', 'USER#'] },
  'update-settings': { PutItem: ['CALLER#'], UpdateItem: ['CALLER#', 'ORG#', 'SESSION#', 'USER#'] },
  // RATE#: the per-user rate-limit windows of case creation, updates and case mail.
  'create-case': { PutItem: ['CALLER#', 'CASE#', 'IDEMPOTENCY#', 'REF#'], UpdateItem: ['COUNTER#', 'RATE#', 'SESSION#'] },
  // Case mail leaves through the stream and the mail queue; these routes send none (no MSGID#).
  'create-update': { PutItem: ['CALLER#', 'CASE#', 'IDEMPOTENCY#'], UpdateItem: ['CASE#', 'RATE#', 'SESSION#'] },
  'patch-case': { PutItem: ['CALLER#', 'CASE#'], UpdateItem: ['RATE#', 'SESSION#'] },
  // MAIL-2, CASE-6: the pending file and the uploader's attachment set, in the case's partition.
  'create-attachment': { PutItem: ['CALLER#', 'CASE#'], UpdateItem: ['CASE#', 'RATE#', 'SESSION#'] },
  'list-attachments': { PutItem: ['CALLER#'], UpdateItem: ['SESSION#'] },
  'get-attachment': { PutItem: ['CALLER#'], UpdateItem: ['SESSION#'] },
  // An upload's status, settled once it is checked.
  'check-attachment': { UpdateItem: ['CASE#'] },
  'request-escalation': { PutItem: ['CALLER#', 'CASE#', 'IDEMPOTENCY#'], UpdateItem: ['SESSION#'] },
  'decide-escalation': { PutItem: ['CALLER#', 'CASE#', 'IDEMPOTENCY#'], UpdateItem: ['SESSION#'] },
  'request-closure': { PutItem: ['CALLER#', 'CASE#', 'IDEMPOTENCY#'], UpdateItem: ['SESSION#'] },
  // CASE-7: a declined closure is mailed to its requester: the mail's intent, written with the decision.
  'decide-closure': { PutItem: ['CALLER#', 'CASE#', 'IDEMPOTENCY#', 'MAILJOB#'], UpdateItem: ['SESSION#'] },
  'reopen-case': { PutItem: ['CALLER#', 'CASE#', 'IDEMPOTENCY#'], UpdateItem: ['SESSION#'] },
  'set-member-level': { PutItem: ['CALLER#', 'ORG#', 'USER#'], UpdateItem: ['CALLER#', 'ORG#', 'SESSION#'] },
  // ACC-4: the combination with its contracts, the contract's pointer, the org's events and membership version,
  // and the snapshots of the callers holding a membership on it.
  'set-contract-status': { PutItem: ['CALLER#', 'CONTRACT#', 'ORG#'], UpdateItem: ['CALLER#', 'ORG#', 'SESSION#'] },
  'get-me': { PutItem: ['CALLER#'], UpdateItem: ['SESSION#'] },
  'list-cases': { PutItem: ['CALLER#'], UpdateItem: ['SESSION#'] },
  'get-case': { PutItem: ['CALLER#'], UpdateItem: ['SESSION#'] },
  'list-updates': { PutItem: ['CALLER#'], UpdateItem: ['SESSION#'] },
  'get-update': { PutItem: ['CALLER#'], UpdateItem: ['SESSION#'] },
  'list-history': { PutItem: ['CALLER#'], UpdateItem: ['SESSION#'] },
  'list-case-mail': { PutItem: ['CALLER#'], UpdateItem: ['SESSION#'] },
  'search-cases': { PutItem: ['CALLER#'], UpdateItem: ['SESSION#'] },
  'list-shortfall': { PutItem: ['CALLER#'], UpdateItem: ['SESSION#'] },
  'list-inbound-mail': { PutItem: ['CALLER#'], UpdateItem: ['SESSION#'] },
  // MAIL-4: a release attaches a held message: its outcome, fingerprint, the case and its update.
  'release-inbound-mail': { PutItem: ['CALLER#', 'CASE#', 'CONTENT#', 'INBOUND#'], UpdateItem: ['SESSION#'] },
  'list-accounts': { PutItem: ['CALLER#'], UpdateItem: ['SESSION#'] },
  'get-account': { PutItem: ['CALLER#'], UpdateItem: ['SESSION#'] },
  'list-favorites': { PutItem: ['CALLER#'], UpdateItem: ['SESSION#'] },
  'put-account-subscription': { PutItem: ['CALLER#'], UpdateItem: ['ORG#', 'SESSION#'] },
  'put-case-subscription': { DeleteItem: ['CASE#'], PutItem: ['CALLER#'], UpdateItem: ['CASE#', 'SESSION#'] },
  'delete-case-subscription': { DeleteItem: ['CASE#'], PutItem: ['CALLER#'], UpdateItem: ['CASE#', 'SESSION#'] },
  'put-favorite': { PutItem: ['CALLER#', 'USER#'], UpdateItem: ['CASE#', 'SESSION#', 'USER#'] },
  'delete-favorite': { DeleteItem: ['CASE#', 'USER#'], PutItem: ['CALLER#'], UpdateItem: ['CASE#', 'SESSION#', 'USER#'] },
  'list-alarms': { PutItem: ['CALLER#'], UpdateItem: ['SESSION#'] },
  'list-incidents': { PutItem: ['CALLER#'], UpdateItem: ['SESSION#'] },
  'list-maintenance': { PutItem: ['CALLER#'], UpdateItem: ['SESSION#'] },
  'get-case-subscription': { PutItem: ['CALLER#'], UpdateItem: ['SESSION#'] },
  'list-devices': { PutItem: ['CALLER#'], UpdateItem: ['SESSION#'] },
  'ingest-alarms': { PutItem: ['MONITOR#'] },
  // ACC-1, ACC-4: organisations, combinations, contracts' pointers, events and membership versions; machines have no session.
  'ingest-directory': { PutItem: ['CONTRACT#', 'ORG#'], UpdateItem: ['CALLER#', 'ORG#'] },
  'ingest-incidents': { PutItem: ['MONITOR#'] },
  'ingest-maintenance': { PutItem: ['MONITOR#'] },
  'list-notifications': { PutItem: ['CALLER#'], UpdateItem: ['SESSION#'] },
  // NOTE-1: the device with the device lists it changes (its new and former owner's), the oldest past the cap deleted.
  'register-device': {
    ConditionCheckItem: ['DEVICE#', 'DEVICELIST#'],
    DeleteItem: ['DEVICE#'],
    PutItem: ['CALLER#', 'DEVICE#', 'DEVICELIST#'],
    UpdateItem: ['DEVICELIST#', 'SESSION#'],
  },
  'delete-device': {
    ConditionCheckItem: ['DEVICELIST#'],
    DeleteItem: ['DEVICE#'],
    PutItem: ['CALLER#'],
    UpdateItem: ['DEVICELIST#', 'SESSION#'],
  },
  // MAILJOB#: the code mail's intent, in the request's own transaction.
  'create-access-request': { PutItem: ['ACCESSREQ#', 'MAILJOB#'], UpdateItem: ['RATE#'] },
  // The approvers' and the decision's mail intents, in the transaction of the change.
  'confirm-access-request': { PutItem: ['CASE#', 'MAILJOB#', 'REF#'], UpdateItem: ['ACCESSREQ#', 'COUNTER#'] },
  'list-access-requests': { PutItem: ['CALLER#'], UpdateItem: ['SESSION#'] },
  'decide-access-request': {
    PutItem: ['CALLER#', 'CASE#', 'MAILJOB#', 'USER#'],
    UpdateItem: ['ACCESSREQ#', 'CALLER#', 'SESSION#', 'USER#'],
  },
  'get-health': {},
  'get-openapi': {},
  'get-terms': {},
  // FLAG-2: the overdue mail intents (MAILJOB#) are written with the flag.
  sweep: { PutItem: ['CASE#', 'MAILJOB#'], UpdateItem: ['ACCESSREQ#', 'CASE#'] },
  // NOTE-1, NOTE-2: the notifier's ledger and the `queued` entries of the mail it queues; recipients are the delivery function's.
  notify: { DeleteItem: ['OUTBOX#'], PutItem: ['MAILLOG#', 'OUTBOX#'], UpdateItem: ['OUTBOX#'] },
  // Each recipient's claim, a chunk's inbox items in batches, disabled devices, the mail it queues.
  deliver: {
    BatchWriteItem: ['INBOX#'],
    ConditionCheckItem: ['DEVICELIST#'],
    DeleteItem: ['DEVICE#', 'OUTBOX#'],
    PutItem: ['MAILLOG#', 'OUTBOX#'],
    UpdateItem: ['DEVICELIST#', 'OUTBOX#'],
  },
  // The mail queue's consumer: its ledger, SES's message ids, the per-case mail log.
  'send-mail': { DeleteItem: ['OUTBOX#'], PutItem: ['CALLER#', 'MAILLOG#', 'MSGID#', 'OUTBOX#'], UpdateItem: ['OUTBOX#'] },
  // MAIL-3 answers are intents (MAILJOB#) written with their once-a-day claim.
  'receive-mail': {
    DeleteItem: ['INBOUND#'],
    PutItem: ['AUTOREPLY#', 'CALLER#', 'CASE#', 'CONTENT#', 'INBOUND#', 'MAILJOB#', 'MSGID#'],
  },
  // Chat: the ticket route stores tickets; the authorizer only consumes them; the chat functions
  // write connections, chats, availability, and the case (transcript update, callback number) with
  // the mail those cause as intents (MAILJOB#, no SES), and a waiting chat's
  // organisation event (ORG#, NOTE-1: the notifier tells the case's owner and group).
  'create-chat-ticket': { PutItem: ['CALLER#', 'WSTICKET#'], UpdateItem: ['SESSION#'] },
  'chat-authorize': { DeleteItem: ['WSTICKET#'] },
  'chat-socket': {
    DeleteItem: ['AVAIL#', 'CHAT#', 'WSCONN#'],
    PutItem: ['AVAIL#', 'CALLER#', 'CASE#', 'CHAT#', 'MAILJOB#', 'ORG#', 'WSCONN#'],
    UpdateItem: ['CASE#', 'CHAT#', 'WSCONN#'],
  },
  'chat-timer': {
    DeleteItem: ['AVAIL#', 'CHAT#', 'WSCONN#'],
    PutItem: ['AVAIL#', 'CALLER#', 'CASE#', 'CHAT#', 'MAILJOB#', 'ORG#', 'WSCONN#'],
    UpdateItem: ['CASE#', 'CHAT#', 'WSCONN#'],
  },
};

describe.each(['dev', 'prod'] as const)('IAM: writes fenced by key prefix, per function (%s)', (stage) => {
  const handlers = [...new Set(routes.map((r) => r.handler))];

  it.each(handlers)('%s holds exactly the grants its routes declare', (handler) => {
    const b = built(stage);
    const served = routes.filter((r) => r.handler === handler);
    const grants = tableGrantsOf(statementsOf(b, handler));
    if (served.every((r) => r.table === 'none')) {
      expect(grants).toEqual({ index: [], indexes: [], read: [], writes: {}, conditions: [] });
      return;
    }
    expect(grants).toEqual(declared(served.flatMap(writesOf), readsOf(handler)));
  });

  it('FLAG-1: the sweep holds exactly the grants of SWEEP_WRITES', () => {
    const b = built(stage);
    expect(tableGrantsOf(roleStatements(b, b.appStack.schedules.sweep))).toEqual(declared(SWEEP_WRITES, readsOf('sweep')));
  });

  it('the grants are the IAM table of the README', () => {
    const b = built(stage);
    const fns: [string, IFunction][] = [
      ...b.appStack.httpApi.functions.entries(),
      ['sweep', b.appStack.schedules.sweep],
      ['receive-mail', b.appStack.inboundMail.receiveMail],
      ['notify', b.appStack.notifier.function],
      ['deliver', b.appStack.delivery.function],
      ['deliver', b.appStack.delivery.function],
      ['send-mail', b.appStack.mail.function],
      ['chat-authorize', b.appStack.chat.authorizerFunction],
      ['chat-socket', b.appStack.chat.socketFunction],
      ['chat-timer', b.appStack.chat.timerFunction],
      ['check-attachment', b.appStack.attachments.checkAttachment],
    ];
    const table = Object.fromEntries(
      fns.map(([name, fn]) => [
        name,
        Object.fromEntries(
          Object.entries(tableGrantsOf(roleStatements(b, fn)).writes).map(([action, keys]) => [
            action.replace('dynamodb:', ''),
            (keys as string[]).map((k) => k.replace(/\*$/, '')),
          ]),
        ),
      ]),
    );
    expect(table).toEqual(IAM_TABLE);
  });

  it('no statement anywhere grants dynamodb:Scan, dynamodb:* or a whole-table write', () => {
    const statements = allStatements(built(stage));
    const actions = actionsOf(statements);
    expect(actions.filter((a) => a.startsWith('dynamodb:')).length).toBeGreaterThan(0);
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions).not.toContain('dynamodb:*');
    const prefixes = Object.values(KEY_PREFIX).map((p) => `${p}*`);
    for (const s of statements.filter((st) => actionsOf([st]).some((a) => ALL_WRITE_ACTIONS.includes(a)))) {
      // One write action per statement, fenced to item prefixes of keys.ts and nothing else.
      expect(actionsOf([s])).toHaveLength(1);
      expect(s.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': expect.any(Array) } });
      const keys = leadingKeysOf(s) as string[];
      expect(keys.length).toBeGreaterThan(0);
      for (const k of keys) expect(prefixes).toContain(k);
    }
  });
});

/**
 * Reads fenced per function. Each role's read statement is what FUNCTION_READS declares (above,
 * per handler); here, what the fence must mean whatever the declaration says: no function reads
 * the whole table or an index it does not name; machine and anonymous callers read no user's
 * profile or case; the ticket authorizer reads nothing; the notifier reads no inbox, session,
 * Reference ID or inbound mail.
 */
describe('IAM: reads fenced by key prefix, per function', () => {
  const fns = (b: Built): [string, IFunction][] => [
    ...b.appStack.httpApi.functions.entries(),
    ['sweep', b.appStack.schedules.sweep],
    ['receive-mail', b.appStack.inboundMail.receiveMail],
    ['notify', b.appStack.notifier.function],
    ['deliver', b.appStack.delivery.function],
    ['send-mail', b.appStack.mail.function],
    ['chat-authorize', b.appStack.chat.authorizerFunction],
    ['chat-socket', b.appStack.chat.socketFunction],
    ['chat-timer', b.appStack.chat.timerFunction],
    ['check-attachment', b.appStack.attachments.checkAttachment],
  ];
  const readKeys = (b: Built, fn: IFunction) => tableGrantsOf(roleStatements(b, fn)).read.map((r) => r.keys);

  it('every function of the app holds exactly its declared reads, and every function has a declaration', () => {
    const b = built('prod');
    for (const [name, fn] of fns(b)) {
      const want = declared([], readsOf(name));
      const got = tableGrantsOf(roleStatements(b, fn));
      expect({ name, read: got.read, indexes: got.indexes }).toEqual({ name, read: want.read, indexes: want.indexes });
    }
    expect(Object.keys(FUNCTION_READS).sort()).toEqual(
      fns(b)
        .map(([n]) => n)
        .sort(),
    );
  });

  it('no function reads the whole table: every read statement on the table is fenced by dynamodb:LeadingKeys', () => {
    const b = built('prod');
    const whole = fns(b)
      .filter(([, fn]) => readKeys(b, fn).includes('wholeTable'))
      .map(([n]) => n);
    expect(whole).toEqual([]);
  });

  it('NOTE-1: the notifier reads cases, people, organisations, its ledger and devices by person, and nothing else', () => {
    const b = built('prod');
    const got = tableGrantsOf(roleStatements(b, b.appStack.notifier.function));
    expect(got.read).toEqual([
      {
        actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'],
        keys: ['CALLER#*', 'CASE#*', 'ORG#*', 'OUTBOX#*', 'USER#*'],
      },
    ]);
    expect(got.indexes).toEqual([TABLE.indexes.byPerson.name]);
  });

  it('machine ingestion and the anonymous access request read no profile, case or session; the authorizer reads nothing', () => {
    const b = built('prod');
    const f = b.appStack.httpApi.functions;
    for (const name of ['ingest-alarms', 'ingest-incidents', 'ingest-maintenance', 'create-access-request']) {
      const keys = readKeys(b, f.get(name)!).flat() as string[];
      expect({ name, keys: keys.filter((k) => ['USER#*', 'CASE#*', 'SESSION#*', 'INBOX#*'].includes(k)) }).toEqual({
        name,
        keys: [],
      });
    }
    expect(tableGrantsOf(roleStatements(b, b.appStack.chat.authorizerFunction)).read).toEqual([]);
    // NOTE-3: only the inbox route reads inbox items.
    const inboxReaders = fns(b)
      .filter(([, fn]) => (readKeys(b, fn).flat() as string[]).includes('INBOX#*'))
      .map(([n]) => n);
    expect(inboxReaders).toEqual(['list-notifications']);
  });
});

describe('the route table declares writes', () => {
  it.each(routes.map((r) => [routeKey(r), r] as const))('%s: writes are given exactly when table is write', (_k, route) => {
    expect((route.writes ?? []).length > 0).toBe(route.table === 'write');
  });
});

// The bundles themselves, as CDK stages them, are checked on the CLI's bundling synth
// (scripts/check-assets.ts in `npm run test:synth`): building every function again here cost a
// third esbuild build per run.
describe('bundling', () => {
  it.each([...allFunctionSpecs().values()].map((s) => [s.name, s] as const))(
    "%s: its bundle is given exactly its bindings' port modules, and each exists",
    (_name, spec) => {
      const injected = CaseworkFunction.portsFor(spec.module);
      expect(injected).toEqual(portModulesOf(spec).map(CaseworkFunction.entryFor));
      for (const file of injected) expect(fs.existsSync(file)).toBe(true);
    },
  );
});

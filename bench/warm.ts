/**
 * Benchmark 2: the warm cost of the HTTP wrapper (middy chain, claims, caller and permission,
 * Terms gate, zod validation, reply mapping) per invocation, with the DynamoDB client mocked by
 * aws-sdk-client-mock. GET /cases/{caseNumber} runs through its real handler; the same domain
 * call (getCase over the same mocked client) runs bare; the wrapper's cost is the difference of
 * their medians. Interleaved batches, after a warm-up, so the JIT and GC hit both alike.
 */
import { registerHooks } from 'node:module';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { Context } from 'aws-lambda';
import { allFunctionSpecs, functionEnvironment } from '../lib/function-specs';
import { SNAPSHOT_FORMAT } from '../lambdas/data/directory-repo';
import { BENCH_BINDINGS, envInt, median, percentile, runAlone, type Section, table } from './lib';

const GOAL_US = 50;

// @middy/core 7 exports only an `import` condition; handlers here are CommonJS under tsx, as in
// local mode's workers (local/function-worker.ts), which resolve it the same way.
registerHooks({
  resolve: (specifier, context, next) =>
    specifier.startsWith('@middy/') && !context.conditions?.includes('import')
      ? next(specifier, { ...context, conditions: [...(context.conditions ?? []), 'import'] })
      : next(specifier, context),
});

const user = [
  {
    PK: 'USER#u-dana',
    SK: 'PROFILE',
    userId: 'u-dana',
    email: 'dana@acme.example',
    name: 'Dana',
    timeZone: 'UTC',
    termsVersion: '2026-10-01',
    settings: { defaultList: 'all', notifications: {} },
  },
  {
    PK: 'USER#u-dana',
    SK: 'MEMBER#ORG-ACME#ORG-ACME',
    userId: 'u-dana',
    orgId: 'ORG-ACME',
    soldToOrgId: 'ORG-ACME',
    level: 'designated',
    via: 'direct',
  },
];
const org = {
  PK: 'ORG#ORG-ACME',
  SK: 'ORG',
  orgId: 'ORG-ACME',
  name: 'Acme Corp',
  type: 'customer',
  region: 'US',
  timeZone: 'UTC',
  gdpr: false,
  fedramp: false,
  alarmMonitoring: false,
  deployments: [{ productLine: 'Genesys Cloud CX', hosting: 'cloud' }],
};
const combination = {
  PK: 'ORG#ORG-ACME',
  SK: 'COMBINATION#ORG-ACME',
  endUserOrgId: 'ORG-ACME',
  soldToOrgId: 'ORG-ACME',
  contracts: [{ contractId: 'c', status: 'active' }],
};
const kase = {
  PK: 'CASE#00001001',
  SK: 'CASE',
  entity: 'case',
  caseNumber: '00001001',
  referenceId: 'BENCH00001001ABC',
  kind: 'support',
  subject: 'Calls drop after 30 seconds',
  description: 'Since the upgrade, outbound calls drop after about 30 seconds.',
  severity: 'high',
  status: 'open',
  orgId: 'ORG-ACME',
  soldToOrgId: 'ORG-ACME',
  orgName: 'Acme Corp',
  productLine: 'Genesys Cloud CX',
  supportGroup: 'Cloud CX Support',
  ownerId: 'u-alice',
  contactId: 'u-dana',
  contactName: 'Dana',
  contactEmail: 'dana@acme.example',
  createdAt: '2026-11-01T10:00:00.000Z',
  updatedAt: '2026-11-02T10:00:00.000Z',
  version: 3,
  needsAction: false,
};

export const runWarm = async (): Promise<Omit<Section, 'seconds'>> => {
  const iterations = envInt('BENCH_WARM_ITERATIONS', 20_000);
  const spec = allFunctionSpecs().get('get-case')!;
  Object.assign(process.env, functionEnvironment(spec, BENCH_BINDINGS), {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  const ddb = mockClient(DynamoDBDocumentClient);
  ddb.on(QueryCommand).resolves({ Items: user });
  ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: { SK: string }[] }> }) => {
    const [tableName, req] = Object.entries(input.RequestItems)[0]!;
    return { Responses: { [tableName]: req.Keys.map((k) => (k.SK === 'ORG' ? org : combination)) } };
  });
  // The caller's snapshot, warm (its steady state: one GetItem resolves the caller); the case otherwise.
  const strip = ({ PK: _pk, SK: _sk, ...rest }: Record<string, unknown>) => rest;
  const snapshot = {
    PK: 'CALLER#u-dana',
    SK: 'CALLER',
    gen: 0,
    builtAt: Date.now(),
    snapshot: JSON.stringify({
      format: SNAPSHOT_FORMAT,
      user: strip(user[0]!),
      memberships: [strip(user[1]!)],
      orgs: [strip(org)],
      combinations: [strip(combination)],
    }),
  };
  ddb.on(GetCommand).callsFake((input: { Key: { PK: string } }) => ({
    Item: input.Key.PK.startsWith('CALLER#') ? { ...snapshot, builtAt: Date.now() } : kase,
  }));
  try {
    const { handler } = await import('../lambdas/http/get-case');
    const { appDeps } = await import('../lambdas/adapters/deps');
    const { resolveCaller } = await import('../lambdas/domain/kernel/caller');
    const { getCase } = await import('../lambdas/domain/cases/cases');
    const event = {
      version: '2.0',
      routeKey: 'GET /cases/{caseNumber}',
      rawPath: '/cases/00001001',
      rawQueryString: '',
      headers: {},
      pathParameters: { caseNumber: '00001001' },
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'GET', path: '/cases/00001001' },
        authorizer: { jwt: { claims: { sub: 'u-dana', token_use: 'access', client_id: 'casework-web' }, scopes: [] } },
      },
    } as unknown as Parameters<typeof handler>[0];
    const context = {
      functionName: 'bench',
      awsRequestId: 'r1',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:bench',
      getRemainingTimeInMillis: () => 10_000,
    } as unknown as Context;
    const first = (await handler(event, context)) as { statusCode: number; body: string };
    if (first.statusCode !== 200) throw new Error(`GET /cases/{caseNumber} answered ${first.statusCode}: ${first.body}`);
    const deps = appDeps();
    const caller = (await resolveCaller(deps, { sub: 'u-dana', client: 'web', scopes: [] }))!;
    const bare = () => getCase(deps, caller, '00001001');
    const wrapped = () => handler(event, context);

    const sample = async (fn: () => Promise<unknown>, n: number, into: number[]) => {
      for (let i = 0; i < n; i++) {
        // The mock keeps every call for inspection; left to grow, its history is what gets timed.
        if (i % 100 === 0) ddb.resetHistory();
        const t0 = process.hrtime.bigint();
        await fn();
        into.push(Number(process.hrtime.bigint() - t0) / 1000);
      }
    };
    await sample(wrapped, 2000, []);
    await sample(bare, 2000, []);
    const w: number[] = [];
    const b: number[] = [];
    for (let round = 0; round < 10; round++) {
      await sample(wrapped, iterations / 10, w);
      await sample(bare, iterations / 10, b);
    }
    const wrapper = median(w) - median(b);
    const wrapperP95 = percentile(w, 95) - percentile(b, 95);
    // What the mock itself costs per call, and how many more calls the handler makes than the
    // bare domain call (caller, memberships and organisations): in AWS those are network reads,
    // counted in benchmarks 3 and 4, not the wrapper's CPU.
    ddb.resetHistory();
    await wrapped();
    const wrappedCalls = ddb.calls().length;
    ddb.resetHistory();
    await bare();
    const bareCalls = ddb.calls().length;
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const get = () => doc.send(new GetCommand({ TableName: 't', Key: { PK: 'a', SK: 'b' } }));
    await sample(get, 2000, []);
    const s: number[] = [];
    await sample(get, iterations / 4, s);
    const perCall = median(s);
    const extraCalls = wrappedCalls - bareCalls;
    const ownCost = wrapper - extraCalls * perCall;
    const markdown = [
      `GET /cases/{caseNumber} as a Designated Contact, ${iterations} invocations of each, interleaved in 10 rounds after 2,000 unmeasured; DynamoDB mocked with aws-sdk-client-mock (caller, organisation and case items as the repositories read them). The bare run is the domain call the handler makes (\`getCase\` over the same mocked client, caller resolved once, outside the timing); the wrapper is everything else: middy, Powertools logger context, claims, caller resolution and mobile-session check (their mocked reads included), permission and Terms gate, zod validation of the path, view mapping and the JSON reply.`,
      '',
      table(
        ['run', 'p50 µs', 'p95 µs', 'p99 µs'],
        [
          ['handler (wrapper + domain)', median(w).toFixed(1), percentile(w, 95).toFixed(1), percentile(w, 99).toFixed(1)],
          ['domain call alone', median(b).toFixed(1), percentile(b, 95).toFixed(1), percentile(b, 99).toFixed(1)],
          ['wrapper (difference)', wrapper.toFixed(1), wrapperP95.toFixed(1), '—'],
          [
            `one mocked DynamoDB call (the wrapper makes ${extraCalls} more than the domain call)`,
            perCall.toFixed(1),
            percentile(s, 95).toFixed(1),
            percentile(s, 99).toFixed(1),
          ],
          ['**wrapper without its mocked reads**', ownCost.toFixed(1), '—', '—'],
        ],
        ['l', 'r', 'r', 'r'],
      ),
    ].join('\n');
    return {
      title: '2. Warm cost of the HTTP wrapper',
      goals: [
        {
          goal: `2. wrapper p50 ≤ ${GOAL_US} µs per invocation (mocked client)`,
          met: ownCost <= GOAL_US,
          figure: `${ownCost.toFixed(1)} µs of its own; ${wrapper.toFixed(1)} µs with its ${extraCalls} mocked reads (${perCall.toFixed(1)} µs each in the mock)`,
        },
      ],
      markdown,
    };
  } finally {
    ddb.restore();
  }
};

if (require.main === module) runAlone(runWarm);

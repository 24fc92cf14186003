/**
 * jest globalSetup/globalTeardown of the integration and e2e tiers: one DynamoDB Local (one JVM)
 * per jest worker, started once for the whole run; every test file of that worker uses it with
 * a table of its own (test/helpers/local-mode.ts). The workers find theirs through the
 * environment they inherit. One JVM for both workers was the busiest process of a run, and each
 * worker's files queued behind the other's calls.
 */
import { startDynamo, type Emulator } from '../../local/emulators';

/** A comma-separated list of endpoints; a developer may set one to reuse a running emulator. */
export const SHARED_DYNAMO_ENV = 'CASEWORK_TEST_DYNAMO_ENDPOINT';

/**
 * A test's JVM lives for minutes and serves short bursts: the C1 compiler alone and the serial
 * collector halve its CPU against the defaults (C2 and G1's threads), which pay off only on
 * long runs. `npm start` and `npm run bench` keep the JVM's defaults.
 */
export const TEST_JVM_OPTIONS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

const holder = globalThis as { caseworkSharedDynamo?: Emulator[] };

/** jest passes its global config; only the worker count matters here. */
export const setup = async (globalConfig: { maxWorkers: number }): Promise<void> => {
  process.env.JAVA_TOOL_OPTIONS ??= TEST_JVM_OPTIONS;
  if (process.env[SHARED_DYNAMO_ENV]) return;
  const workers = Math.max(1, Math.min(globalConfig.maxWorkers || 1, 4));
  holder.caseworkSharedDynamo = await Promise.all(Array.from({ length: workers }, () => startDynamo({ port: 0 })));
  process.env[SHARED_DYNAMO_ENV] = holder.caseworkSharedDynamo.map((d) => d.endpoint).join(',');
};

export const teardown = async (): Promise<void> => {
  await Promise.all((holder.caseworkSharedDynamo ?? []).map((d) => d.stop()));
  delete holder.caseworkSharedDynamo;
  delete process.env[SHARED_DYNAMO_ENV];
};

/** This jest worker's DynamoDB Local, if the run started any. */
export const sharedDynamoEndpoint = (): string | undefined => {
  const endpoints = (process.env[SHARED_DYNAMO_ENV] ?? '').split(',').filter(Boolean);
  if (endpoints.length === 0) return undefined;
  const worker = Number(process.env.JEST_WORKER_ID) || 1;
  return endpoints[(worker - 1) % endpoints.length];
};

/**
 * jest globalSetup/globalTeardown of the integration and e2e tiers, what every test file of the
 * run shares, found through the environment the workers inherit:
 *
 * - one DynamoDB Local (one JVM) per jest worker; every test file of that worker uses it with a
 *   table of its own (test/helpers/local-mode.ts). One JVM for both workers was the busiest
 *   process of a run, and each worker's files queued behind the other's calls;
 * - the functions' bundles, built once as CDK builds them (lib/constructs/bundling.ts), which
 *   every local mode of the run loads: the tests run the code that is deployed, and a worker
 *   starts without compiling its sources.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundles } from '../../lib/constructs/bundling';
import { allFunctionSpecs, portModulesOf } from '../../lib/function-specs';
import { startDynamo, type Emulator } from '../../local/emulators';
import { writeBundledWorker } from '../../local/functions';

/** A comma-separated list of endpoints; a developer may set one to reuse a running emulator. */
export const SHARED_DYNAMO_ENV = 'CASEWORK_TEST_DYNAMO_ENDPOINT';

/**
 * A test's JVM lives for minutes and serves short bursts: the C1 compiler alone and the serial
 * collector halve its CPU against the defaults (C2 and G1's threads), which pay off only on
 * long runs; a fixed young generation and no perf-data file took about a tenth more off its
 * requests (3.3-3.4 s of CPU instead of 3.6-3.8 s for the same 450). `npm start` and
 * `npm run bench` keep the JVM's defaults.
 */
export const TEST_JVM_OPTIONS = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn128m -XX:-UsePerfData';

/** The run's folder for copies of the demo data (test/helpers/seed-cache.ts). */
export const SEED_CACHE_ENV = 'CASEWORK_TEST_SEED_CACHE';

/** The folder of the run's function bundles (`<name>/index.js`). */
export const FUNCTION_BUNDLES_ENV = 'CASEWORK_TEST_FUNCTION_BUNDLES';

const holder = globalThis as { caseworkSharedDynamo?: Emulator[]; caseworkBundles?: string; caseworkSeedCache?: string };

/** Builds every function's bundle into `<dir>/out/<name>/index.js`, as CDK does; answers `<dir>/out`. */
export const buildFunctionBundles = (dir: string): string => {
  const specs = [...allFunctionSpecs().values()];
  buildBundles(
    specs.map((s) => ({ name: s.name, module: s.module, ports: portModulesOf(s) })),
    dir,
  );
  writeBundledWorker(join(dir, 'out'));
  return join(dir, 'out');
};

/** jest passes its global config; only the worker count matters here. */
export const setup = async (globalConfig: { maxWorkers: number }): Promise<void> => {
  process.env.JAVA_TOOL_OPTIONS ??= TEST_JVM_OPTIONS;
  // The run's copies of the demo data (test/helpers/seed-cache.ts).
  holder.caseworkSeedCache = mkdtempSync(join(tmpdir(), 'casework-seed-'));
  process.env[SEED_CACHE_ENV] = holder.caseworkSeedCache;
  const workers = Math.max(1, Math.min(globalConfig.maxWorkers || 1, 4));
  // The JVMs start while esbuild builds.
  const starting = process.env[SHARED_DYNAMO_ENV]
    ? undefined
    : Promise.all(Array.from({ length: workers }, () => startDynamo({ port: 0 })));
  // `npm test` builds them beside the static checks and passes the folder on.
  if (!process.env[FUNCTION_BUNDLES_ENV]) {
    holder.caseworkBundles = mkdtempSync(join(tmpdir(), 'casework-bundles-'));
    process.env[FUNCTION_BUNDLES_ENV] = buildFunctionBundles(holder.caseworkBundles);
  }
  if (starting) {
    holder.caseworkSharedDynamo = await starting;
    process.env[SHARED_DYNAMO_ENV] = holder.caseworkSharedDynamo.map((d) => d.endpoint).join(',');
  }
};

/** `npm test` names a file here to print what the run's DynamoDB Locals cost (scripts/test.sh). */
export const JVM_CPU_REPORT_ENV = 'CASEWORK_TEST_JVM_CPU_FILE';

/** CPU seconds so far of the DynamoDB Local listening on each endpoint (Linux /proc; 0 elsewhere). */
const jvmCpuSeconds = (endpoints: string[]): number => {
  const ports = new Set(endpoints.map((e) => new URL(e).port));
  let ticks = 0;
  try {
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        const port = args[args.indexOf('-port') + 1];
        if (!args.some((a) => a.endsWith('DynamoDBLocal.jar')) || !port || !ports.has(port)) continue;
        // utime and stime, the 14th and 15th fields, counted after the parenthesised command name.
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        // Gone meanwhile.
      }
    }
  } catch {
    return 0;
  }
  return ticks / 100;
};

export const teardown = async (): Promise<void> => {
  const report = process.env[JVM_CPU_REPORT_ENV];
  if (report && holder.caseworkSharedDynamo)
    writeFileSync(report, String(Math.round(jvmCpuSeconds(holder.caseworkSharedDynamo.map((d) => d.endpoint)))));
  await Promise.all((holder.caseworkSharedDynamo ?? []).map((d) => d.stop()));
  delete holder.caseworkSharedDynamo;
  delete process.env[SHARED_DYNAMO_ENV];
  if (holder.caseworkSeedCache) {
    rmSync(holder.caseworkSeedCache, { recursive: true, force: true });
    delete holder.caseworkSeedCache;
    delete process.env[SEED_CACHE_ENV];
  }
  if (holder.caseworkBundles) {
    rmSync(holder.caseworkBundles, { recursive: true, force: true });
    delete holder.caseworkBundles;
    delete process.env[FUNCTION_BUNDLES_ENV];
  }
};

/** This jest worker's DynamoDB Local, if the run started any. */
export const sharedDynamoEndpoint = (): string | undefined => {
  const endpoints = (process.env[SHARED_DYNAMO_ENV] ?? '').split(',').filter(Boolean);
  if (endpoints.length === 0) return undefined;
  const worker = Number(process.env.JEST_WORKER_ID) || 1;
  return endpoints[(worker - 1) % endpoints.length];
};

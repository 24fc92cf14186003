/**
 * Benchmark 1: per function, bundle size and cold init against a floor built in the same run.
 *
 * Every function is bundled as CaseworkFunction bundles it (lib/constructs/bundling.ts, one
 * esbuild build for all). Cold init is the wall time of a fresh `node` process that loads
 * the bundle and runs one invocation (so its clients are built and send their first request, to a
 * stub endpoint answering `{}`), minus a bare `node` start, in CPU time (and wall time); medians over
 * BENCH_INIT_RUNS runs, interleaved so drift hits every function alike. The floor is a bundle of
 * nothing but the DynamoDB DocumentClient and one GetCommand; mail functions are judged against a
 * floor that adds the SES client and one SendRawEmail.
 *
 * BENCH_COMPARE_TREE=<a checkout of an earlier commit, with its node_modules> also bundles that
 * tree's functions with its own bundling and specs, and measures them in the same interleaved
 * rounds: before and after side by side, under the same load (judged rows stay this tree's).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { buildBundles, esbuildOptions } from '../lib/constructs/bundling';
import type * as BundlingModule from '../lib/constructs/bundling';
import type * as SpecsModule from '../lib/function-specs';
import { allFunctionSpecs, functionEnvironment, portModulesOf, type FunctionSpec } from '../lib/function-specs';
import { BENCH_BINDINGS, envInt, type Goal, kb, median, runAlone, type Section, table } from './lib';

const REPO_ROOT = resolve(__dirname, '..');
const GOAL_RATIO = 1.15;

const FLOOR = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async () => (await doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { PK: 'a', SK: 'b' } }))).Item ?? null;
`;
const MAIL_FLOOR = `
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const ses = new SESClient({});
export const handler = async () => {
  const item = (await doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { PK: 'a', SK: 'b' } }))).Item;
  await ses.send(new SendRawEmailCommand({ RawMessage: { Data: new Uint8Array([120]) } })).catch(() => undefined);
  return item ?? null;
};
`;

/** Loads the bundle, invokes it once, reports, exits: one cold start. */
const LOADER = `
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
if (process.argv[2] === 'bare') { process.stdout.write(JSON.stringify({ cpu: cpu() })); process.exit(0); }
const [bundle, event] = [process.argv[2], JSON.parse(process.argv[3])];
const context = { functionName: 'bench', functionVersion: '1', memoryLimitInMB: '512', awsRequestId: 'r1',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:bench', getRemainingTimeInMillis: () => 10000 };
Promise.resolve(require(bundle).handler(event, context)).then(
  (r) => { process.stdout.write(JSON.stringify({ status: r && r.statusCode, cpu: cpu() })); process.exit(0); },
  (e) => { process.stdout.write(JSON.stringify({ error: String(e), cpu: cpu() })); process.exit(0); });
`;

interface Target {
  name: string;
  kind: 'floor' | 'mail floor' | 'http' | 'http (mail)' | 'other' | 'before';
  contents?: string;
  spec?: FunctionSpec;
  /** For a `before` target: the function's name in this tree. */
  of?: string;
}

type Bundling = Pick<typeof BundlingModule, 'buildBundles'>;
type Specs = Pick<typeof SpecsModule, 'allFunctionSpecs' | 'functionEnvironment' | 'portModulesOf'>;

interface Measured extends Target {
  bytes: number;
  gzip: number;
  /** CPU time (user + system) of the process over a bare node's: what the judged ratio uses. */
  initMs: number;
  /** Wall time over a bare node's: includes waiting for a core on a shared machine. */
  wallMs: number;
  result: string;
}

/** A DynamoDB/SES/S3/SNS/Secrets Manager endpoint that answers every call with `{}`. */
const stubEndpoint = async () => {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const xml = !String(req.headers['content-type'] ?? '').includes('json');
      res.writeHead(200, { 'content-type': xml ? 'text/xml' : 'application/x-amz-json-1.0' });
      res.end(
        xml
          ? '<SendRawEmailResponse><SendRawEmailResult><MessageId>m</MessageId></SendRawEmailResult></SendRawEmailResponse>'
          : '{}',
      );
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((ok) => server.close(ok)),
  };
};

const run = (args: string[], env: Record<string, string>) =>
  new Promise<{ ms: number; stdout: string }>((ok, fail) => {
    const t0 = performance.now();
    execFile(process.execPath, args, { env, timeout: 30_000 }, (err, stdout, stderr) => {
      if (err && err.killed) return fail(err);
      // A bundle that throws while loading is a finding, not a reason to stop measuring the others.
      const crashed = err ? JSON.stringify({ crash: stderr.split('\n').find((l) => /Error/.test(l)) ?? String(err) }) : '';
      ok({ ms: performance.now() - t0, stdout: crashed || stdout });
    });
  });

/** An API Gateway payload v2 event of the route, from a signed-in user of the web client. */
const eventFor = (spec: FunctionSpec | undefined): unknown => {
  const route = spec?.routes[0];
  if (!route) return {};
  const params = Object.fromEntries([...route.path.matchAll(/\{(\w+)\}/g)].map((m) => [m[1], '00001001']));
  const path = route.path.replace(/\{(\w+)\}/g, '00001001');
  return {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath: path,
    rawQueryString: '',
    headers: {},
    pathParameters: params,
    isBase64Encoded: false,
    requestContext: {
      http: { method: route.method, path },
      authorizer: { jwt: { claims: { sub: 'u-bench', token_use: 'access', client_id: 'casework-web' }, scopes: [] } },
    },
  };
};

const cpuOf = (stdout: string): number => {
  try {
    return (JSON.parse(stdout) as { cpu?: number }).cpu ?? NaN;
  } catch {
    return NaN;
  }
};

const firstInvocation = (stdout: string): string => {
  try {
    const r = JSON.parse(stdout) as { status?: number; error?: string; crash?: string };
    if (r.crash) return `**crashed while loading**: ${r.crash.trim().slice(0, 160).replace(/\|/g, '\\|')}`;
    if (r.error) return `threw: ${r.error.slice(0, 80).replace(/\|/g, '\\|')}`;
    return r.status ? `HTTP ${r.status}` : 'returned';
  } catch {
    return stdout.slice(0, 80);
  }
};

/** The earlier tree's HTTP functions beside this tree's, measured in the same rounds. */
const compareTable = (measured: Measured[], floor: Measured, tree: string): string => {
  const now = new Map(measured.filter((m) => m.kind === 'http' || m.kind === 'http (mail)').map((m) => [m.name, m]));
  const pairs = measured.filter((m) => m.kind === 'before' && now.has(m.of!)).map((b) => [b, now.get(b.of!)!] as const);
  const ratio = (m: Measured) => `${(m.bytes / floor.bytes).toFixed(2)}x`;
  const init = (m: Measured) => `${(m.initMs / floor.initMs).toFixed(2)}x`;
  return [
    `Before (\`${tree}\`, bundled with its own options and specs) and after, in the same interleaved rounds, against the same floor (${kb(floor.bytes)}, ${floor.initMs.toFixed(1)} ms of CPU):`,
    '',
    table(
      [
        'function',
        'before .js',
        'after .js',
        'before size / floor',
        'after size / floor',
        'before init / floor',
        'after init / floor',
      ],
      pairs.map(([b, a]) => [a.name, kb(b.bytes), kb(a.bytes), ratio(b), ratio(a), init(b), init(a)]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  ].join('\n');
};

export const runBundles = async (): Promise<Omit<Section, 'seconds'>> => {
  const runs = envInt('BENCH_INIT_RUNS', 5);
  const compareTree = process.env.BENCH_COMPARE_TREE ? resolve(process.env.BENCH_COMPARE_TREE) : undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- another checkout's modules, by path
  const load = <T>(module: string): T => require(join(compareTree!, module)) as T;
  const before = compareTree
    ? { bundling: load<Bundling>('lib/constructs/bundling'), specs: load<Specs>('lib/function-specs') }
    : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'casework-bench-bundles-'));
  const stub = await stubEndpoint();
  try {
    const specs = [...allFunctionSpecs().values()];
    const targets: Target[] = [
      { name: 'floor: DocumentClient + GetCommand', kind: 'floor', contents: FLOOR },
      { name: 'mail floor: + SES client', kind: 'mail floor', contents: MAIL_FLOOR },
      ...specs.map((spec): Target => ({
        name: spec.name,
        kind: spec.routes.length ? (spec.mailer ? 'http (mail)' : 'http') : 'other',
        spec,
      })),
    ];
    const beforeSpecs = before ? [...before.specs.allFunctionSpecs().values()].filter((s) => s.routes.length) : [];
    targets.push(...beforeSpecs.map((spec): Target => ({ name: `${spec.name} (before)`, kind: 'before', spec, of: spec.name })));
    const loader = join(dir, 'loader.cjs');
    writeFileSync(loader, LOADER);
    const files = new Map<string, string>();
    // The functions exactly as CDK bundles them (one build for all), the floors on their own.
    const functions = targets.filter((t) => t.spec && t.kind !== 'before');
    const folders = buildBundles(
      functions.map((t) => ({ name: t.spec!.name, module: t.spec!.module, ports: portModulesOf(t.spec!) })),
      join(dir, 'functions'),
    );
    for (const t of functions) files.set(t.name, join(folders.get(t.spec!.name)!, 'index.js'));
    if (before) {
      const old = before.bundling.buildBundles(
        beforeSpecs.map((s) => ({ name: s.name, module: s.module, ports: before.specs.portModulesOf(s) })),
        join(dir, 'before'),
      );
      for (const s of beforeSpecs) files.set(`${s.name} (before)`, join(old.get(s.name)!, 'index.js'));
    }
    await Promise.all(
      targets
        .filter((t) => t.contents)
        .map(async (t) => {
          const outfile = join(dir, t.name.replace(/[^a-z0-9-]+/gi, '_'), 'index.js');
          mkdirSync(join(outfile, '..'), { recursive: true });
          await build({
            ...esbuildOptions(),
            absWorkingDir: REPO_ROOT,
            stdin: { contents: t.contents!, resolveDir: REPO_ROOT, loader: 'ts' as const, sourcefile: 'floor.ts' },
            outfile,
          });
          files.set(t.name, outfile);
        }),
    );
    const base = {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_LAMBDA_FUNCTION_NAME: 'bench',
      AWS_ENDPOINT_URL: stub.url,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    };
    const values = BENCH_BINDINGS;
    const envOf = (t: Target): Record<string, string> => ({
      ...base,
      // The function's exact CDK environment (NODE_OPTIONS=--enable-source-maps included); the floors get a table's.
      ...(t.kind === 'before'
        ? before!.specs.functionEnvironment(t.spec!, values)
        : functionEnvironment(t.spec ?? { table: { writes: [], reads: { items: [], indexes: [] } } }, values)),
    });
    const bare: { wall: number; cpu: number }[] = [];
    const times = new Map<string, { wall: number; cpu: number }[]>(targets.map((t) => [t.name, []]));
    const results = new Map<string, string>();
    for (let i = 0; i < runs + 1; i++) {
      const b = await run([loader, 'bare'], envOf(targets[0]!));
      if (i > 0) bare.push({ wall: b.ms, cpu: cpuOf(b.stdout) });
      for (const t of targets) {
        const r = await run([loader, files.get(t.name)!, JSON.stringify(eventFor(t.spec))], envOf(t));
        // The first round warms the page cache and is not counted.
        if (i > 0) times.get(t.name)!.push({ wall: r.ms, cpu: cpuOf(r.stdout) });
        results.set(t.name, r.stdout);
      }
    }
    const bareMs = median(bare.map((b) => b.cpu));
    const bareWall = median(bare.map((b) => b.wall));
    const measured: Measured[] = targets.map((t) => {
      const js = readFileSync(files.get(t.name)!);
      return {
        ...t,
        bytes: js.length,
        gzip: gzipSync(js, { level: 9 }).length,
        initMs: median(times.get(t.name)!.map((x) => x.cpu)) - bareMs,
        wallMs: median(times.get(t.name)!.map((x) => x.wall)) - bareWall,
        result: results.get(t.name) ?? '',
      };
    });
    const floor = measured.find((m) => m.kind === 'floor')!;
    const mailFloor = measured.find((m) => m.kind === 'mail floor')!;
    const floorOf = (m: Measured) => (m.kind === 'http (mail)' || m.kind === 'mail floor' ? mailFloor : floor);
    const rows = measured
      .filter((m) => m.kind !== 'before')
      .map((m) => {
        const f = floorOf(m);
        const size = m.bytes / f.bytes;
        const init = m.initMs / f.initMs;
        const judged = m.kind === 'http' || m.kind === 'http (mail)';
        const verdict = judged ? (size <= GOAL_RATIO && init <= GOAL_RATIO ? 'met' : 'not met') : '—';
        return { m, size, init, verdict, judged };
      });
    const http = rows.filter((r) => r.judged);
    const sizeMet = http.filter((r) => r.size <= GOAL_RATIO).length;
    const initMet = http.filter((r) => r.init <= GOAL_RATIO).length;
    const worst = (k: 'size' | 'init') => http.reduce((a, b) => (b[k] > a[k] ? b : a));
    const goals: Goal[] = [
      {
        goal: `1a. every HTTP handler bundle ≤ ${GOAL_RATIO}x its floor in size`,
        met: sizeMet === http.length,
        figure: `${sizeMet}/${http.length} within; worst ${worst('size').m.name} ${worst('size').size.toFixed(2)}x (floor ${kb(floor.bytes)}, mail floor ${kb(mailFloor.bytes)})`,
      },
      {
        goal: `1b. every HTTP handler cold init ≤ ${GOAL_RATIO}x its floor`,
        met: initMet === http.length,
        figure: `${initMet}/${http.length} within; worst ${worst('init').m.name} ${worst('init').init.toFixed(2)}x (floor ${floor.initMs.toFixed(1)} ms, mail floor ${mailFloor.initMs.toFixed(1)} ms of CPU over bare node's ${bareMs.toFixed(1)} ms)`,
      },
    ];
    const markdown = [
      `Bundled with esbuild and CaseworkFunction's options (lib/constructs/bundling.ts). Cold init: a fresh \`node\` loads the bundle and runs one invocation against a stub endpoint answering \`{}\` (clients built, first request sent), with the function's CDK environment (\`NODE_OPTIONS=--enable-source-maps\`), minus a bare \`node\` start (median ${bareMs.toFixed(1)} ms CPU, ${bareWall.toFixed(1)} ms wall). The judged figure is CPU time (user + system, \`process.cpuUsage()\` at exit): on a machine whose 2 cores are shared, wall time mostly measures waiting for a core (wall is shown too). Medians of ${runs} interleaved runs after one unmeasured warm-up round. HTTP handlers are judged against the floor, those that send mail against the mail floor; the others are listed for information.`,
      '',
      table(
        [
          'function',
          'kind',
          '.js',
          'gzip -9',
          'size / floor',
          'init ms CPU over bare node',
          'init / floor',
          'wall ms over bare node',
          'goal',
          'first invocation',
        ],
        rows.map(({ m, size, init, verdict }) => [
          m.name,
          m.kind,
          kb(m.bytes),
          kb(m.gzip),
          `${size.toFixed(2)}x`,
          m.initMs.toFixed(1),
          `${init.toFixed(2)}x`,
          m.wallMs.toFixed(1),
          verdict,
          firstInvocation(m.result),
        ]),
        ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l'],
      ),
      ...(before ? ['', compareTable(measured, floor, compareTree!)] : []),
    ].join('\n');
    return { title: '1. Bundle size and cold init per function', goals, markdown };
  } finally {
    await stub.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

if (require.main === module) runAlone(runBundles);

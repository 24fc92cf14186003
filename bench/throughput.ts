/**
 * Benchmark 3: local API throughput (autocannon) of GET /cases/{caseNumber} and GET /cases, each
 * against the raw SDK calls that route makes, and against the least any read of a case costs (one
 * GetItem of the case item), on the same DynamoDB Local.
 *
 * Local mode runs with its functions' DynamoDB traffic through a tap (local/dynamo-tap.ts);
 * one request of each route is recorded on the wire, and a bare node:http server replays exactly
 * those requests (same operations, same inputs, in order) with the low-level DynamoDB client
 * through the same tap; the same server answers `/min` with one GetItem of the case. The gap to
 * the replay is what our code costs; the gap to `/min` also counts the calls the route makes. autocannon runs as a child process, so it does not share the event loop
 * of the gateway it measures. The route's figure includes what API Gateway does in AWS (the
 * local gateway verifies the JWT) and the function's worker-thread hop.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ddb from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { keys } from '../lambdas/data/keys';
import { startDynamoTap } from '../local/dynamo-tap';
import { cpuMsOf, dynamoJvm, envInt, type Goal, machineBusyMs, runAlone, type Section, table, threadCpuMs } from './lib';

const GOAL = 0.9;
const MIN = '/min';
const AUTOCANNON = resolve(__dirname, '..', 'node_modules', 'autocannon', 'autocannon.js');

interface Recorded {
  operation: string;
  input: Record<string, unknown>;
}

const autocannon = (url: string, headers: Record<string, string>, seconds: number, connections: number) =>
  new Promise<{ rps: number; p50: number; p99: number; non2xx: number; errors: number; total: number }>((ok, fail) => {
    const args = [AUTOCANNON, '-j', '-c', String(connections), '-d', String(seconds)];
    for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
    args.push(url);
    execFile(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => {
      if (err) return fail(err);
      const r = JSON.parse(stdout) as {
        requests: { average: number };
        latency: { p50: number; p99: number };
        non2xx: number;
        errors: number;
        '2xx': number;
      };
      ok({
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        non2xx: r.non2xx,
        errors: r.errors,
        total: r['2xx'],
      });
    });
  });

/** Where a side's CPU went, summed over its runs (ms), and the requests it answered. */
interface Cpu {
  machine: number;
  jvm: number;
  main: number;
  workers: number;
  helpers: number;
  requests: number;
}
const noCpu = (): Cpu => ({ machine: 0, jvm: 0, main: 0, workers: 0, helpers: 0, requests: 0 });

export const runThroughput = async (): Promise<Omit<Section, 'seconds'>> => {
  const seconds = envInt('BENCH_THROUGHPUT_SECONDS', 6);
  const rounds = envInt('BENCH_THROUGHPUT_ROUNDS', 2);
  const connections = envInt('BENCH_THROUGHPUT_CONNECTIONS', 10);
  const keyDir = mkdtempSync(join(tmpdir(), 'casework-bench-keys-'));
  process.env.CASEWORK_KEY_DIR = keyDir;
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  let recording: Recorded[] | undefined;
  let tap: Awaited<ReturnType<typeof startDynamoTap>> | undefined;
  const { startLocal } = await import('../local');
  const local = await startLocal({
    apiPort: 0,
    sesPort: 0,
    dynamoPort: 0,
    smtpPort: 0,
    awsPort: 0,
    pushPort: 0,
    chatPort: 0,
    sweepEveryMs: 0,
    stream: false,
    dynamoEndpointForFunctions: async (endpoint) =>
      (tap = await startDynamoTap(endpoint, {
        onRequest: (operation, input) => {
          recording?.push({ operation, input: structuredClone(input) });
        },
      })).url,
  });
  const client = new ddb.DynamoDBClient({
    endpoint: tap!.url,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const raw = createServer((req, res) => {
    const calls = routes.get(req.url ?? '') ?? [];
    void (async () => {
      let last: unknown;
      for (const c of calls) {
        const Command = (ddb as unknown as Record<string, new (i: unknown) => ddb.GetItemCommand>)[`${c.operation}Command`]!;
        last = await client.send(new Command(c.input));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(last ?? {}));
    })().catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });
  const routes = new Map<string, Recorded[]>();
  await new Promise<void>((ok) => raw.listen(0, '127.0.0.1', ok));
  const rawBase = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
  try {
    const { signUserToken } = await import('../local/issuer');
    const { DEMO_USERS } = await import('../local/demo-data');
    const dana = DEMO_USERS.find((u) => u.email === 'dana@acme.example')!;
    const auth = { authorization: `Bearer ${signUserToken({ sub: dana.userId, email: dana.email, client: 'web' })}` };
    const list = (await (await fetch(`${local.urls.api}/cases`, { headers: auth })).json()) as {
      items: { caseNumber: string }[];
    };
    const n = list.items[0]!.caseNumber;
    routes.set(MIN, [{ operation: 'GetItem', input: { TableName: local.tableName, Key: marshall(keys.case(n)) } }]);
    const scenarios = [
      { name: 'GET /cases/{caseNumber}', path: `/cases/${n}` },
      { name: 'GET /cases', path: '/cases' },
    ];
    for (const s of scenarios) {
      // Warm the function's worker (its cold start is benchmark 1's), then record one request.
      await fetch(`${local.urls.api}${s.path}`, { headers: auth }).then((r) => r.text());
      recording = [];
      const res = await fetch(`${local.urls.api}${s.path}`, { headers: auth });
      if (!res.ok) throw new Error(`${s.name}: ${res.status} ${await res.text()}`);
      routes.set(s.path, recording);
      recording = undefined;
    }
    const rows: (string | number)[][] = [];
    const cpuRows: (string | number)[][] = [];
    const goals: Goal[] = [];
    const jvm = dynamoJvm();
    /** One autocannon run, with the CPU every part of the machine spent during it. */
    const measured = async (into: Cpu, run: () => ReturnType<typeof autocannon>) => {
      const m0 = machineBusyMs();
      const j0 = jvm === undefined ? NaN : cpuMsOf(jvm);
      const t0 = threadCpuMs();
      const r = await run();
      const t1 = threadCpuMs();
      into.machine += machineBusyMs() - m0;
      into.jvm += (jvm === undefined ? NaN : cpuMsOf(jvm)) - j0;
      for (const k of ['main', 'workers', 'helpers'] as const) into[k] += (t1.get(k) ?? NaN) - (t0.get(k) ?? NaN);
      into.requests += r.total + r.non2xx;
      return r;
    };
    for (const s of scenarios) {
      await autocannon(`${rawBase}${s.path}`, {}, 1, connections);
      await autocannon(`${rawBase}${MIN}`, {}, 1, connections);
      const route = { rps: 0, p50: 0, p99: 0, bad: 0 };
      const bare = { rps: 0, p50: 0, p99: 0, bad: 0 };
      const least = { rps: 0, p50: 0, p99: 0, bad: 0 };
      const routeCpu = noCpu();
      const replayCpu = noCpu();
      for (let i = 0; i < rounds; i++) {
        const a = await measured(routeCpu, () => autocannon(`${local.urls.api}${s.path}`, auth, seconds, connections));
        const b = await measured(replayCpu, () => autocannon(`${rawBase}${s.path}`, {}, seconds, connections));
        const c = await autocannon(`${rawBase}${MIN}`, {}, seconds, connections);
        for (const [acc, r] of [
          [route, a],
          [bare, b],
          [least, c],
        ] as const) {
          acc.rps += r.rps / rounds;
          acc.p50 += r.p50 / rounds;
          acc.p99 += r.p99 / rounds;
          acc.bad += r.non2xx + r.errors;
        }
      }
      const ratio = route.rps / bare.rps;
      const toLeast = route.rps / least.rps;
      const calls = routes.get(s.path)!.map((c) => c.operation);
      rows.push([
        s.name,
        calls.join(', '),
        route.rps.toFixed(0),
        bare.rps.toFixed(0),
        ratio.toFixed(2),
        least.rps.toFixed(0),
        toLeast.toFixed(2),
        `${route.p50.toFixed(1)} / ${bare.p50.toFixed(1)} / ${least.p50.toFixed(1)}`,
        `${route.p99.toFixed(1)} / ${bare.p99.toFixed(1)} / ${least.p99.toFixed(1)}`,
        `${route.bad} / ${bare.bad} / ${least.bad}`,
      ]);
      const per = (cpu: Cpu, ms: number) => (ms / cpu.requests).toFixed(2);
      for (const [side, cpu] of [
        ['route', routeCpu],
        ['raw replay', replayCpu],
      ] as const)
        cpuRows.push([
          s.name,
          side,
          per(cpu, cpu.machine),
          per(cpu, cpu.jvm),
          per(cpu, cpu.main),
          per(cpu, cpu.workers),
          per(cpu, cpu.helpers),
          per(cpu, cpu.machine - cpu.jvm - cpu.main - cpu.workers - cpu.helpers),
        ]);
      goals.push({
        goal: `3. ${s.name} throughput ≥ ${GOAL} of the raw SDK replay of its calls`,
        met: ratio >= GOAL && route.bad === 0,
        figure: `${ratio.toFixed(2)} (${route.rps.toFixed(0)} vs ${bare.rps.toFixed(0)} req/s); ${toLeast.toFixed(2)} of one raw GetItem of the case (${least.rps.toFixed(0)} req/s, no target)`,
      });
    }
    const markdown = [
      `autocannon (child process), ${connections} connections, ${rounds} alternating rounds of ${seconds} s per side after a 1 s warm-up, as Dana (one organisation). Raw: a bare node:http server replaying the DynamoDB requests one request of the route sent (recorded on the wire), with the low-level client, through the same tap to the same DynamoDB Local; least: the same server answering with one GetItem of the case item, the least any read of a case costs (the route's calls include resolving the caller). Route, replay and least alternate within each round. The route's side also pays for what API Gateway does in AWS (the local gateway verifies the JWT) and for the hop to the function's worker thread. Client, gateway, worker and the DynamoDB Local JVM share the machine's cores.`,
      '',
      table(
        [
          'route',
          'DynamoDB calls per request',
          'route req/s',
          'raw replay req/s',
          'route / replay',
          'least (1 GetItem) req/s',
          'route / least',
          'p50 ms route / replay / least',
          'p99 ms route / replay / least',
          'non-2xx + errors',
        ],
        rows,
        ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
      '',
      `Where each side's CPU went, in ms per request (Linux /proc: the machine's busy time over both cores during that side's runs; the DynamoDB Local JVM; this process's threads by kind). The main thread carries the local gateway and the tap (route side), or the replay server, its SDK calls and the tap (replay side); the function's worker thread carries the handler and its SDK calls; V8's and libuv's helper threads mostly collect garbage; the rest is autocannon and the kernel.`,
      '',
      table(
        ['route', 'side', 'machine', 'DynamoDB Local', 'main thread', 'function worker', 'V8 / libuv helpers', 'rest'],
        cpuRows,
        ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
      ),
    ].join('\n');
    return { title: '3. Local API throughput against the raw SDK calls and one GetItem', goals, markdown };
  } finally {
    await new Promise((ok) => raw.close(ok));
    client.destroy();
    await local.stop();
    await tap?.close();
    rmSync(keyDir, { recursive: true, force: true });
  }
};

if (require.main === module) runAlone(runThroughput);

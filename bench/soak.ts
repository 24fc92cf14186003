/**
 * Benchmark 9 (`npm run bench:soak`): a mixed-load soak of local mode, loopback only, that stops
 * by itself. SOAK_USERS virtual users (default 50), each a signed-in person of their own, run a
 * closed loop (one request at a time, no think time) for SOAK_SECONDS (default 180): customers
 * (Designated Contacts of Acme and Globex) list, read, open cases, post updates, register their
 * phone and reply over SMTP to the case mail they got; analysts (US for Acme, EU for Globex) list,
 * read and post public updates, which mail the contact (the replies' source) and push to phones.
 * New high cases push to every contact subscribed to the organisation's new high cases.
 *
 * The demo users are the first of each kind; the rest are more of the same people (same
 * organisations, levels and staff profiles), written to the table before the run, because the
 * per-user rate limits (lambdas/domain/kernel/rate-limits.ts) are per person: 50 loops on the 9
 * demo writers would measure the 429 path. 429s are counted apart as promised; any other status
 * >= 400, a refused SMTP reply or a network error fails the run (exit code 1).
 *
 * RSS of every process (this one: the gateway, the functions' worker threads, SES, SMTP and
 * push stand-ins; and its children: DynamoDB Local's JVM, fauxqs) is read from /proc before
 * the load, after the warm-up (the baseline of the bound) and at the end. Bound: no process may
 * grow past its warm-up RSS by more than 25% or 100 MB, whichever is larger. The SES emulator
 * keeps every mail in memory, which SES does not: the reply harvester empties its store as it
 * goes, so that growth is not counted against our code.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import nodemailer from 'nodemailer';
import { putMembership, putUser } from '../lambdas/data/directory-repo';
import { CURRENT_TERMS } from '../lambdas/domain/kernel/catalogue';
import { descendants, envInt, machine, mb, percentile, runAlone, type Section, table } from './lib';

const BOUND_RATIO = 0.25;
const BOUND_BYTES = 100 * 1024 * 1024;
/** DynamoDB Local's allowance per item written since the warm-up: the table lives in its heap. */
const BOUND_PER_ITEM = 10 * 1024;

interface Person {
  email: string;
  userId: string;
  kind: 'customer' | 'staff';
  orgId: 'ORG-ACME' | 'ORG-GLOBEX';
  productLine: string;
  demo: boolean;
}

const DEMO: Person[] = [
  {
    email: 'dana@acme.example',
    userId: 'u-dana',
    kind: 'customer',
    orgId: 'ORG-ACME',
    productLine: 'Genesys Cloud CX',
    demo: true,
  },
  {
    email: 'dave@acme.example',
    userId: 'u-dave',
    kind: 'customer',
    orgId: 'ORG-ACME',
    productLine: 'Genesys Cloud CX',
    demo: true,
  },
  {
    email: 'greta@globex.example',
    userId: 'u-greta',
    kind: 'customer',
    orgId: 'ORG-GLOBEX',
    productLine: 'Genesys Cloud CX',
    demo: true,
  },
  { email: 'alice@vendor.example', userId: 'u-alice', kind: 'staff', orgId: 'ORG-ACME', productLine: '', demo: true },
  { email: 'eric@vendor.example', userId: 'u-eric', kind: 'staff', orgId: 'ORG-GLOBEX', productLine: '', demo: true },
];

/** `users` people: two customers for each analyst, half at Acme (US) and half at Globex (EU). */
const people = (users: number): Person[] => {
  const staffCount = Math.max(1, Math.round(users / 3));
  const out: Person[] = [];
  for (let i = 0; i < users; i++) {
    const kind = i < users - staffCount ? 'customer' : 'staff';
    const k = kind === 'customer' ? i : i - (users - staffCount);
    const orgId = k % 2 === 0 ? 'ORG-ACME' : 'ORG-GLOBEX';
    const demo = DEMO.filter((d) => d.kind === kind && d.orgId === orgId)[Math.floor(k / 2)];
    if (demo) out.push(demo);
    else {
      const domain = kind === 'staff' ? 'vendor.example' : orgId === 'ORG-ACME' ? 'acme.example' : 'globex.example';
      const name = `soak-${kind}-${k}`;
      out.push({ email: `${name}@${domain}`, userId: `u-${name}`, kind, orgId, productLine: 'Genesys Cloud CX', demo: false });
    }
  }
  return out;
};

/** Writes the non-demo people as the demo seed writes its own (lambdas/data, not the API: there is no sign-up). */
const writePeople = async (endpoint: string, table: string, list: Person[]) => {
  const client = new DynamoDBClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
  const ref = { doc: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }), table };
  try {
    for (const p of list.filter((x) => !x.demo)) {
      const us = p.orgId === 'ORG-ACME';
      await putUser(ref, {
        userId: p.userId,
        email: p.email,
        name: p.userId,
        timeZone: us ? 'America/New_York' : 'Europe/Berlin',
        termsVersion: CURRENT_TERMS.version,
        settings: { defaultList: 'all', notifications: {} },
        ...(p.kind === 'staff'
          ? { staff: { role: 'analyst' as const, region: us ? 'US' : 'EU', supportGroups: ['Cloud CX Support'] } }
          : {}),
      });
      if (p.kind === 'customer')
        await putMembership(ref, { userId: p.userId, orgId: p.orgId, soldToOrgId: p.orgId, level: 'designated', via: 'direct' });
    }
  } finally {
    client.destroy();
  }
};

/** Items in the table: DynamoDB Local holds them in its JVM's memory (-inMemory). */
const itemCount = async (endpoint: string, table: string): Promise<number> => {
  const client = new DynamoDBClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
  try {
    return (await client.send(new DescribeTableCommand({ TableName: table }))).Table?.ItemCount ?? NaN;
  } finally {
    client.destroy();
  }
};

/** Resident set size of a process, bytes (VmRSS of /proc/<pid>/status); NaN once it is gone. */
const rssOf = (pid: number): number => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
};

/**
 * DynamoDB Local's database, when it is a scratch file on tmpfs (local/emulators.ts), is memory
 * the JVM's RSS does not show: counted with it, so the table's growth is not hidden.
 */
const tmpfsDatabaseOf = (pid: number): number => {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const dir = args[args.indexOf('-dbPath') + 1];
    if (!args.includes('-dbPath') || !dir?.startsWith('/dev/shm/')) return 0;
    return readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
  } catch {
    return 0;
  }
};

const nameOf = (pid: number): string => {
  if (pid === process.pid) return 'local mode (gateway, function workers, SES, SMTP, push)';
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmd.includes('DynamoDBLocal')) return 'DynamoDB Local (JVM, and its database on tmpfs)';
    if (cmd.includes('fauxqs')) return 'fauxqs (S3, SNS, SQS)';
    // tsx's transpiler services, for this process and each function's worker: summed in one row.
    if (cmd.includes('esbuild')) return 'esbuild services of tsx';
    return cmd.split('\0').slice(0, 2).join(' ').slice(0, 60);
  } catch {
    return `pid ${pid}`;
  }
};

interface Sample {
  route: string;
  ms: number;
  status: number;
}

export const runSoak = async (): Promise<Omit<Section, 'seconds'>> => {
  const seconds = envInt('SOAK_SECONDS', 180);
  const users = envInt('SOAK_USERS', 50);
  // The RSS baseline is taken after the warm-up, inside the load: SOAK_SECONDS counts both.
  const warmupSeconds = envInt('SOAK_WARMUP_SECONDS', Math.min(30, Math.floor(seconds / 6)));
  if (warmupSeconds >= seconds) throw new Error('SOAK_WARMUP_SECONDS must be shorter than SOAK_SECONDS');
  const loadBefore = loadavg();
  const keyDir = mkdtempSync(join(tmpdir(), 'casework-soak-keys-'));
  process.env.CASEWORK_KEY_DIR = keyDir;
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  const { startLocal } = await import('../local');
  const { signUserToken } = await import('../local/issuer');
  const output: string[] = [];
  const local = await startLocal({
    apiPort: 0,
    sesPort: 0,
    dynamoPort: 0,
    smtpPort: 0,
    awsPort: 0,
    pushPort: 0,
    chatPort: 0,
    // The sweep runs every minute as in `npm start`: part of the mix.
    functionOutput: (chunk) => {
      // Kept for the report only when something failed: structured error logs.
      if (output.length < 200 && chunk.includes('"level":"ERROR"')) output.push(chunk.slice(0, 2000));
    },
  });
  const api = local.urls.api;
  const smtpPort = Number(new URL(local.urls.smtp).port);
  try {
    const list = people(users);
    await writePeople(local.urls.dynamo, local.tableName, list);
    const tokens = new Map(
      list.map((p) => [p.userId, { web: signUserToken({ sub: p.userId, email: p.email, client: 'web' }), mobile: '' }]),
    );
    for (const p of list) tokens.get(p.userId)!.mobile = signUserToken({ sub: p.userId, email: p.email, client: 'mobile' });

    const samples: Sample[] = [];
    let networkErrors = 0;
    const networkMessages = new Set<string>();
    const call = async (
      route: string,
      p: Person,
      method: string,
      path: string,
      body?: unknown,
      client: 'web' | 'mobile' = 'web',
    ) => {
      const t0 = performance.now();
      try {
        const res = await fetch(`${api}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${tokens.get(p.userId)![client]}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        samples.push({ route, ms: performance.now() - t0, status: res.status });
        return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
      } catch (err) {
        networkErrors++;
        networkMessages.add(String(err).slice(0, 200));
        samples.push({ route, ms: performance.now() - t0, status: 0 });
        return { status: 0, body: {} };
      }
    };

    // Setup (not measured): each contact subscribes to their organisation's new high cases and
    // their personal cases, and registers a phone; everyone learns the cases they can see.
    const casesOf = new Map<string, string[]>([
      ['ORG-ACME', []],
      ['ORG-GLOBEX', []],
    ]);
    for (const p of list) {
      if (p.kind !== 'customer') continue;
      const sub = await call('setup', p, 'PUT', `/accounts/${p.orgId}/subscription`, { newHigh: true });
      const settings = await call('setup', p, 'PATCH', '/me/settings', { notifications: { personalCases: true, push: true } });
      const phone = await call('setup', p, 'POST', '/devices', { platform: 'fcm', token: `${p.userId}-phone-0` }, 'mobile');
      if (sub.status !== 200 || settings.status !== 200 || phone.status !== 201)
        throw new Error(`setup of ${p.email}: ${sub.status} ${settings.status} ${phone.status}`);
    }
    for (const orgId of casesOf.keys()) {
      const p = list.find((x) => x.kind === 'customer' && x.orgId === orgId)!;
      const got = await call('setup', p, 'GET', `/cases?limit=100`);
      casesOf.get(orgId)!.push(...(got.body.items as { caseNumber: string }[]).map((c) => c.caseNumber));
    }
    samples.length = 0;

    // Reply addresses, per customer, harvested from the SES emulator's store (which is then emptied).
    const replies = new Map<string, { to: string; subject: string }[]>();
    let mailsSeen = 0;
    const harvest = async () => {
      const store = (await (await fetch(local.urls.sesStore)).json()) as {
        emails: { replyTo?: string[]; destination: { to: string[] }; subject: string }[];
      };
      await fetch(`${local.urls.ses}/clear-store`, { method: 'POST' });
      mailsSeen += store.emails.length;
      for (const m of store.emails) {
        const to = /case\+[a-z0-9-]+@casework\.test/.exec((m.replyTo ?? []).join(' '))?.[0];
        if (!to) continue;
        for (const recipient of m.destination.to) {
          const address = /[^<\s]+@[^>\s]+/.exec(recipient)?.[0] ?? recipient;
          const queue = replies.get(address) ?? [];
          queue.push({ to, subject: m.subject });
          replies.set(address, queue.slice(-20));
        }
      }
    };

    const pick = <T>(xs: T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
    const weighted = <K extends string>(w: Record<K, number>): K => {
      const total = Object.values<number>(w).reduce((a, b) => a + b, 0);
      let r = Math.random() * total;
      for (const [k, v] of Object.entries<number>(w)) if ((r -= v) < 0) return k as K;
      return Object.keys(w)[0] as K;
    };
    let smtpRefused = 0;
    const smtpMessages = new Set<string>();
    let replyTried = 0;
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });

    const customerStep = async (p: Person, i: number) => {
      const op = weighted({ list: 30, read: 30, create: 6, update: 14, reply: 12, device: 3, inbox: 5 });
      const n = pick(casesOf.get(p.orgId)!);
      switch (op) {
        case 'list':
          return void (await call('GET /cases', p, 'GET', `/cases?scope=${i % 2 ? 'all' : 'mine'}`));
        case 'read':
          return void (await call('GET /cases/{n}', p, 'GET', `/cases/${n}`));
        case 'inbox':
          return void (await call('GET /notifications', p, 'GET', '/notifications', undefined, 'mobile'));
        case 'device':
          return void (await call(
            'POST /devices',
            p,
            'POST',
            '/devices',
            // The same phone again (an app start re-registers): one device per person.
            { platform: 'fcm', token: `${p.userId}-phone-0` },
            'mobile',
          ));
        case 'create': {
          const made = await call('POST /cases', p, 'POST', '/cases', {
            kind: 'support',
            subject: `Soak ${p.userId} ${i}`,
            description: 'Agents drop out of the queue after a few minutes.',
            severity: i % 2 ? 'high' : 'medium',
            orgId: p.orgId,
            productLine: p.productLine,
          });
          if (made.status === 201) casesOf.get(p.orgId)!.push(made.body.caseNumber as string);
          return;
        }
        case 'update':
          return void (await call('POST /cases/{n}/updates', p, 'POST', `/cases/${n}/updates`, {
            body: `Still seeing it on our side (${i}).`,
          }));
        case 'reply': {
          const mail = replies.get(p.email)?.shift();
          if (!mail) return void (await call('GET /cases/{n}', p, 'GET', `/cases/${n}`));
          replyTried++;
          const t0 = performance.now();
          try {
            const info = await transport.sendMail({
              envelope: { from: p.email, to: [mail.to] },
              from: p.email,
              to: mail.to,
              subject: `Re: ${mail.subject}`,
              text: `Here are the logs you asked for (${i}).\n\nOn Monday, Casework Support wrote:\n> earlier text\n`,
            });
            const ok = /^250/.test(info.response);
            if (!ok) smtpMessages.add(info.response.slice(0, 200));
            samples.push({ route: 'SMTP reply', ms: performance.now() - t0, status: ok ? 250 : 554 });
            if (!ok) smtpRefused++;
          } catch (err) {
            smtpRefused++;
            smtpMessages.add(String(err).slice(0, 200));
            samples.push({ route: 'SMTP reply', ms: performance.now() - t0, status: 554 });
          }
          return;
        }
      }
    };
    const staffStep = async (p: Person, i: number) => {
      const op = weighted({ list: 30, read: 35, update: 35 });
      const n = pick(casesOf.get(p.orgId)!);
      if (op === 'list') return void (await call('GET /cases', p, 'GET', `/cases?orgId=${p.orgId}`));
      if (op === 'read') return void (await call('GET /cases/{n}', p, 'GET', `/cases/${n}`));
      await call('POST /cases/{n}/updates', p, 'POST', `/cases/${n}/updates`, {
        body: `Could you send us the logs of the last hour? (${i})`,
        visibility: 'public',
      });
    };

    const rssPids = () => [process.pid, ...descendants(process.pid)];
    /** RSS by process name: the esbuild services are several processes of one name, summed. */
    const rssAt = () => {
      const by = new Map<string, number>();
      for (const pid of rssPids()) by.set(nameOf(pid), (by.get(nameOf(pid)) ?? 0) + rssOf(pid) + tmpfsDatabaseOf(pid));
      return by;
    };
    const rssBefore = rssAt();
    let rssWarm = rssBefore;
    let rssMid = rssBefore;
    const rssPeak = new Map(rssBefore);

    const t0 = Date.now();
    const end = t0 + seconds * 1000;
    let harvesting = true;
    const harvester = (async () => {
      while (harvesting) {
        await harvest().catch(() => undefined);
        for (const [pid, rss] of rssAt()) rssPeak.set(pid, Math.max(rssPeak.get(pid) ?? 0, rss));
        await new Promise((r) => setTimeout(r, 2000));
      }
    })();
    let itemsWarm = NaN;
    /** Where local mode's memory is: its main thread's heap and each function container's. */
    const heapsAt = async () => {
      const containers = [...(await local.functionHeaps()).values()];
      return {
        main: process.memoryUsage().heapUsed,
        containers: containers.length,
        used: containers.reduce((sum, h) => sum + h.used, 0),
        total: containers.reduce((sum, h) => sum + h.total, 0),
      };
    };
    let heapsWarm: Awaited<ReturnType<typeof heapsAt>> | undefined;
    const warm = new Promise<void>((ok) =>
      setTimeout(() => {
        rssWarm = rssAt();
        void Promise.all([
          itemCount(local.urls.dynamo, local.tableName).then((n) => (itemsWarm = n)),
          heapsAt().then((h) => (heapsWarm = h)),
        ]).then(
          () => ok(),
          () => ok(),
        );
      }, warmupSeconds * 1000),
    );
    const mid = setTimeout(() => (rssMid = rssAt()), ((warmupSeconds + seconds) / 2) * 1000);
    await Promise.all(
      list.map(async (p) => {
        for (let i = 0; Date.now() < end; i++) await (p.kind === 'customer' ? customerStep(p, i) : staffStep(p, i));
      }),
    );
    const loadSeconds = (Date.now() - t0) / 1000;
    await warm;
    clearTimeout(mid);
    const rssEnd = rssAt();
    const heapsEnd = await heapsAt();
    const itemsEnd = await itemCount(local.urls.dynamo, local.tableName);
    harvesting = false;
    await harvester;
    transport.close();
    // What the load set in motion, finished: the stream's notifications and the queued mail,
    // timed (the notifier's backlog at the end of the load), within DRAIN_SECONDS.
    const pushesAtEnd = local.push.pushes().length;
    const d0 = Date.now();
    const drainLimit = envInt('SOAK_DRAIN_SECONDS', 300);
    const drained = await Promise.race([
      (async () => {
        if (local.notifier) await local.notifier.drain();
        while ((await local.mail.depth()).queued > 0) await new Promise((r) => setTimeout(r, 100));
        return true;
      })(),
      new Promise<false>((r) => setTimeout(() => r(false), drainLimit * 1000).unref()),
    ]);
    const drainSeconds = (Date.now() - d0) / 1000;
    const depth = await local.mail.depth();
    const pushLog = local.push.pushes();
    const pushes = pushLog.length;
    // The stand-in keeps every push for the tests to read (SNS keeps none): part of this process's RSS.
    const pushLogBytes = Buffer.byteLength(JSON.stringify(pushLog));
    const loadAfter = loadavg();

    // Per route.
    const routes = [...new Set(samples.map((s) => s.route))].sort();
    const statusCounts = (xs: Sample[]) => {
      const c = new Map<number, number>();
      for (const s of xs) c.set(s.status, (c.get(s.status) ?? 0) + 1);
      return c;
    };
    const ok = (s: Sample) => s.status > 0 && s.status < 400;
    const rows = routes.map((route) => {
      const xs = samples.filter((s) => s.route === route);
      const ms = xs.filter(ok).map((s) => s.ms);
      const c = statusCounts(xs.filter((s) => !ok(s)));
      return [
        route,
        xs.length,
        (xs.length / loadSeconds).toFixed(1),
        percentile(ms, 50).toFixed(0),
        percentile(ms, 95).toFixed(0),
        percentile(ms, 99).toFixed(0),
        c.get(429) ?? 0,
        [...c.entries()]
          .filter(([st]) => st !== 429)
          .map(([st, k]) => `${st === 0 ? 'network' : st}: ${k}`)
          .join(', ') || '0',
      ];
    });
    const allOk = samples.filter(ok).map((s) => s.ms);
    const promised = samples.filter((s) => s.status === 429).length;
    const unpromised = samples.filter((s) => !ok(s) && s.status !== 429);
    rows.push([
      '**all**',
      samples.length,
      (samples.length / loadSeconds).toFixed(1),
      percentile(allOk, 50).toFixed(0),
      percentile(allOk, 95).toFixed(0),
      percentile(allOk, 99).toFixed(0),
      promised,
      String(unpromised.length),
    ]);

    const rssRows = [...rssBefore.keys()].map((name) => {
      const warmRss = rssWarm.get(name) ?? NaN;
      const endRss = rssEnd.get(name) ?? NaN;
      const data = name.startsWith('DynamoDB Local') ? Math.max(0, itemsEnd - itemsWarm) * BOUND_PER_ITEM : 0;
      const limit = warmRss + Math.max(warmRss * BOUND_RATIO, BOUND_BYTES) + data;
      return {
        name,
        before: rssBefore.get(name)!,
        warm: warmRss,
        mid: rssMid.get(name) ?? NaN,
        end: endRss,
        peak: rssPeak.get(name) ?? NaN,
        limit,
        within: endRss <= limit,
      };
    });
    const bounded = rssRows.every((r) => r.within);
    const clean = unpromised.length === 0 && networkErrors === 0 && smtpRefused === 0 && drained;
    if (!clean || !bounded) process.exitCode = 1;
    const errorStatuses = [...statusCounts(unpromised).entries()].map(([s, k]) => `${s}: ${k}`).join(', ');

    const markdown = [
      `${list.length} virtual users (${list.filter((p) => p.kind === 'customer').length} Designated Contacts of Acme and Globex, ${list.filter((p) => p.kind === 'staff').length} analysts, US and EU; the demo users dana, dave, greta, alice and eric among them, the others written as the same kind of person), each a closed loop of one request at a time for ${seconds} s against local mode on loopback (every function in its worker, DynamoDB Local, fauxqs, aws-ses-v2-local, the stream's notifier, the mail queue, the sweep every minute). Customers: list 30, read 30, open a case 6 (half of them high: a push to every subscribed contact with a phone), post an update 14, reply over SMTP to a case mail they got 12 (a read when none has come yet), register a phone 3, read the inbox from the phone 5. Analysts: list 30, read 35, public update 35 (mail to the contact, a push to their phone). Latencies are of successful requests; throughput is requests per second of the ${loadSeconds.toFixed(0)} s run. Machine: ${machine()}; load average (1/5/15 min) ${loadBefore.map((l) => l.toFixed(2)).join(' / ')} before, ${loadAfter.map((l) => l.toFixed(2)).join(' / ')} after (the cores are shared with other work).`,
      '',
      table(['route', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', '429 (promised)', 'other errors'], rows, [
        'l',
        'r',
        'r',
        'r',
        'r',
        'r',
        'r',
        'l',
      ]),
      '',
      `Side effects: ${mailsSeen} mails sent through SES, ${replyTried} SMTP replies (${smtpRefused} refused), ${pushes} pushes to phones (${pushesAtEnd} when the load stopped). The stream's notifier and the mail queue ${drained ? `caught up ${drainSeconds.toFixed(0)} s after the load stopped` : `had **not** caught up ${drainLimit} s after the load stopped`}; mail queue then: ${depth.queued} queued, ${depth.dead} dead. Errors other than the promised 429s: ${unpromised.length + smtpRefused}${errorStatuses ? ` (${errorStatuses})` : ''}${networkMessages.size ? `; network: ${[...networkMessages].join('; ')}` : ''}${smtpMessages.size ? `; SMTP: ${[...smtpMessages].join('; ')}` : ''}.`,
      '',
      `RSS per process from /proc: before the load, after ${warmupSeconds} s of warm-up (the baseline), half-way through the rest, at the end, and the peak (sampled every 2 s). Bound: the end within the warm-up RSS plus ${BOUND_RATIO * 100}% or ${mb(BOUND_BYTES)}, whichever is larger; for DynamoDB Local, which holds the table (its RSS plus its database file when that is on tmpfs), plus ${BOUND_PER_ITEM / 1024} KB per item written since the warm-up (${itemsWarm} items then, ${itemsEnd} at the end). The push stand-in's log, in this process, held ${pushes} pushes (${mb(pushLogBytes)} as JSON) at the end; the SES emulator's store was emptied as mail was harvested. Inside local mode, after the warm-up and at the end (V8's own figures): the main thread's heap used ${heapsWarm ? mb(heapsWarm.main) : '?'} → ${mb(heapsEnd.main)}; the function containers (${heapsWarm?.containers ?? '?'} → ${heapsEnd.containers}) heap used ${heapsWarm ? mb(heapsWarm.used) : '?'} → ${mb(heapsEnd.used)}, heap size ${heapsWarm ? mb(heapsWarm.total) : '?'} → ${mb(heapsEnd.total)}.`,
      '',
      table(
        ['process', 'before', 'after warm-up', 'half-way', 'end', 'peak', 'bound', 'within'],
        rssRows.map((r) => [
          r.name,
          mb(r.before),
          mb(r.warm),
          mb(r.mid),
          mb(r.end),
          mb(r.peak),
          mb(r.limit),
          r.within ? 'yes' : '**no**',
        ]),
        ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'],
      ),
      ...(output.length && !clean ? ['', 'First function errors:', '', '```', ...output.slice(0, 5), '```'] : []),
    ].join('\n');
    return {
      title: '9. Mixed-load soak',
      goals: [
        {
          goal: `9. ${list.length} users for ${seconds} s of mixed load: no error but the promised 429s`,
          met: clean,
          figure: `${samples.length} requests (${(samples.length / loadSeconds).toFixed(1)} req/s) and ${replyTried} SMTP replies; ${unpromised.length + smtpRefused} other errors; ${promised} 429s`,
        },
        {
          goal: `9. no process's RSS grows past its warm-up RSS + max(${BOUND_RATIO * 100}%, ${mb(BOUND_BYTES)})`,
          met: bounded,
          figure: rssRows
            .filter((r) => !r.name.startsWith('esbuild'))
            .map((r) => `${r.name.split(' (')[0]} ${mb(r.warm)} → ${mb(r.end)}`)
            .join('; '),
        },
      ],
      markdown,
    };
  } finally {
    await local.stop();
    rmSync(keyDir, { recursive: true, force: true });
  }
};

if (require.main === module) runAlone(runSoak);

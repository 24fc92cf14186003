/**
 * `npm run bench:faults`: local mode on loopback, with the functions reaching SES
 * through a proxy this run closes (connection refused) for BENCH_FAULTS_DOWN_S seconds (default
 * 20) while it makes BENCH_FAULTS_UPDATES staff updates (default 30) and BENCH_FAULTS_REQUESTS
 * access requests (default 10, each retried once with its Idempotency-Key); then SES comes back
 * and the run waits (at most 3 minutes) for the mail queue to empty. Reports the answers, each
 * expected mail's copies in the mail store, and the dead-letter queue. Bounded; nothing leaves
 * 127.0.0.1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSwitchableProxy, type SwitchableProxy } from '../test/helpers/switchable-proxy';
import { envInt } from './lib';

const main = async () => {
  const keyDir = mkdtempSync(join(tmpdir(), 'casework-faults-'));
  process.env.CASEWORK_KEY_DIR = keyDir;
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  const { startLocal } = await import('../local/index');
  const { signUserToken } = await import('../local/issuer');
  const updates = envInt('BENCH_FAULTS_UPDATES', 30);
  const requests = envInt('BENCH_FAULTS_REQUESTS', 10);
  const downSeconds = envInt('BENCH_FAULTS_DOWN_S', 20);
  let ses: SwitchableProxy | undefined;
  const local = await startLocal({
    apiPort: 0,
    sesPort: 0,
    dynamoPort: 0,
    smtpPort: 0,
    awsPort: 0,
    pushPort: 0,
    chatPort: 0,
    sweepEveryMs: 0,
    sesEndpointForFunctions: async (endpoint) => (ses = await startSwitchableProxy(endpoint)).url,
  });
  try {
    const alice = signUserToken({ sub: 'u-alice', email: 'alice@vendor.example', client: 'web' });
    const call = async (path: string, method: string, body: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${local.urls.api}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      await res.arrayBuffer();
      return res.status;
    };
    const list = await fetch(`${local.urls.api}/cases?orgId=ORG-ACME&limit=10`, {
      headers: { authorization: `Bearer ${alice}` },
    });
    const cases = ((await list.json()) as { items: { caseNumber: string; status: string }[] }).items.filter(
      (c) => c.status !== 'closed',
    );
    const statuses: Record<string, number> = {};
    const count = (s: number) => (statuses[s] = (statuses[s] ?? 0) + 1);
    const run = Date.now().toString(36);
    const expected: { marker: string; to: string }[] = [];
    const t0 = Date.now();
    await ses!.down();
    for (let i = 0; i < updates; i++) {
      const marker = `[fault-${run}-update-${i}]`;
      const c = cases[i % cases.length]!;
      count(
        await call(
          `/cases/${c.caseNumber}/updates`,
          'POST',
          { body: `Staff update ${marker}`, visibility: 'public' },
          { authorization: `Bearer ${alice}` },
        ),
      );
      expected.push({ marker, to: '' });
    }
    for (let i = 0; i < requests; i++) {
      const email = `fault.${run}.${i}@acme.example`;
      const body = { email, name: `Fault ${i}`, level: 'read_only', combinations: [{ orgId: 'ORG-ACME' }] };
      for (let attempt = 0; attempt < 2; attempt++) {
        count(
          await call('/access-requests', 'POST', body, {
            'idempotency-key': `fault-${run}-${i}`,
            'x-forwarded-for': `10.9.0.${i}`,
          }),
        );
      }
      expected.push({ marker: 'Your code is', to: email });
    }
    const left = downSeconds * 1000 - (Date.now() - t0);
    if (left > 0) await new Promise((r) => setTimeout(r, left));
    await ses!.up();
    const back = Date.now();
    await local.notifier?.drain();
    let depth = await local.mail.depth();
    while (depth.queued > 0 && Date.now() - back < 180_000) {
      await new Promise((r) => setTimeout(r, 250));
      depth = await local.mail.depth();
    }
    const settledMs = Date.now() - back;
    const store = (
      (await (await fetch(local.urls.sesStore)).json()) as {
        emails: { destination: { to: string[] }; body: { text?: string } }[];
      }
    ).emails;
    const copies = expected.map(
      (e) => store.filter((m) => (m.body.text ?? '').includes(e.marker) && (!e.to || m.destination.to.includes(e.to))).length,
    );
    const once = copies.filter((n) => n === 1).length;
    const lost = copies.filter((n) => n === 0).length;
    const doubled = copies.filter((n) => n > 1).length;
    console.log(
      `SES refused connections for ${downSeconds} s while ${updates} staff updates and ${requests} access requests (x2 with the same Idempotency-Key) were made`,
    );
    console.log(
      `answers: ${JSON.stringify(statuses)} (5xx: ${Object.entries(statuses)
        .filter(([s]) => s.startsWith('5'))
        .reduce((a, [, n]) => a + n, 0)})`,
    );
    console.log(
      `mail after SES came back: ${once} of ${expected.length} delivered exactly once, ${lost} missing, ${doubled} more than once`,
    );
    console.log(
      `mail queue empty ${(settledMs / 1000).toFixed(1)} s after SES came back; queued ${depth.queued}, dead-lettered ${depth.dead}`,
    );
    if (lost || doubled || depth.dead || Object.keys(statuses).some((s) => s.startsWith('5'))) process.exitCode = 1;
  } finally {
    await local.stop();
    await ses?.stop();
    rmSync(keyDir, { recursive: true, force: true });
  }
};

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/**
 * `npm run bench:mail`: inbound mail through local mode's SES stand-in (SMTP, fauxqs S3) and the
 * real receive-mail function in its worker (DynamoDB Local), for replies of about 1 MB and 10 MB (a text part plus a
 * base64 attachment), and the process's peak RSS. Measurements only; prints a Markdown table.
 *   BENCH_MAIL_1MB (default 20) and BENCH_MAIL_10MB (default 5) messages of each size.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import MailComposer from 'nodemailer/lib/mail-composer';
import { startLocal } from '../lib/local';
import { signUserToken } from '../lib/local/issuer';
import nodemailer from 'nodemailer';

const count = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  return v;
};
const percentile = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const main = async () => {
  const local = await startLocal({
    apiPort: 0,
    sesPort: 0,
    dynamoPort: 0,
    smtpPort: 0,
    awsPort: 0,
    pushPort: 0,
    chatPort: 0,
    sweepEveryMs: 0,
  });
  try {
    const { DEMO_USERS } = await import('../lib/local/demo-data');
    const token = (email: string) => {
      const u = DEMO_USERS.find((d) => d.email === email)!;
      return signUserToken({ sub: u.userId, email: u.email, client: 'web' });
    };
    const call = async (email: string, path: string, body?: unknown) => {
      const res = await fetch(`${local.urls.api}${path}`, {
        method: body ? 'POST' : 'GET',
        headers: { authorization: `Bearer ${token(email)}`, 'content-type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { items: { caseNumber: string; subject: string }[] };
    };
    // A real thread: a staff update mails Dana, whose replies then carry its Reply-To token.
    const { items } = await call('dana@acme.example', '/cases?status=open');
    const kase = items[0]!;
    await call('alice@vendor.example', `/cases/${kase.caseNumber}/updates`, { body: 'Bench: please reply.' });
    const store = (await (await fetch(local.urls.sesStore)).json()) as { emails: { subject: string; replyTo: string[] }[] };
    const mail = store.emails.find((m) => m.subject.includes(`[Case ${kase.caseNumber}]`))!;
    const replyTo = mail.replyTo[0]!.replace(/^.*</, '').replace(/>.*$/, '');

    // Through the local SES stand-in: SMTP in, raw message to S3, receive-mail in its own worker
    // (with exactly its function's environment), outcome recorded before the 250.
    const smtp = new URL(local.urls.smtp);
    const transport = nodemailer.createTransport({
      host: smtp.hostname,
      port: Number(smtp.port),
      secure: false,
      ignoreTLS: true,
    });
    const inbound = async () =>
      (await (
        await fetch(`${local.urls.api}/admin/inbound-mail?limit=100`, {
          headers: { authorization: `Bearer ${token('eric@vendor.example')}` },
        })
      ).json()) as { items: { receivedAt: string; outcome: string }[] };

    const rows: string[] = [];
    for (const [label, bytes, n] of [
      ['1 MB', 1024 * 1024, count('BENCH_MAIL_1MB', 20)],
      ['10 MB', 10 * 1024 * 1024, count('BENCH_MAIL_10MB', 5)],
    ] as const) {
      const times: number[] = [];
      const outcomes: Record<string, number> = {};
      const started = new Date().toISOString();
      let size = 0;
      for (let i = 0; i < n; i++) {
        // Attachments are base64 (4/3): raw bytes chosen so the whole message is about `bytes`.
        const raw = await new MailComposer({
          from: 'Dana <dana@acme.example>',
          to: replyTo,
          subject: `Re: ${mail.subject}`,
          text: `Reply ${i} ${randomBytes(8).toString('hex')}\n\nOn Monday, Support wrote:\n> earlier text\n`,
          attachments: [{ filename: 'capture.bin', content: randomBytes(Math.floor((bytes * 3) / 4) - 2048) }],
        })
          .compile()
          .build();
        size = raw.length;
        const t0 = performance.now();
        await transport.sendMail({ envelope: { from: 'dana@acme.example', to: [replyTo] }, raw });
        times.push(performance.now() - t0);
      }
      // The SMTP 250 came after the outcome was recorded: the log holds one per message.
      for (const m of (await inbound()).items.filter((x) => x.receivedAt >= started)) {
        outcomes[m.outcome] = (outcomes[m.outcome] ?? 0) + 1;
      }
      times.sort((a, b) => a - b);
      rows.push(
        `| ${label} | ${mb(size)} | ${n} | ${percentile(times, 50).toFixed(0)} | ${percentile(times, 95).toFixed(0)} | ` +
          `${Object.entries(outcomes)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')} |`,
      );
    }
    // ru_maxrss is in kilobytes on Linux: the peak of the whole run, emulator clients included.
    const peak = process.resourceUsage().maxRSS * 1024;
    console.log(
      [
        '',
        `Inbound mail: SMTP in + S3 + parse + attach through receive-mail (${new Date().toISOString()}, Node ${process.version})`,
        '',
        '| message | raw size | runs | p50 ms | p95 ms | outcomes |',
        '|---|---|---|---|---|---|',
        ...rows,
        '',
        `Peak RSS of the process: ${mb(peak)} (local mode and its function workers; DynamoDB Local and fauxqs are child processes, not counted)`,
        '',
      ].join('\n'),
    );
  } finally {
    await local.stop();
  }
};

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/**
 * The README's commands as a user runs them: `npm start` in a process of its own (on free ports
 * and a fresh key directory, so it never meets a developer's running copy), then
 * `npm run smoke -- --api <url> --mail-store <url>` against it through the CLI.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../local/emulators';

const ROOT = join(__dirname, '..', '..');

const run = (args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> =>
  new Promise((resolve) => {
    const child = spawn('npm', args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out }));
  });

const waitForHealth = async (api: string, server: ChildProcess, log: () => string): Promise<void> => {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`npm start exited with ${server.exitCode}:\n${log()}`);
    try {
      if ((await fetch(`${api}/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`npm start did not answer /health within 90 s:\n${log()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

describe('npm run smoke against npm start', () => {
  let server: ChildProcess;
  let closed: Promise<unknown> = Promise.resolve();
  let serverLog = '';
  let keyDir: string;
  let env: NodeJS.ProcessEnv;
  let api: string;
  let store: string;

  beforeAll(async () => {
    keyDir = mkdtempSync(join(tmpdir(), 'casework-smoke-keys-'));
    const ports = {
      PORT: await freePort(),
      CHAT_PORT: await freePort(),
      SMTP_PORT: await freePort(),
      SES_PORT: await freePort(),
      DYNAMODB_PORT: await freePort(),
      AWS_PORT: await freePort(),
      PUSH_PORT: await freePort(),
    };
    env = {
      ...process.env,
      CASEWORK_KEY_DIR: keyDir,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    };
    api = `http://127.0.0.1:${ports.PORT}`;
    store = `http://127.0.0.1:${ports.SES_PORT}/store`;
    server = spawn('npm', ['start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    // npm exits at once on SIGTERM; tsx and local mode hold its output pipes until they have shut
    // down (DynamoDB Local with them), and 'close' waits for those too. Waiting for 'exit' alone
    // left them running after the file, and jest's worker could not exit on its own.
    closed = new Promise((r) => server.once('close', r));
    server.stdout?.on('data', (d: Buffer) => (serverLog += d.toString()));
    server.stderr?.on('data', (d: Buffer) => (serverLog += d.toString()));
    await waitForHealth(api, server, () => serverLog);
  });

  afterAll(async () => {
    if (server?.pid) {
      const group = -server.pid;
      const signal = (name: NodeJS.Signals) => {
        try {
          process.kill(group, name);
        } catch {
          // The whole group has gone already.
        }
      };
      // The whole group: npm, tsx and local mode (which takes DynamoDB Local down on SIGTERM).
      signal('SIGTERM');
      const hung = setTimeout(() => signal('SIGKILL'), 30_000);
      await closed;
      clearTimeout(hung);
    }
    if (keyDir) rmSync(keyDir, { recursive: true, force: true });
  });

  it('walks health, OpenAPI, sign-in, list, create, update, read back and the case mail, then cleans up', async () => {
    const { code, out } = await run(['run', '--silent', 'smoke', '--', '--api', api, '--mail-store', store], env);
    expect({ code, out }).toEqual({ code: 0, out: expect.stringContaining(`smoke passed against ${api}`) });
    for (const step of [
      'GET /health',
      'GET /openapi.json',
      'sign in (customer and staff)',
      'GET /cases',
      'POST /cases',
      'POST /cases/{n}/updates (staff, public)',
      'GET /cases/{n}/updates (customer reads it back)',
      'case mail leaves',
      'clean up: staff closes the smoke case',
    ]) {
      expect(out).toMatch(new RegExp(`^PASS ${step.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
    }
    expect(out).not.toMatch(/^FAIL/m);
  });

  it('fails loudly, with exit code 1, when a step does not hold', async () => {
    // A demo user who has not accepted the Terms is fine (smoke accepts them); a read-only one
    // cannot open a case (ACC-2), so the walk stops at POST /cases.
    const { code, out } = await run(['run', '--silent', 'smoke', '--', '--api', api, '--customer', 'rita@acme.example'], env);
    expect(code).toBe(1);
    expect(out).toMatch(/^FAIL POST \/cases: POST \/cases answered 403 \(expected 201\)/m);
  });
});

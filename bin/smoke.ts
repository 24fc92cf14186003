/**
 * `npm run smoke -- --api <url>`: walks the core path through the HTTP API of any deployment
 * and prints one PASS/FAIL line per step (exit code 1 on the first failure).
 *
 * Sign-in:
 *   local (the API is on 127.0.0.1 or localhost): tokens from the local issuer for the demo users
 *     (a Designated Contact and an analyst; `--customer`/`--staff` pick other demo emails).
 *   AWS: Cognito AdminInitiateAuth (ADMIN_USER_PASSWORD_AUTH) on the web client, with AWS
 *     credentials allowed cognito-idp:AdminInitiateAuth on the pool:
 *       --user-pool-id <id> --client-id <web client id>
 *       --customer <email> --customer-password <p> --staff <email> --staff-password <p>
 *     (passwords also from SMOKE_CUSTOMER_PASSWORD / SMOKE_STAFF_PASSWORD). The web client allows
 *     that flow only when deployed with `-c smokeSignIn=true` (docs/deploy.md).
 *   Or bearer tokens you already hold: --customer-token <jwt> --staff-token <jwt>.
 *
 * The case it opens is named "[smoke] …" and closed by the staff user at the end.
 */
import { randomUUID } from 'node:crypto';
import { AdminInitiateAuthCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

interface Options {
  api: string;
  customer: string;
  staff: string;
  customerToken?: string;
  staffToken?: string;
  customerPassword?: string;
  staffPassword?: string;
  userPoolId?: string;
  clientId?: string;
  orgId: string;
  productLine: string;
  mailStore?: string;
  mailTimeoutMs: number;
}

const USAGE = `Usage: npm run smoke -- --api <url> [--mail-store <url>] [--org <orgId>] [--product-line <name>]
  local:  --customer <demo email> --staff <demo email>            (defaults: dana@acme.example, alice@vendor.example)
  AWS:    --user-pool-id <id> --client-id <id> --customer <email> --customer-password <p> --staff <email> --staff-password <p>
  tokens: --customer-token <jwt> --staff-token <jwt>`;

export const parseSmokeArgs = (argv: string[], env: NodeJS.ProcessEnv = process.env): Options => {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`Unexpected argument ${arg}\n${USAGE}`);
    const eq = arg.indexOf('=');
    if (eq > 0) flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    else {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      flags.set(arg.slice(2), value);
    }
  }
  const api = flags.get('api') ?? env.SMOKE_API;
  if (!api) throw new Error(`--api is required\n${USAGE}`);
  return {
    api: api.replace(/\/+$/, ''),
    customer: flags.get('customer') ?? 'dana@acme.example',
    staff: flags.get('staff') ?? 'alice@vendor.example',
    customerToken: flags.get('customer-token') ?? env.SMOKE_CUSTOMER_TOKEN,
    staffToken: flags.get('staff-token') ?? env.SMOKE_STAFF_TOKEN,
    customerPassword: flags.get('customer-password') ?? env.SMOKE_CUSTOMER_PASSWORD,
    staffPassword: flags.get('staff-password') ?? env.SMOKE_STAFF_PASSWORD,
    userPoolId: flags.get('user-pool-id'),
    clientId: flags.get('client-id'),
    orgId: flags.get('org') ?? 'ORG-ACME',
    productLine: flags.get('product-line') ?? 'Genesys Cloud CX',
    mailStore: flags.get('mail-store'),
    mailTimeoutMs: Number(flags.get('mail-timeout-ms') ?? 20_000),
  };
};

const isLocal = (api: string): boolean => /^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(new URL(api).origin);

class StepFailed extends Error {}

const cognitoToken = async (o: Options, email: string, password: string | undefined): Promise<string> => {
  if (!o.userPoolId || !o.clientId || !password) {
    throw new StepFailed(`AWS sign-in needs --user-pool-id, --client-id and a password for ${email}`);
  }
  const client = new CognitoIdentityProviderClient({});
  try {
    const out = await client.send(
      new AdminInitiateAuthCommand({
        UserPoolId: o.userPoolId,
        ClientId: o.clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    const token = out.AuthenticationResult?.AccessToken;
    if (!token)
      throw new StepFailed(`Cognito answered a challenge (${out.ChallengeName ?? 'none'}) instead of tokens for ${email}`);
    return token;
  } finally {
    client.destroy();
  }
};

const localToken = async (email: string): Promise<string> => {
  // Imported only here: the local issuer reads the key file `npm start` uses (CASEWORK_KEY_DIR).
  const [{ signUserToken }, { DEMO_USERS }] = await Promise.all([import('../local/issuer'), import('../local/demo-data')]);
  const user = DEMO_USERS.find((u) => u.email === email);
  if (!user) throw new StepFailed(`${email} is not a demo user (API.md, "Demo data")`);
  return signUserToken({ sub: user.userId, email });
};

const tokenFor = async (o: Options, who: 'customer' | 'staff'): Promise<string> => {
  const given = who === 'customer' ? o.customerToken : o.staffToken;
  if (given) return given;
  const email = who === 'customer' ? o.customer : o.staff;
  if (isLocal(o.api)) return localToken(email);
  return cognitoToken(o, email, who === 'customer' ? o.customerPassword : o.staffPassword);
};

interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

const call = async (
  o: Options,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> => {
  const res = await fetch(`${o.api}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Left as text: the failing step prints it.
  }
  return { status: res.status, body: parsed, headers: res.headers };
};

const expectStatus = (a: Answer, status: number, what: string): Record<string, unknown> => {
  if (a.status !== status) {
    throw new StepFailed(`${what} answered ${a.status} (expected ${status}): ${JSON.stringify(a.body).slice(0, 300)}`);
  }
  return (a.body ?? {}) as Record<string, unknown>;
};

/** Accepts the current Terms if the user has not (ACC-9), as the portal would on first sign-in. */
const ensureTerms = async (o: Options, token: string): Promise<string> => {
  const me = expectStatus(await call(o, 'GET', '/me', token), 200, 'GET /me');
  if (me.termsAccepted === true) return String((me.user as { email?: string } | undefined)?.email ?? me.email ?? '');
  const terms = expectStatus(await call(o, 'GET', '/terms'), 200, 'GET /terms');
  expectStatus(await call(o, 'POST', '/me/terms', token, { version: terms.version }), 200, 'POST /me/terms');
  return String(me.email ?? '');
};

interface StoredMail {
  subject?: string;
  destination?: { to?: string[] };
  to?: string;
}

const waitForMail = async (store: string, caseNumber: string, timeoutMs: number): Promise<StoredMail> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(store);
    if (res.ok) {
      const { emails = [] } = (await res.json()) as { emails?: StoredMail[] };
      const found = emails.find(
        (m) => (m.subject ?? '').includes(`[Case ${caseNumber}]`) && /\[ref:[^\]]+\]/.test(m.subject ?? ''),
      );
      if (found) return found;
    }
    if (Date.now() > deadline)
      throw new StepFailed(`no mail with [Case ${caseNumber}] and a [ref:…] in ${store} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

export const runSmoke = async (o: Options, print: (line: string) => void = (l) => console.log(l)): Promise<boolean> => {
  const state: { customer?: string; staff?: string; caseNumber?: string } = {};
  const marker = `smoke-${randomUUID().slice(0, 8)}`;
  const steps: [string, () => Promise<string | void>][] = [
    [
      'GET /health',
      async () => {
        const body = expectStatus(await call(o, 'GET', '/health'), 200, 'GET /health');
        if (body.status !== 'ok') throw new StepFailed(`status is ${JSON.stringify(body.status)}`);
      },
    ],
    [
      'GET /openapi.json',
      async () => {
        const body = expectStatus(await call(o, 'GET', '/openapi.json'), 200, 'GET /openapi.json');
        if (!/^3\.1/.test(String(body.openapi))) throw new StepFailed(`openapi is ${JSON.stringify(body.openapi)}`);
        return `${Object.keys((body.paths ?? {}) as object).length} paths`;
      },
    ],
    [
      'sign in (customer and staff)',
      async () => {
        state.customer = await tokenFor(o, 'customer');
        state.staff = await tokenFor(o, 'staff');
        await ensureTerms(o, state.customer);
        await ensureTerms(o, state.staff);
        return `${o.customer}, ${o.staff}`;
      },
    ],
    [
      'GET /cases',
      async () => {
        const body = expectStatus(await call(o, 'GET', '/cases', state.customer), 200, 'GET /cases');
        if (!Array.isArray(body.items)) throw new StepFailed('the list has no items array');
        return `${body.items.length} cases on the first page`;
      },
    ],
    [
      'POST /cases',
      async () => {
        const body = expectStatus(
          await call(
            o,
            'POST',
            '/cases',
            state.customer,
            {
              kind: 'support',
              subject: `[smoke] ${marker}`,
              description: 'Opened by npm run smoke; closed by it at the end.',
              severity: 'low',
              orgId: o.orgId,
              productLine: o.productLine,
            },
            { 'idempotency-key': marker },
          ),
          201,
          'POST /cases',
        );
        state.caseNumber = String(body.caseNumber);
        if (!body.referenceId) throw new StepFailed('the case has no referenceId (MAIL-1)');
        return `case ${state.caseNumber}`;
      },
    ],
    [
      'POST /cases/{n}/updates (staff, public)',
      async () => {
        expectStatus(
          await call(o, 'POST', `/cases/${state.caseNumber}/updates`, state.staff, {
            body: `Smoke reply ${marker}`,
            visibility: 'public',
          }),
          201,
          'POST /cases/{n}/updates',
        );
      },
    ],
    [
      'GET /cases/{n}/updates (customer reads it back)',
      async () => {
        const body = expectStatus(
          await call(o, 'GET', `/cases/${state.caseNumber}/updates`, state.customer),
          200,
          'GET /cases/{n}/updates',
        );
        const items = (body.items ?? []) as { body?: string }[];
        if (!items.some((u) => (u.body ?? '').includes(marker))) throw new StepFailed('the staff update is not in the list');
      },
    ],
    [
      'case mail leaves',
      async () => {
        if (!o.mailStore) return 'SKIP: no --mail-store (in AWS, check the SES sending metrics or the recipient inbox)';
        const mail = await waitForMail(o.mailStore, state.caseNumber!, o.mailTimeoutMs);
        return mail.subject;
      },
    ],
    [
      'clean up: staff closes the smoke case',
      async () => {
        expectStatus(
          await call(o, 'PATCH', `/cases/${state.caseNumber}`, state.staff, { status: 'closed' }),
          200,
          'PATCH /cases/{n}',
        );
      },
    ],
  ];
  for (const [name, step] of steps) {
    try {
      const note = await step();
      print(`PASS ${name}${note ? ` (${note})` : ''}`);
    } catch (err) {
      print(`FAIL ${name}: ${err instanceof StepFailed ? err.message : String(err)}`);
      return false;
    }
  }
  print(`smoke passed against ${o.api}`);
  return true;
};

if (require.main === module) {
  let options: Options;
  try {
    options = parseSmokeArgs(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  runSmoke(options).then(
    (ok) => process.exit(ok ? 0 : 1),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

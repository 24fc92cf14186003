/**
 * `npm run --silent token -- <email> [--client web|mobile]` or `-- --machine <clientId>`: prints
 * a bearer token from the local issuer, and nothing else, for `$(...)` in a shell. Signs with
 * the shared key file, so the server need not be running (it verifies with the same file) for
 * demo users; anyone else (a requester whose access request was approved, ACC-6) is looked up
 * by email in the running local mode's directory (DYNAMODB_PORT, TABLE_NAME).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { userIdByEmail } from '../lambdas/data/mail-repo';
import { clientIds, signMachineToken, signUserToken } from '../local/issuer';
import type { UserClient } from '../local/issuer';
import { DEMO_USERS } from '../local/demo-data';

const usage = [
  'Usage: npm run --silent token -- <email> [--client web|mobile]',
  '       npm run --silent token -- --machine monitoring',
].join('\n');

const fail = (message: string): never => {
  process.stderr.write(`${message}\n`);
  process.exit(2);
};

/** A directory user of the running local mode (ACC-6: created by an approved access request). */
const directoryUser = async (email: string): Promise<string | undefined> => {
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${process.env.DYNAMODB_PORT || 8000}`,
    region: process.env.AWS_REGION ?? 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const doc = DynamoDBDocumentClient.from(client);
    return await userIdByEmail({ doc, table: process.env.TABLE_NAME || 'casework-local' }, email.toLowerCase());
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
};

const main = async () => {
  const args = process.argv.slice(2);
  let email: string | undefined;
  let client: UserClient = 'web';
  let machine: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--client') {
      const value = args[++i];
      if (value !== 'web' && value !== 'mobile') fail(`--client must be web or mobile\n${usage}`);
      client = value as UserClient;
    } else if (arg === '--machine') {
      machine = args[++i] ?? fail(`--machine needs a client id\n${usage}`);
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${usage}\n`);
      return;
    } else if (arg.startsWith('-') || email) {
      fail(`Unexpected argument ${arg}\n${usage}`);
    } else {
      email = arg;
    }
  }

  if (machine) {
    if (email) fail(`Give an email or --machine, not both\n${usage}`);
    // The local gateway only accepts its known clients, as the HTTP API's authorizer lists its audiences.
    if (machine !== clientIds().machine) fail(`Unknown machine client ${machine}; the known one is ${clientIds().machine}`);
    process.stdout.write(`${signMachineToken(machine)}\n`);
    return;
  }
  if (!email) return fail(usage);
  const demo = DEMO_USERS.find((u) => u.email.toLowerCase() === email!.toLowerCase());
  const userId = demo?.userId ?? (await directoryUser(email));
  if (!userId) {
    fail(
      `No user ${email} (not a demo user, and not in the directory of local mode at DYNAMODB_PORT). Demo users:\n${DEMO_USERS.map((u) => `  ${u.email}`).join('\n')}`,
    );
    return;
  }
  process.stdout.write(`${signUserToken({ sub: userId, email: email.toLowerCase(), client })}\n`);
};

void main();

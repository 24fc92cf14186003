/**
 * `npm run bootstrap-admin -- --table <TableName> --user-pool-id <UserPoolId> --email <address>
 * --name "<name>" [--region US|EU]`: the first portal admin of a new deployment (docs/deploy.md,
 * step 7). A fresh table holds no directory, so nobody could sign in and manage anyone else;
 * this creates the Cognito user (Cognito mails a temporary password) and the staff profile under
 * the user's `sub`, through the same adapter and data module the API uses. Runs with the
 * deployer's AWS credentials (cognito-idp:AdminGetUser/AdminCreateUser/AdminUpdateUserAttributes
 * on the pool, dynamodb:PutItem on the table). Running it again brings the profile up to date.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { cognitoUserAccounts } from '../lambdas/adapters/cognito-accounts';
import { putUser } from '../lambdas/data/directory-repo';

const USAGE =
  'Usage: npm run bootstrap-admin -- --table <TableName> --user-pool-id <UserPoolId> --email <address> --name "<name>" [--region US|EU] [--time-zone <IANA zone>]';

const args = (argv: string[]): Map<string, string> => {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (!arg.startsWith('--') || value === undefined) throw new Error(USAGE);
    flags.set(arg.slice(2), value);
    i++;
  }
  return flags;
};

const main = async () => {
  const flags = args(process.argv.slice(2));
  const need = (name: string): string => {
    const value = flags.get(name);
    if (!value) throw new Error(`--${name} is required\n${USAGE}`);
    return value;
  };
  const table = need('table');
  const userPoolId = need('user-pool-id');
  const email = need('email').trim().toLowerCase();
  const name = need('name');
  const region = flags.get('region') ?? 'US';
  if (!['US', 'EU'].includes(region)) throw new Error(`--region must be US or EU (ACC-8): got ${region}`);

  const userId = await cognitoUserAccounts({ userPoolId }).ensureUser({ email, name });
  const client = new DynamoDBClient({});
  try {
    await putUser(
      { doc: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }), table },
      {
        userId,
        email,
        name,
        timeZone: flags.get('time-zone') ?? 'UTC',
        staff: { role: 'admin', region, supportGroups: [] },
        settings: { defaultList: 'all', notifications: {} },
      },
    );
  } finally {
    client.destroy();
  }
  console.log(
    `portal admin ${email} is user ${userId}; Cognito mails the temporary password. They accept the Terms on first sign-in.`,
  );
};

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

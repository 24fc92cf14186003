/**
 * ACC-6: an approved requester's sign-in in the Cognito user pool. The pool's username attribute
 * is the email (lib/constructs/identity.ts: signInAliases { email } without username), so the
 * admin calls take the address as Username and no ListUsers is needed; the user's `sub` is their
 * directory id, the `sub` of their tokens.
 *
 * The access request proved the address with a mailed code, so it is marked verified; a new user
 * gets Cognito's invitation mail with a temporary password. A known user keeps their account and
 * password; only their name and the verification are brought up to date.
 */
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
  UsernameExistsException,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { UserAccounts } from '../domain/access/ports';

const subOf = (attributes: AttributeType[] | undefined, email: string): string => {
  const sub = attributes?.find((a) => a.Name === 'sub')?.Value;
  // Cognito always reports sub; without it the approval would grant access to nobody.
  if (!sub) throw new Error(`Cognito returned no sub for the user of ${email}`);
  return sub;
};

export const cognitoUserAccounts = (opts: { userPoolId: string; client?: CognitoIdentityProviderClient }): UserAccounts => {
  let cognito = opts.client;
  const client = () => (cognito ??= new CognitoIdentityProviderClient({}));
  const UserPoolId = opts.userPoolId;

  /** The user's attributes, or undefined when the pool has nobody with this address. */
  const find = async (email: string) => {
    try {
      return (await client().send(new AdminGetUserCommand({ UserPoolId, Username: email }))).UserAttributes ?? [];
    } catch (err) {
      if (err instanceof UserNotFoundException) return undefined;
      throw err;
    }
  };

  const refresh = async (email: string, name: string, attributes: AttributeType[]): Promise<string> => {
    await client().send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId,
        Username: email,
        UserAttributes: [
          { Name: 'name', Value: name },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    return subOf(attributes, email);
  };

  return {
    ensureUser: async ({ email: given, name }) => {
      // The pool compares case-insensitively (signInCaseSensitive: false); one spelling in our calls.
      const email = given.trim().toLowerCase();
      const known = await find(email);
      if (known) return refresh(email, name, known);
      try {
        const created = await client().send(
          new AdminCreateUserCommand({
            UserPoolId,
            Username: email,
            UserAttributes: [
              { Name: 'email', Value: email },
              { Name: 'email_verified', Value: 'true' },
              { Name: 'name', Value: name },
            ],
            // Cognito mails the temporary password (the pool's invitation message).
            DesiredDeliveryMediums: ['EMAIL'],
          }),
        );
        return subOf(created.User?.Attributes, email);
      } catch (err) {
        // Another approval for the same address created the user between our get and create.
        if (!(err instanceof UsernameExistsException)) throw err;
        const raced = await find(email);
        if (!raced) throw err;
        return refresh(email, name, raced);
      }
    },
  };
};

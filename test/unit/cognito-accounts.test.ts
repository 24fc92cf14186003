/**
 * ACC-6: approval grants the level to the requester, who must then be able to sign in: in AWS
 * that is a user of the Cognito pool (whose username is the email address), and the user id the
 * grant is written for is that user's `sub`, the `sub` of their tokens. Against aws-sdk-client-mock.
 */
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  InternalErrorException,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { cognitoUserAccounts } from '../../lambdas/adapters/cognito-accounts';
import { ConfigurationError } from '../../lambdas/adapters/config';
import { localUserId, userAccounts } from '../../lambdas/adapters/user-accounts';
import { environmentOf, TEST_BINDINGS, withEnvironment } from '../helpers/function-env';

const POOL = 'eu-west-1_Pool12345';
const SUB = '7c1f6a52-90b1-4d1e-8a3e-2f6d0c9b1e11';
const cognito = mockClient(CognitoIdentityProviderClient);
beforeEach(() => cognito.reset());

const accounts = () =>
  cognitoUserAccounts({ userPoolId: POOL, client: new CognitoIdentityProviderClient({ region: 'eu-west-1' }) });
const notFound = () => new UserNotFoundException({ message: 'User does not exist.', $metadata: {} });
const userOf = (sub: string) => ({
  Username: sub,
  UserAttributes: [
    { Name: 'sub', Value: sub },
    { Name: 'email', Value: 'nina@acme.example' },
  ],
});

describe('ACC-6: the Cognito sign-in of an approved requester', () => {
  it('ACC-6: a new address becomes a pool user with that verified email and name, mailed a temporary password; its sub is the id', async () => {
    cognito.on(AdminGetUserCommand).rejects(notFound());
    cognito.on(AdminCreateUserCommand).resolves({ User: { Attributes: [{ Name: 'sub', Value: SUB }] } });

    expect(await accounts().ensureUser({ email: 'Nina@Acme.example', name: 'Nina New' })).toBe(SUB);

    expect(cognito.commandCalls(AdminGetUserCommand)[0].args[0].input).toEqual({
      UserPoolId: POOL,
      Username: 'nina@acme.example',
    });
    expect(cognito.commandCalls(AdminCreateUserCommand)[0].args[0].input).toEqual({
      UserPoolId: POOL,
      Username: 'nina@acme.example',
      UserAttributes: expect.arrayContaining([
        { Name: 'email', Value: 'nina@acme.example' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'name', Value: 'Nina New' },
      ]),
      DesiredDeliveryMediums: ['EMAIL'],
    });
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)).toHaveLength(0);
  });

  it('ACC-6: a known address keeps its user (no new account, no new password); name and verification are updated', async () => {
    cognito.on(AdminGetUserCommand).resolves(userOf(SUB));
    cognito.on(AdminUpdateUserAttributesCommand).resolves({});

    expect(await accounts().ensureUser({ email: 'nina@acme.example', name: 'Nina Renamed' })).toBe(SUB);

    expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(0);
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)[0].args[0].input).toEqual({
      UserPoolId: POOL,
      Username: 'nina@acme.example',
      UserAttributes: expect.arrayContaining([
        { Name: 'name', Value: 'Nina Renamed' },
        { Name: 'email_verified', Value: 'true' },
      ]),
    });
  });

  it('ACC-6: when another approval creates the user first (UsernameExists), the user it created is the one granted', async () => {
    cognito.on(AdminGetUserCommand).rejectsOnce(notFound()).resolves(userOf(SUB));
    cognito
      .on(AdminCreateUserCommand)
      .rejects(new UsernameExistsException({ message: 'An account with the given email already exists.', $metadata: {} }));
    cognito.on(AdminUpdateUserAttributesCommand).resolves({});

    expect(await accounts().ensureUser({ email: 'nina@acme.example', name: 'Nina New' })).toBe(SUB);
    expect(cognito.commandCalls(AdminGetUserCommand)).toHaveLength(2);
    expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(1);
  });

  it('ACC-6: a Cognito failure rejects, so the approval writes nothing (no grant without a sign-in)', async () => {
    cognito.on(AdminGetUserCommand).rejects(new InternalErrorException({ message: 'boom', $metadata: {} }));
    await expect(accounts().ensureUser({ email: 'nina@acme.example', name: 'Nina New' })).rejects.toThrow('boom');
    expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(0);
  });
});

describe('ACC-6: the sign-in directory is chosen by the userPool binding, not by STAGE', () => {
  const directory = async (email: string) => (email === 'dana@acme.example' ? 'u-dana' : undefined);
  const base = environmentOf('decide-access-request');

  it('ACC-6: decide-access-request is bound to the pool (USER_POOL_ID), and with it approvals go to Cognito', async () => {
    expect(base.USER_POOL_ID).toBe(TEST_BINDINGS.userPoolId);
    cognito.on(AdminGetUserCommand).resolves(userOf(SUB));
    cognito.on(AdminUpdateUserAttributesCommand).resolves({});
    // STAGE is 'test' here: the binding, not the stage, decides.
    const id = await withEnvironment(base, () =>
      userAccounts(directory).ensureUser({ email: 'dana@acme.example', name: 'Dana' }),
    );
    expect(id).toBe(SUB);
    expect(cognito.commandCalls(AdminGetUserCommand)[0].args[0].input.UserPoolId).toBe(TEST_BINDINGS.userPoolId);
  });

  it('ACC-6: an empty USER_POOL_ID (local mode: no pool) uses the directory, whose users the local issuer signs in', async () => {
    const local = { ...base, USER_POOL_ID: '', STAGE: 'prod' };
    await withEnvironment(local, async () => {
      expect(await userAccounts(directory).ensureUser({ email: 'dana@acme.example', name: 'Dana' })).toBe('u-dana');
      expect(await userAccounts(directory).ensureUser({ email: 'new@acme.example', name: 'New' })).toBe(
        localUserId('new@acme.example'),
      );
    });
    expect(cognito.calls()).toHaveLength(0);
  });

  it('ACC-6: a function without the binding fails loudly (ConfigurationError) instead of granting an unusable access', async () => {
    const unbound = environmentOf('get-me');
    expect(unbound.USER_POOL_ID).toBeUndefined();
    await withEnvironment({ ...unbound, STAGE: 'local' }, async () => {
      await expect(userAccounts(directory).ensureUser({ email: 'dana@acme.example', name: 'Dana' })).rejects.toBeInstanceOf(
        ConfigurationError,
      );
    });
    expect(cognito.calls()).toHaveLength(0);
  });
});

import { Match } from 'aws-cdk-lib/assertions';
import { INGEST_SCOPE } from '../../lambdas/domain/kernel/policy';
import { build, built, resourcesOf } from './synth';

const client = (name: string, stage: 'dev' | 'prod' = 'dev') => {
  const found = Object.values(resourcesOf(built(stage).appTemplate, 'AWS::Cognito::UserPoolClient')).filter(
    (c) => c.Properties.ClientName === name,
  );
  expect(found).toHaveLength(1);
  return found[0]!.Properties;
};

describe('user pool', () => {
  it('ACC-6: no self sign-up; users sign in with their email', () => {
    built().appTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    });
  });

  it('demands strong passwords and offers TOTP MFA', () => {
    built().appTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 12,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
  });

  it('prod: Plus plan with enforced threat protection, deletion protection, retained', () => {
    const { appTemplate } = built('prod');
    appTemplate.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        DeletionProtection: 'ACTIVE',
      }),
    });
  });

  it('dev: Essentials plan, removable', () => {
    built('dev').appTemplate.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ UserPoolTier: 'ESSENTIALS', DeletionProtection: 'INACTIVE' }),
    });
  });

  it('has the resource server behind the ingest scope', () => {
    const [identifier, scope] = INGEST_SCOPE.split('/');
    built().appTemplate.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: identifier,
      Scopes: [Match.objectLike({ ScopeName: scope })],
    });
  });

  it('hosted sign-in domain is casework-<stage>-<account> (unique across accounts), or the cognitoDomainPrefix context', () => {
    for (const stage of ['dev', 'prod'] as const) {
      built(stage).appTemplate.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
        Domain: { 'Fn::Join': ['', [`casework-${stage}-`, { Ref: 'AWS::AccountId' }]] },
      });
    }
    build({ cognitoDomainPrefix: 'acme-casework-test' }).appTemplate.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'acme-casework-test',
    });
  });
});

describe('app clients', () => {
  it('web: authorization code and refresh only, tokens live 60 minutes', () => {
    expect(client('web')).toMatchObject({
      AllowedOAuthFlows: ['code'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: ['http://localhost:5173/auth/callback'],
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes' },
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect(client('web').GenerateSecret).toBeUndefined();
  });

  it('ACC-10: mobile tokens live 10 minutes, the refresh token the Cognito minimum of 60', () => {
    expect(client('mobile')).toMatchObject({
      AllowedOAuthFlows: ['code'],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      AccessTokenValidity: 10,
      IdTokenValidity: 10,
      RefreshTokenValidity: 60,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'minutes' },
    });
  });

  it('ACC-10: the mobile client enables token revocation, so refreshed tokens keep the sign-in (origin_jti)', () => {
    expect(client('mobile').EnableTokenRevocation).toBe(true);
    expect(client('mobile', 'prod').EnableTokenRevocation).toBe(true);
  });

  it('web: signing out can revoke the refresh token (token revocation on)', () => {
    expect(client('web').EnableTokenRevocation).toBe(true);
  });

  it('NOTE-4: user tokens never carry aws.cognito.signin.user.admin (no self-service attribute edits)', () => {
    for (const name of ['web', 'mobile']) {
      expect(client(name).AllowedOAuthScopes).not.toContain('aws.cognito.signin.user.admin');
      expect(client(name).ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
    }
  });

  it('monitoring: a machine client with a secret, client credentials, scope casework/ingest only', () => {
    const monitoring = client('monitoring');
    expect(monitoring).toMatchObject({ GenerateSecret: true, AllowedOAuthFlows: ['client_credentials'] });
    const [, scope] = INGEST_SCOPE.split('/');
    expect(monitoring.AllowedOAuthScopes).toEqual([{ 'Fn::Join': ['', [{ Ref: expect.any(String) }, `/${scope}`]] }]);
  });
});

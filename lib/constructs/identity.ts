import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { INGEST_SCOPE } from '../../lambdas/domain/kernel/policy';
import type { Stage } from '../stage';

export interface CaseworkIdentityProps {
  readonly stage: Stage;
  /** Hosted sign-in domain prefix; unique per region across all AWS accounts. */
  readonly domainPrefix: string;
  /** The web portal's origin: its sign-in callback and sign-out landing page live there. */
  readonly portalOrigin: string;
  /** Where the mobile app receives the authorization code. */
  readonly mobileCallbackUrl?: string;
  /**
   * Lets IAM principals sign users in on the web client with AdminInitiateAuth, for
   * `npm run smoke` against a deployment (context `smokeSignIn=true`). Tokens issued that way
   * carry aws.cognito.signin.user.admin, so it stays off unless a deployer asks. @default false
   */
  readonly adminPasswordSignIn?: boolean;
}

// The one scope machine clients get, named once in the domain policy.
const [RESOURCE_SERVER_ID, INGEST_SCOPE_NAME] = INGEST_SCOPE.split('/') as [string, string];

/**
 * Who may sign in: staff and customer contacts (invited, never self-registered) through the web
 * portal and the mobile app, and monitoring systems through the client-credentials flow.
 */
export class CaseworkIdentity extends Construct {
  public readonly userPool: cognito.UserPool;
  public readonly domain: cognito.UserPoolDomain;
  public readonly web: cognito.UserPoolClient;
  public readonly mobile: cognito.UserPoolClient;
  /** Machine client of the alarm/incident monitoring feed (ALARM-1, ALARM-2). */
  public readonly monitoring: cognito.UserPoolClient;

  public constructor(scope: Construct, id: string, props: CaseworkIdentityProps) {
    super(scope, id);
    const prod = props.stage === 'prod';

    this.userPool = new cognito.UserPool(this, 'Users', {
      // ACC-6: accounts come from approved access requests, never from a sign-up form.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Threat protection is priced per active user on the Plus plan: prod pays for it, dev
      // (demo users only) does not.
      featurePlan: prod ? cognito.FeaturePlan.PLUS : cognito.FeaturePlan.ESSENTIALS,
      ...(prod ? { standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION } : {}),
      deletionProtection: prod,
      removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional by product decision: TOTP is offered to every user, and in prod threat ' +
        'protection (Plus plan, enforced) scores each sign-in and can demand the second factor.',
    });
    if (!prod) {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG8',
        reason: 'Dev holds demo users only; the Plus plan (threat protection) is bought for prod, where it is on.',
      });
    }

    const ingest = new cognito.ResourceServerScope({
      scopeName: INGEST_SCOPE_NAME,
      scopeDescription: 'Send alarms, cloud incidents and maintenance alerts',
    });
    const resourceServer = this.userPool.addResourceServer('Api', {
      identifier: RESOURCE_SERVER_ID,
      userPoolResourceServerName: 'Casework API',
      scopes: [ingest],
    });

    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.domainPrefix } });

    const userScopes = [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE];
    // Only the authorization-code flow (plus refresh). With no SRP or password flow, tokens carry
    // just the scopes above and never aws.cognito.signin.user.admin, so a user cannot change
    // their own name or email behind the API's back (NOTE-4).
    const codeFlowOnly = { userSrp: false };

    this.web = this.userPool.addClient('Web', {
      userPoolClientName: 'web',
      authFlows: props.adminPasswordSignIn ? { ...codeFlowOnly, adminUserPassword: true } : codeFlowOnly,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: userScopes,
        callbackUrls: [`${props.portalOrigin}/auth/callback`],
        logoutUrls: [`${props.portalOrigin}/`],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.minutes(60),
      idTokenValidity: Duration.minutes(60),
      // A working day; after that the portal sends the user through sign-in again.
      refreshTokenValidity: Duration.hours(12),
      // Signing out revokes the refresh token and every access token refreshed from it.
      enableTokenRevocation: true,
    });

    this.mobile = this.userPool.addClient('Mobile', {
      userPoolClientName: 'mobile',
      authFlows: codeFlowOnly,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: userScopes,
        callbackUrls: [props.mobileCallbackUrl ?? 'casework://auth/callback'],
        logoutUrls: [props.mobileCallbackUrl ?? 'casework://auth/callback'],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      // ACC-10: mobile sessions end after 10 minutes idle. Tokens die after 10 minutes; the
      // refresh token cannot be shorter than Cognito's minimum of 60 minutes.
      accessTokenValidity: Duration.minutes(10),
      idTokenValidity: Duration.minutes(10),
      refreshTokenValidity: Duration.minutes(60),
      // ACC-10: with revocation on, every token refreshed from one sign-in carries that sign-in's
      // origin_jti, so the API keeps one idle clock per sign-in and a refresh cannot restart it
      // (tokens without origin_jti are refused). Set explicitly, not left to the service default.
      enableTokenRevocation: true,
    });

    this.monitoring = this.userPool.addClient('Monitoring', {
      userPoolClientName: 'monitoring',
      generateSecret: true,
      authFlows: codeFlowOnly,
      oAuth: {
        flows: { clientCredentials: true },
        scopes: [cognito.OAuthScope.resourceServer(resourceServer, ingest)],
      },
      accessTokenValidity: Duration.minutes(60),
      // Client credentials issue no refresh token, so there is nothing to revoke; a leaked
      // secret is answered by rotating it.
    });
  }

  /** The token issuer the HTTP API's JWT authorizer trusts. */
  public get issuer(): string {
    return `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
  }

  /**
   * Every client whose tokens the API accepts. The authorizer matches `client_id` of access tokens
   * (and `aud` of ID tokens, which the handlers then refuse: token_use must be `access`).
   */
  public get audience(): string[] {
    return [this.web.userPoolClientId, this.mobile.userPoolClientId, this.monitoring.userPoolClientId];
  }
}

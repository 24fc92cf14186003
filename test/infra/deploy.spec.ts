/**
 * What CloudFormation and the services would refuse at deploy time that no linter sees: physical
 * names within their limits and distinct between stages that share an account, Cognito's domain
 * prefix rules, SES names, and the outputs the deploy checklist and the smoke test read.
 */
import { Aws, Stack, Token } from 'aws-cdk-lib';
import { cognitoDomainPrefixFor, mailDomainFor } from '../../lib/casework-app';
import { build, built, PROD_CONTEXT, type Built } from './synth';

type Json = Record<string, unknown>;

/** Every explicit physical name in a template, by resource type and property. */
const NAMED: Record<string, { property: string; max: number; pattern?: RegExp }[]> = {
  // Limits from the CloudFormation resource reference of each type.
  'AWS::ApiGatewayV2::Api': [{ property: 'Name', max: 128 }],
  'AWS::SES::ReceiptRuleSet': [{ property: 'RuleSetName', max: 64, pattern: /^[A-Za-z0-9][A-Za-z0-9._-]*$/ }],
  'AWS::Cognito::UserPoolClient': [{ property: 'ClientName', max: 128 }],
  'AWS::Logs::LogGroup': [{ property: 'LogGroupName', max: 512 }],
  'AWS::SQS::Queue': [{ property: 'QueueName', max: 80 }],
  'AWS::SNS::Topic': [{ property: 'TopicName', max: 256 }],
  'AWS::Lambda::Function': [{ property: 'FunctionName', max: 64 }],
  'AWS::IAM::Role': [{ property: 'RoleName', max: 64 }],
  'AWS::S3::Bucket': [{ property: 'BucketName', max: 63 }],
  'AWS::DynamoDB::GlobalTable': [{ property: 'TableName', max: 255 }],
};

const templates = (b: Built): Json[] => [b.dataTemplate.toJSON() as Json, b.appTemplate.toJSON() as Json];

/** Names that exist in the account/region as given (CloudFormation's own, generated ones are unique by construction). */
const physicalNames = (b: Built): string[] => {
  const names: string[] = [];
  for (const t of templates(b)) {
    for (const r of Object.values((t.Resources ?? {}) as Record<string, { Type: string; Properties?: Json }>)) {
      for (const { property, max, pattern } of NAMED[r.Type] ?? []) {
        const value = r.Properties?.[property];
        if (typeof value !== 'string') continue;
        expect({ type: r.Type, value, fits: value.length <= max }).toEqual({ type: r.Type, value, fits: true });
        if (pattern) expect(value).toMatch(pattern);
        if (['AWS::ApiGatewayV2::Api', 'AWS::Cognito::UserPoolClient'].includes(r.Type)) continue; // per-API / per-pool names
        names.push(`${r.Type}:${value}`);
      }
    }
  }
  return names;
};

const exportsOf = (b: Built): string[] =>
  templates(b).flatMap((t) =>
    Object.values((t.Outputs ?? {}) as Record<string, { Export?: { Name: unknown } }>)
      .map((o) => o.Export?.Name)
      .filter((n): n is string => typeof n === 'string'),
  );

describe('deployable side by side: dev and prod in one account and region', () => {
  it('every explicit physical name is within its limit, and no name is shared by the two stages', () => {
    const dev = physicalNames(built('dev'));
    const prod = physicalNames(built('prod'));
    expect(dev.filter((n) => prod.includes(n))).toEqual([]);
  });

  it('stack names and export names differ between stages and fit CloudFormation (128 and 255 characters)', () => {
    const [dev, prod] = [built('dev'), built('prod')];
    for (const b of [dev, prod]) for (const s of [b.data, b.appStack]) expect(s.stackName.length).toBeLessThanOrEqual(128);
    const devExports = exportsOf(dev);
    const prodExports = exportsOf(prod);
    expect(devExports.length).toBeGreaterThan(0);
    for (const name of [...devExports, ...prodExports]) expect(name.length).toBeLessThanOrEqual(255);
    expect(devExports.filter((n) => prodExports.includes(n))).toEqual([]);
  });

  it('the Cognito domain prefix differs per stage and per account by default', () => {
    const stack = built('dev').appStack;
    const prefix = (stage: 'dev' | 'prod') => Stack.of(stack).resolve(cognitoDomainPrefixFor(stage, undefined));
    expect(prefix('dev')).toEqual({ 'Fn::Join': ['', ['casework-dev-', { Ref: 'AWS::AccountId' }]] });
    expect(prefix('prod')).toEqual({ 'Fn::Join': ['', ['casework-prod-', { Ref: 'AWS::AccountId' }]] });
    // 'casework-prod-' plus a 12-digit account id: within Cognito's 63 characters.
    expect(`casework-prod-${'1'.repeat(12)}`.length).toBeLessThanOrEqual(63);
    expect(Token.isUnresolved(cognitoDomainPrefixFor('dev', undefined))).toBe(true);
    expect(cognitoDomainPrefixFor('dev', undefined)).toContain(Aws.ACCOUNT_ID);
  });

  it('a given Cognito domain prefix is checked against Cognito rules at synth', () => {
    expect(cognitoDomainPrefixFor('prod', 'acme-support')).toBe('acme-support');
    for (const bad of ['Acme', 'acme_support', '-acme', 'acme-', 'my-aws-login', 'amazon-x', 'cognito-x', 'a'.repeat(64)]) {
      expect(() => cognitoDomainPrefixFor('prod', bad)).toThrow(/cognitoDomainPrefix/);
    }
  });
});

describe('mail domain and SES identity', () => {
  it('prod needs a mail domain; dev defaults to the example domain', () => {
    expect(() => mailDomainFor('prod', undefined)).toThrow(/Stage prod needs the mail domain/);
    expect(mailDomainFor('dev', undefined)).toBe('casework.example.com');
    expect(mailDomainFor('prod', 'support.acme.example')).toBe('support.acme.example');
    for (const bad of ['Support.Example.com', 'example', 'a..b.com', 'support@example.com']) {
      expect(() => mailDomainFor('prod', bad)).toThrow(/mailDomain/);
    }
  });

  it('the stack creates the domain identity with Easy DKIM and outputs the three DKIM records and the MX record', () => {
    const t = built('prod').appTemplate;
    t.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: PROD_CONTEXT.mailDomain,
      DkimAttributes: { SigningEnabled: true },
    });
    const outputs = t.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['DkimRecord1', 'DkimRecord2', 'DkimRecord3', 'MxRecord']));
    expect(JSON.stringify(outputs.MxRecord.Value)).toContain(`${PROD_CONTEXT.mailDomain} MX 10 inbound-smtp.`);
  });

  it('with mailIdentity=existing the stack leaves an identity the account already has alone', () => {
    const t = build({ mailIdentity: 'existing' }).appTemplate;
    t.resourceCountIs('AWS::SES::EmailIdentity', 0);
    expect(() => build({ mailIdentity: 'maybe' })).toThrow(/mailIdentity must be create or existing/);
  });

  it('outputs the exact command that activates the receipt rule set, and the rule set names its stage', () => {
    for (const stage of ['dev', 'prod'] as const) {
      const outputs = built(stage).appTemplate.toJSON().Outputs as Record<string, { Value: unknown }>;
      expect(JSON.stringify(outputs.ActivateInboundCommand.Value)).toContain(
        `aws ses set-active-receipt-rule-set --rule-set-name casework-${stage}-inbound --region `,
      );
    }
  });
});

describe('what the checklist and the smoke test read', () => {
  it('outputs the API URL, user pool, web client, auth domain, and (data stack) the table name', () => {
    const outputs = Object.keys(built('dev').appTemplate.toJSON().Outputs as object);
    expect(outputs).toEqual(expect.arrayContaining(['ApiUrl', 'UserPoolId', 'WebClientId', 'AuthDomain', 'MailDomain']));
    expect(Object.keys(built('dev').dataTemplate.toJSON().Outputs as object)).toContain('TableName');
  });

  it('AdminInitiateAuth on the web client only with smokeSignIn=true (NOTE-4 otherwise)', () => {
    const flows = (b: Built) =>
      Object.values(b.appTemplate.findResources('AWS::Cognito::UserPoolClient', { Properties: { ClientName: 'web' } }))[0]
        .Properties.ExplicitAuthFlows;
    expect(flows(built('dev'))).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
    expect(flows(build({ smokeSignIn: 'true' }))).toEqual(['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    build({ smokeSignIn: 'true' }).appTemplate.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'mobile',
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
    });
  });
});

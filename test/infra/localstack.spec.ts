/**
 * `-c target=localstack` (docs/localstack.md): the template holds only resource types that
 * LocalStack's free edition deploys, still passes cdk-nag, and AWS stays the default target.
 * No LocalStack runs here: this checks the template against LocalStack's published coverage.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, buildAppFor, buildLocalStackApp, type LocalStackCaseworkApp } from '../../lib/casework-app';
import { AppStack } from '../../lib/stacks/app-stack';
import { LocalStackAppStack } from '../../lib/stacks/localstack-app-stack';
import { SYNTH_CONTEXT, PROD_CONTEXT, built, type Resources } from './synth';

/**
 * The resource types Casework uses that LocalStack's CloudFormation lists under "Community image"
 * (https://docs.localstack.cloud/aws/services/cloudformation/, "Resources"); AWS::CDK::Metadata,
 * which the CLI adds, is listed there too.
 */
const COMMUNITY_TYPES = [
  // CloudWatch is in the free image (https://docs.localstack.cloud/aws/services/cloudwatch), and
  // LocalStack's own CloudFormation tests deploy alarms (test_cloudformation_cloudwatch.py).
  'AWS::CloudWatch::Alarm',
  'AWS::DynamoDB::GlobalTable',
  'AWS::Events::Rule',
  'AWS::IAM::Policy',
  'AWS::IAM::Role',
  'AWS::KMS::Key',
  'AWS::Lambda::EventInvokeConfig',
  'AWS::Lambda::EventSourceMapping',
  'AWS::Lambda::Function',
  'AWS::Lambda::Permission',
  'AWS::Logs::LogGroup',
  'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy',
  'AWS::SNS::Topic',
  'AWS::SNS::TopicPolicy',
  'AWS::SQS::Queue',
  'AWS::SQS::QueuePolicy',
  'AWS::SecretsManager::Secret',
];

/** ... and those it lists under "Pro image" only: what the LocalStack target must leave out. */
const PAID_ONLY_TYPES = [
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::Authorizer',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::Stage',
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
  'AWS::Cognito::UserPoolDomain',
  'AWS::Cognito::UserPoolResourceServer',
  // An SES v2 identity: "SES v2 is supported by LocalStack only in the pro image"
  // (https://docs.localstack.cloud/references/coverage/coverage_sesv2).
  'AWS::SES::EmailIdentity',
  'AWS::SES::ReceiptRule',
  'AWS::SES::ReceiptRuleSet',
];

const typesOf = (...templates: Template[]): string[] =>
  [...new Set(templates.flatMap((t) => Object.values(t.toJSON().Resources as Resources).map((r) => r.Type)))].sort();

let local: LocalStackCaseworkApp & { dataTemplate: Template; appTemplate: Template };
beforeAll(() => {
  const app = buildLocalStackApp(SYNTH_CONTEXT);
  local = { ...app, dataTemplate: Template.fromStack(app.data), appTemplate: Template.fromStack(app.appStack) };
});

describe('-c target=localstack', () => {
  it('every resource type is one LocalStack lists for its Community image', () => {
    const types = typesOf(local.dataTemplate, local.appTemplate);
    expect(types.filter((t) => !COMMUNITY_TYPES.includes(t))).toEqual([]);
  });

  it('leaves out Cognito, API Gateway v2 (HTTP and WebSocket) and the SES receipt rules', () => {
    const types = typesOf(local.dataTemplate, local.appTemplate);
    for (const prefix of ['AWS::Cognito::', 'AWS::ApiGatewayV2::', 'AWS::SES::']) {
      expect(types.filter((t) => t.startsWith(prefix))).toEqual([]);
    }
    expect(Object.keys(local.appTemplate.toJSON().Outputs)).toEqual(
      expect.not.arrayContaining(['ApiUrl', 'UserPoolId', 'ChatUrl', 'InboundRuleSet']),
    );
  });

  it('keeps the same table, with its stream, in the same data stack', () => {
    expect(local.data.stackName).toBe(built().data.stackName);
    expect(local.dataTemplate.toJSON().Resources).toEqual(built().dataTemplate.toJSON().Resources);
    local.dataTemplate.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
  });

  it('deploys the notifier (table stream, SNS), the sweep (EventBridge), the mail queue and the delivery queue with their consumers as on AWS', () => {
    const { appStack, appTemplate } = local;
    expect(appStack).toBeInstanceOf(LocalStackAppStack);
    appTemplate.resourceCountIs('AWS::Lambda::Function', 4);
    appTemplate.resourceCountIs('AWS::Lambda::EventSourceMapping', 3);
    appTemplate.resourceCountIs('AWS::Events::Rule', 1);
    appTemplate.resourceCountIs('AWS::SNS::Topic', 1);
    const functions = Object.values(appTemplate.findResources('AWS::Lambda::Function') as Resources);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
    }
    // Mail leaves through the mail queue's consumer, the one function that sends it.
    expect(
      functions.filter((fn) => JSON.stringify(fn.Properties.Environment).includes('"MAIL_DOMAIN":"casework.example.com"')).length,
    ).toBeGreaterThanOrEqual(1);
    expect(Object.keys(appTemplate.toJSON().Outputs)).toEqual(
      expect.arrayContaining(['IntegrationTopicArn', 'NotifierFunctionName', 'SweepFunctionName']),
    );
  });

  it.each([
    ['dev', undefined, undefined],
    ['dev', '000000000000', 'us-east-1'],
    ['prod', '123456789012', 'eu-west-1'],
  ])('%s synthesizes with no unacknowledged cdk-nag finding (account %s, region %s)', (stage, account, region) => {
    const { app } = buildLocalStackApp(
      { ...SYNTH_CONTEXT, stage, ...(stage === 'prod' ? PROD_CONTEXT : {}) },
      { account, region },
    );
    expect(() => app.synth()).not.toThrow();
  });
});

describe('targets', () => {
  it('AWS is the default: bin/app.ts without -c target builds the full app stack', () => {
    const app = buildAppFor({ ...SYNTH_CONTEXT, stage: 'prod', ...PROD_CONTEXT });
    expect(app.appStack).toBeInstanceOf(AppStack);
  });

  it('-c target=localstack builds the LocalStack app stack', () => {
    expect(buildAppFor({ ...SYNTH_CONTEXT, target: 'localstack' }).appStack).toBeInstanceOf(LocalStackAppStack);
  });

  it('an unknown target stops the synth, and buildApp builds AWS only', () => {
    expect(() => buildAppFor({ ...SYNTH_CONTEXT, target: 'localstack-pro' })).toThrow(/Unknown target "localstack-pro"/);
    expect(() => buildApp({ ...SYNTH_CONTEXT, target: 'localstack' })).toThrow(/buildAppFor/);
  });

  it('the AWS template uses only types LocalStack lists, Community or paid (a new type must be looked up)', () => {
    const types = typesOf(built().dataTemplate, built().appTemplate);
    expect(types.filter((t) => !COMMUNITY_TYPES.includes(t) && !PAID_ONLY_TYPES.includes(t))).toEqual([]);
    expect(types.filter((t) => PAID_ONLY_TYPES.includes(t))).toEqual(PAID_ONLY_TYPES);
  });
});

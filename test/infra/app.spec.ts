import { Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { buildApp } from '../../lib/casework-app';
import { SYNTH_CONTEXT, PROD_CONTEXT, built, logicalId } from './synth';

describe('stages', () => {
  it('the stage from context names the stacks', () => {
    expect([built('dev').data.stackName, built('dev').appStack.stackName]).toEqual(['Casework-Dev-Data', 'Casework-Dev-App']);
    expect([built('prod').data.stackName, built('prod').appStack.stackName]).toEqual(['Casework-Prod-Data', 'Casework-Prod-App']);
  });

  it('dev is the default stage', () => {
    expect(buildApp(SYNTH_CONTEXT).stage).toBe('dev');
  });

  it('an unknown stage stops the synth', () => {
    expect(() => buildApp({ ...SYNTH_CONTEXT, stage: 'staging' })).toThrow(/Unknown stage "staging"/);
  });

  it('prod stacks have termination protection', () => {
    expect(built('prod').data.terminationProtection).toBe(true);
    expect(built('prod').appStack.terminationProtection).toBe(true);
    expect(built('dev').data.terminationProtection).toBe(false);
  });

  it('the data stack holds the table and nothing the app stack owns', () => {
    const types = Object.values(built().dataTemplate.toJSON().Resources).map((r) => (r as { Type: string }).Type);
    expect(types).toEqual(['AWS::DynamoDB::GlobalTable']);
  });

  it('outputs the API URL, the user pool and the client ids', () => {
    const outputs = Object.keys(built().appTemplate.toJSON().Outputs);
    expect(outputs).toEqual(
      expect.arrayContaining(['ApiUrl', 'UserPoolId', 'WebClientId', 'MobileClientId', 'MonitoringClientId']),
    );
  });
});

describe('cdk-nag AwsSolutions and Serverless', () => {
  it.each(['dev', 'prod'])('%s synthesizes with no unacknowledged finding', (stage) => {
    const { app } = buildApp({ ...SYNTH_CONTEXT, stage, ...(stage === 'prod' ? PROD_CONTEXT : {}) });
    expect(() => app.synth()).not.toThrow();
  });

  // The CLI always sets CDK_DEFAULT_REGION, and CDK_DEFAULT_ACCOUNT with credentials: ARNs then
  // carry concrete values, and an acknowledgement must still name the same finding.
  it.each([
    ['dev', '123456789012', 'eu-west-1'],
    ['dev', '123456789012', 'ap-southeast-2'],
    ['dev', undefined, 'us-east-1'],
    ['prod', '123456789012', 'eu-west-1'],
    ['prod', '210987654321', 'us-west-2'],
    ['prod', '123456789012', 'ap-northeast-1'],
  ])('%s synthesizes with no unacknowledged finding in account %s, region %s', (stage, account, region) => {
    const { app } = buildApp(
      {
        ...SYNTH_CONTEXT,
        stage,
        ...(stage === 'prod' ? PROD_CONTEXT : {}),
      },
      { account, region },
    );
    expect(() => app.synth()).not.toThrow();
  });

  it('is really checking: an unacknowledged wildcard policy fails the synth', () => {
    const { app, appStack } = buildApp(SYNTH_CONTEXT);
    const role = new iam.Role(appStack, 'Careless', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5\[Action::s3:\*\]/);
  });

  it('the Serverless pack runs too, and is really checking: an async function with no failure target fails the synth', () => {
    const { app, appStack } = buildApp(SYNTH_CONTEXT);
    new lambda.Function(appStack, 'Careless', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {}'),
    });
    expect(() => app.synth()).toThrow(/Serverless-LambdaDLQ/);
  });

  it('the sweep, EventBridge target and function, has a dead-letter destination', () => {
    const { appStack, appTemplate } = built();
    const queue = logicalId(appStack.schedules.failures);
    appTemplate.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } } })],
    });
    appTemplate.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: logicalId(appStack.schedules.sweep) },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    });
  });

  it('every acknowledgement names one rule and says why', () => {
    const acks: [string, string, unknown][] = [];
    for (const node of built().app.node.findAll()) {
      for (const entry of node.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) acks.push([node.node.path, id, reason]);
      }
    }
    expect(acks.length).toBeGreaterThan(0);
    for (const [path, id, reason] of acks) {
      expect({ path, id, ok: /(AwsSolutions-[A-Z]+\d+|Serverless-[A-Za-z]+)/.test(id) }).toEqual({ path, id, ok: true });
      expect(typeof reason === 'string' && reason.trim().length >= 30).toBe(true);
    }
  });
});

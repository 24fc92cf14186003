import { App, Aws, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { AppStack } from './stacks/app-stack';
import { DataStack } from './stacks/data-stack';
import { LocalStackAppStack } from './stacks/localstack-app-stack';
import { parseTarget } from './target';
import { corsOriginsFor, DEV_PORTAL_ORIGIN, parseStage, type Stage } from './stage';

export { STAGES, parseStage, type Stage } from './stage';

export { DEV_PORTAL_ORIGIN } from './stage';

export { TARGETS, parseTarget, type Target } from './target';

/**
 * The browser origin CORS allows and Cognito redirects to. Prod never falls back to localhost:
 * a forgotten context would otherwise ship a prod API that only a developer's laptop may call.
 */
export const portalOriginFor = (stage: Stage, value: unknown): string => {
  if (value === undefined || value === null || value === '') {
    if (stage === 'prod') {
      throw new Error('Stage prod needs the portal origin: cdk synth -c stage=prod -c portalOrigin=https://portal.example.com');
    }
    return DEV_PORTAL_ORIGIN;
  }
  if (typeof value !== 'string' || !/^https?:\/\/[^/\s]+$/.test(value)) {
    throw new Error(`portalOrigin must be an origin (scheme://host[:port], no path): got ${JSON.stringify(value)}`);
  }
  if (stage === 'prod' && !value.startsWith('https://')) {
    throw new Error(`Stage prod needs an https portal origin: got ${JSON.stringify(value)}`);
  }
  return value;
};

/**
 * Cognito's hosted-UI domain prefix, unique across all AWS accounts of a region. The default
 * carries the account id so that two deployers (or dev and prod) never collide; a given prefix
 * is checked against Cognito's rules at synth rather than at the end of a deploy.
 */
export const cognitoDomainPrefixFor = (stage: Stage, value: unknown): string => {
  if (value === undefined || value === null || value === '') return `casework-${stage}-${Aws.ACCOUNT_ID}`;
  if (typeof value !== 'string' || !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(value)) {
    throw new Error(
      `cognitoDomainPrefix must be 1-63 lower-case letters, digits and inner hyphens: got ${JSON.stringify(value)}`,
    );
  }
  if (/aws|amazon|cognito/.test(value)) {
    throw new Error(`cognitoDomainPrefix may not contain aws, amazon or cognito (Cognito reserves them): got ${value}`);
  }
  return value;
};

/**
 * The mail domain. Prod has no default: nobody can verify the example domain, and a prod stack
 * that cannot send mail would look healthy until the first case.
 */
export const mailDomainFor = (stage: Stage, value: unknown): string => {
  if (value === undefined || value === null || value === '') {
    if (stage === 'prod')
      throw new Error('Stage prod needs the mail domain: cdk synth -c stage=prod -c mailDomain=support.example.com');
    return 'casework.example.com';
  }
  if (typeof value !== 'string' || !/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(value)) {
    throw new Error(`mailDomain must be a lower-case domain name: got ${JSON.stringify(value)}`);
  }
  return value;
};

/**
 * NOTE-1: an SNS platform application ARN from context (`-c pushApnsArn=arn:aws:sns:…:app/APNS/…`),
 * or '' when none is given (that platform is then not offered). APNs applications may be APNS or
 * APNS_SANDBOX.
 */
export const pushAppArn = (value: unknown, platform: 'APNS' | 'GCM'): string => {
  if (value === undefined || value === null || value === '') return '';
  const kinds = platform === 'APNS' ? 'APNS|APNS_SANDBOX' : 'GCM';
  if (typeof value !== 'string' || !new RegExp(`^arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:app/(${kinds})/[\\w.-]+$`).test(value)) {
    throw new Error(`push application ARN ${String(value)} is not an SNS ${platform} platform application ARN`);
  }
  return value;
};

const title = (stage: Stage): string => stage.charAt(0).toUpperCase() + stage.slice(1);

export interface CaseworkApp {
  readonly app: App;
  readonly stage: Stage;
  readonly data: DataStack;
  readonly appStack: AppStack;
}

/** `-c target=localstack`: the same data stack, and the app stack's LocalStack-free-edition part. */
export interface LocalStackCaseworkApp {
  readonly app: App;
  readonly stage: Stage;
  readonly data: DataStack;
  readonly appStack: LocalStackAppStack;
}

type Environment = { account?: string; region?: string };

// The CLI's own variables by default; tests pass concrete values to synthesize as a deploy would.
const cliEnvironment = (): Environment => ({
  account: process.env.CDK_DEFAULT_ACCOUNT,
  region: process.env.CDK_DEFAULT_REGION,
});

const newApp = (context: Record<string, unknown>): App =>
  new App({
    context: {
      // Said out loud rather than defaulted: exports make CloudFormation refuse to delete the
      // data stack while the app stack reads its table. The price is the "deadly embrace" when
      // a reference is removed (README of aws-cdk-lib, "Reference strength").
      '@aws-cdk/core:defaultCrossStackReferences': 'strong',
      ...context,
    },
  });

/** What both targets share: stage, mail domain, environment, stack names and the data stack. */
const common = (app: App, environment: Environment) => {
  const stage = parseStage(app.node.tryGetContext('stage') ?? 'dev');
  const mailDomain = mailDomainFor(stage, app.node.tryGetContext('mailDomain'));
  // Env-agnostic unless the CLI resolved an account: synth must work offline with no credentials.
  const env = { account: environment.account, region: environment.region };
  const prefix = `Casework-${title(stage)}`;
  const data = new DataStack(app, `${prefix}-Data`, {
    env,
    description: `Casework ${stage}: stateful resources (retained)`,
    terminationProtection: stage === 'prod',
  });
  return { stage, mailDomain, env, prefix, data };
};

const checked = (app: App, stage: Stage): void => {
  Tags.of(app).add('project', 'casework');
  Tags.of(app).add('stage', stage);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
};

const buildAwsApp = (app: App, environment: Environment): CaseworkApp => {
  // The portal origin is checked first: without it prod cannot be called from any browser.
  const portalOrigin = portalOriginFor(
    parseStage(app.node.tryGetContext('stage') ?? 'dev'),
    app.node.tryGetContext('portalOrigin'),
  );
  const { stage, mailDomain, env, prefix, data } = common(app, environment);
  const cognitoDomainPrefix = cognitoDomainPrefixFor(stage, app.node.tryGetContext('cognitoDomainPrefix'));
  const mailIdentity = app.node.tryGetContext('mailIdentity') ?? 'create';
  if (mailIdentity !== 'create' && mailIdentity !== 'existing') {
    throw new Error(`mailIdentity must be create or existing: got ${JSON.stringify(mailIdentity)}`);
  }
  const push = {
    apns: pushAppArn(app.node.tryGetContext('pushApnsArn'), 'APNS'),
    fcm: pushAppArn(app.node.tryGetContext('pushFcmArn'), 'GCM'),
  };
  const appStack = new AppStack(app, `${prefix}-App`, {
    env,
    terminationProtection: stage === 'prod',
    description: `Casework ${stage}: identity, HTTP API and functions`,
    stage,
    table: data.table,
    portalOrigin,
    corsOrigins: corsOriginsFor(stage, portalOrigin, app.node.tryGetContext('corsOrigins')),
    cognitoDomainPrefix,
    mailDomain,
    createMailIdentity: mailIdentity === 'create',
    smokeSignIn: ['true', true].includes(app.node.tryGetContext('smokeSignIn')),
    push,
  });
  checked(app, stage);
  return { app, stage, data, appStack };
};

const buildLocalStack = (app: App, environment: Environment): LocalStackCaseworkApp => {
  const { stage, mailDomain, env, prefix, data } = common(app, environment);
  const appStack = new LocalStackAppStack(app, `${prefix}-App`, {
    env,
    description: `Casework ${stage} on LocalStack (free edition): notifier and sweep, no HTTP API`,
    stage,
    table: data.table,
    mailDomain,
  });
  checked(app, stage);
  return { app, stage, data, appStack };
};

/**
 * The whole CDK app for AWS. The infrastructure tests build it here, so the tests check exactly
 * what deploys. `context` entries are defaults; the CLI's `-c` and cdk.json values win over them.
 */
export const buildApp = (context: Record<string, unknown> = {}, environment: Environment = cliEnvironment()): CaseworkApp => {
  const app = newApp(context);
  const target = parseTarget(app.node.tryGetContext('target'));
  if (target !== 'aws') throw new Error(`buildApp builds the AWS app; -c target=${target} is built by buildAppFor`);
  return buildAwsApp(app, environment);
};

/** `-c target=localstack` (docs/localstack.md), for tests; bin/app.ts goes through buildAppFor. */
export const buildLocalStackApp = (
  context: Record<string, unknown> = {},
  environment: Environment = cliEnvironment(),
): LocalStackCaseworkApp => buildLocalStack(newApp({ ...context, target: 'localstack' }), environment);

/** bin/app.ts: the app for the target the CLI names (`-c target=aws|localstack`, aws by default). */
export const buildAppFor = (
  context: Record<string, unknown> = {},
  environment: Environment = cliEnvironment(),
): CaseworkApp | LocalStackCaseworkApp => {
  const app = newApp(context);
  return parseTarget(app.node.tryGetContext('target')) === 'localstack'
    ? buildLocalStack(app, environment)
    : buildAwsApp(app, environment);
};

import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { indexList } from '../../lambdas/data/table';
import { grantsOf, INDEX_ACTIONS, READ_ACTIONS, type WritePattern } from '../../lambdas/data/writes';
import type { Stage } from '../casework-app';

/** The repository root: entries and the lock file are resolved from here, never from the cwd. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export const LOG_RETENTION: Record<Stage, logs.RetentionDays> = {
  dev: logs.RetentionDays.ONE_MONTH,
  prod: logs.RetentionDays.SIX_MONTHS,
};

/** Dev stacks are torn down often; prod logs are evidence and outlive a stack deletion. */
export const logRemovalPolicy = (stage: Stage): RemovalPolicy =>
  stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

export interface CaseworkFunctionProps extends Omit<
  NodejsFunctionProps,
  'entry' | 'handler' | 'runtime' | 'architecture' | 'logGroup' | 'role' | 'projectRoot' | 'depsLockFilePath'
> {
  /**
   * Handler module under `lambdas/`, without extension: `http/get-case` is
   * `lambdas/http/get-case.ts`, which exports `handler`.
   */
  readonly module: string;
  readonly stage: Stage;
}

/**
 * The one place for Lambda defaults. Everything that differs between functions is expressed
 * through the `bind*` helpers, so an environment variable never exists without the permission
 * that makes it usable, and no function receives a permission it has no variable for.
 */
export class CaseworkFunction extends NodejsFunction {
  public constructor(scope: Construct, id: string, props: CaseworkFunctionProps) {
    const { module, stage, environment, bundling, ...rest } = props;
    // Created in the parent scope because `this` does not exist before super(); an explicit
    // group (instead of Lambda's implicit one) is what gives us retention and a removal policy.
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: LOG_RETENTION[stage],
      removalPolicy: logRemovalPolicy(stage),
    });
    // Our own role instead of the default one: the default attaches AWSLambdaBasicExecutionRole,
    // which may write to every log group in the account; this one may write to its own only.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      memorySize: 512,
      timeout: Duration.seconds(10),
      tracing: lambda.Tracing.ACTIVE,
      ...rest,
      entry: CaseworkFunction.entryFor(module),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      logGroup,
      role,
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      bundling: {
        minify: true,
        sourceMap: true,
        // At runtime a source map only needs positions; the embedded sources are dead weight.
        sourcesContent: false,
        // Minification would otherwise rename classes, and stack traces and `err.name` with them.
        keepNames: true,
        target: 'node24',
        format: OutputFormat.CJS,
        // The SDK rides in the bundle so the code that runs is the code we tested, not whatever
        // SDK version the managed runtime happens to ship this week.
        bundleAwsSDK: true,
        externalModules: [],
        // esbuild's per-file size summary, times every function, drowns the synth output.
        logLevel: LogLevel.WARNING,
        ...bundling,
      },
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'casework',
        STAGE: stage,
        ...environment,
      },
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no ' +
        'resource-level permissions; every other statement of this role names its resources.',
    });
  }

  /** Absolute path of a handler module (NodejsFunction refuses one that does not exist). */
  public static entryFor(module: string): string {
    return path.join(REPO_ROOT, 'lambdas', `${module}.ts`);
  }

  /**
   * TABLE_NAME plus exactly the data-plane actions the function uses. Reads (never Scan) go to
   * the table, and queries to the indexes, named one by one from lambdas/data/table.ts (nothing
   * writes to an index). Each write action is granted on the items whose leading key starts with
   * a prefix its access patterns declare (lambdas/data/writes.ts), never on the whole table.
   */
  public bindTable(table: dynamodb.ITable, writes: readonly WritePattern[] = []): this {
    this.addEnvironment('TABLE_NAME', table.tableName);
    this.addToRolePolicy(
      new iam.PolicyStatement({ actions: READ_ACTIONS.map((a) => `dynamodb:${a}`), resources: [table.tableArn] }),
    );
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: INDEX_ACTIONS.map((a) => `dynamodb:${a}`),
        resources: indexList().map((index) => `${table.tableArn}/index/${index.name}`),
      }),
    );
    for (const [action, prefixes] of Object.entries(grantsOf(writes))) {
      this.addToRolePolicy(
        new iam.PolicyStatement({
          actions: [`dynamodb:${action}`],
          resources: [table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((p) => `${p}*`) } },
        }),
      );
    }
    return this;
  }

  /**
   * Outbound case mail (MAIL-1): MAIL_DOMAIN, and SES sending from that verified domain only.
   */
  public bindMailer(mailDomain: string): this {
    this.addEnvironment('MAIL_DOMAIN', mailDomain);
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendRawEmail', 'ses:SendEmail'],
        resources: [Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: mailDomain })],
        conditions: { StringLike: { 'ses:FromAddress': `*@${mailDomain}` } },
      }),
    );
    return this;
  }

  /** Issue 10: the integration topic: NOTIFY_TOPIC_ARN, and sns:Publish (and its key) on that topic only. */
  public bindTopic(topic: sns.ITopic): this {
    this.addEnvironment('NOTIFY_TOPIC_ARN', topic.topicArn);
    topic.grantPublish(this);
    return this;
  }

  /** The pagination-cursor signing key: its ARN, and read access to that one secret. */
  public bindSecret(secret: secretsmanager.ISecret): this {
    this.addEnvironment('CURSOR_SECRET_ARN', secret.secretArn);
    secret.grantRead(this);
    return this;
  }

  /**
   * App client ids, so handlers can tell which app a token came from (PRIV-2: no FedRAMP data
   * to the mobile app). Ids are not secrets and need no grant.
   */
  public setClients(clients: { web: string; mobile: string }): this {
    this.addEnvironment('WEB_CLIENT_ID', clients.web);
    this.addEnvironment('MOBILE_CLIENT_ID', clients.mobile);
    return this;
  }
}

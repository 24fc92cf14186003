import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { TABLE } from '../../lambdas/data/table';
import { grantsOf, INDEX_ACTIONS, READ_ACTIONS, type ReadGrant, type WritePattern } from '../../lambdas/data/writes';
import { ENV } from '../../lambdas/adapters/config';
import { allFunctionSpecs, ATTACHMENT_GRANTS, FIXED_ENVIRONMENT, portModulesOf, type FunctionBindings } from '../function-specs';
import { acknowledgeWildcardResources } from './nag';
import type { Stage } from '../stage';
import { buildBundles, REPO_ROOT } from './bundling';

export { REPO_ROOT };

export const LOG_RETENTION: Record<Stage, logs.RetentionDays> = {
  dev: logs.RetentionDays.ONE_MONTH,
  prod: logs.RetentionDays.SIX_MONTHS,
};

/** Dev stacks are torn down often; prod logs are evidence and outlive a stack deletion. */
export const logRemovalPolicy = (stage: Stage): RemovalPolicy =>
  stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

/** What a function's bindings (lib/function-specs.ts) are bound to. */
export interface BindingTargets {
  readonly table?: dynamodb.ITable;
  readonly cursorSecret?: secretsmanager.ISecret;
  readonly mailDomain?: string;
  readonly clients?: { web: string; mobile: string };
  readonly replyKeys?: secretsmanager.ISecret;
  readonly inbound?: { bucket: s3.IBucket; prefix: string };
  /** Cases' files (MAIL-2, CASE-6). */
  readonly attachments?: s3.IBucket;
  readonly topic?: sns.ITopic;
  /** SNS platform application ARNs (NOTE-1); '' for a platform the deployment does not offer. */
  readonly push?: { apns: string; fcm: string };
  /** The chat WebSocket API and its stage: the management endpoint. */
  readonly connections?: { apiId: string; stageName: string; callbackUrl: string };
  readonly chatTimers?: sqs.IQueue;
  /** The sign-in directory approved access requests create users in (ACC-6). */
  readonly userPool?: cognito.IUserPool;
  /** The mail queue, and its consumer's backoff. */
  readonly mailQueue?: { queue: sqs.IQueue; retry: { baseSeconds: number; capSeconds: number } };
  /** The delivery queue (NOTE-1, NOTE-2): chunks of an event's recipients. */
  readonly deliveryQueue?: sqs.IQueue;
}

export interface CaseworkFunctionProps extends Omit<
  lambda.FunctionProps,
  | 'code'
  | 'handler'
  | 'runtime'
  | 'architecture'
  | 'logGroup'
  | 'role'
  // Only bindings add variables, so that the environment is exactly what lib/function-specs.ts says.
  | 'environment'
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
export class CaseworkFunction extends lambda.Function {
  public constructor(scope: Construct, id: string, props: CaseworkFunctionProps) {
    const { module, stage, ...rest } = props;
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
      code: CaseworkFunction.codeFor(module),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      logGroup,
      role,
      environment: { ...FIXED_ENVIRONMENT, [ENV.STAGE]: stage },
    });
    acknowledgeWildcardResources(
      role,
      ['*'],
      'Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no ' +
        'resource-level permissions; every other statement of this role names its resources.',
    );
  }

  /**
   * The port modules the function's bindings load (portModulesOf), injected into its bundle: its
   * ports come from its spec, and no other port's client rides along.
   */
  public static portsFor(module: string): string[] {
    return CaseworkFunction.portModules(module).map(CaseworkFunction.entryFor);
  }

  private static portModules(module: string): string[] {
    const spec = [...allFunctionSpecs().values()].find((s) => s.module === module);
    return spec ? portModulesOf(spec) : [];
  }

  /**
   * The function's code asset. Bundled locally only when the CLI bundles its stack (`cdk deploy
   * <stack>`, `--exclusively`: Stack.bundlingRequired), like NodejsFunction. Assets are staged as
   * each function is constructed, so the first one bundled builds every function of
   * lib/function-specs.ts in one esbuild build, and each asset copies its own folder. Hashed by
   * output, so a change anywhere in a bundle redeploys that function alone.
   */
  private static codeFor(module: string): lambda.Code {
    return lambda.Code.fromAsset(path.dirname(CaseworkFunction.entryFor(module)), {
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Never pulled: local bundling always answers, and a failed build throws rather than falling back to Docker.
        image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs24.x'),
        // Part of CDK's staging cache key: without it every function of a folder shares one asset.
        command: ['casework-bundle', module],
        local: {
          tryBundle: (outputDir) => {
            cpSync(CaseworkFunction.bundleOf(module), outputDir, { recursive: true });
            return true;
          },
        },
      },
    });
  }

  private static bundles?: Map<string, string>;

  /** The bundle folder of a module, from the one build this process makes. */
  private static bundleOf(module: string): string {
    const name = (m: string) => m.replace(/\//g, '--');
    if (!CaseworkFunction.bundles?.has(module)) {
      const modules = new Set([...allFunctionSpecs().values()].map((s) => s.module).concat(module));
      // Inside the repository's cdk.out at a fixed depth: the source maps' relative paths, and so
      // the asset hashes, are the same on every machine and every synth.
      const parent = path.join(REPO_ROOT, 'cdk.out');
      mkdirSync(parent, { recursive: true });
      const outDir = mkdtempSync(path.join(parent, 'bundles-'));
      process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
      const folders = buildBundles(
        [...modules].map((m) => ({ name: name(m), module: m, ports: CaseworkFunction.portModules(m) })),
        outDir,
      );
      CaseworkFunction.bundles = new Map([...modules].map((m) => [m, folders.get(name(m))!]));
    }
    return CaseworkFunction.bundles!.get(module)!;
  }

  /** Absolute path of a handler module. */
  public static entryFor(module: string): string {
    return path.join(REPO_ROOT, 'lambdas', `${module}.ts`);
  }

  /**
   * Applies a function's bindings from lib/function-specs.ts through the helpers below; a binding
   * without its target is a bug in the stack, refused at synth.
   */
  public bind(spec: FunctionBindings, targets: BindingTargets): this {
    const need = <T>(value: T | undefined, what: keyof BindingTargets): T => {
      if (value === undefined) throw new Error(`${this.node.path} is bound to a ${what}, but none was given`);
      return value;
    };
    if (spec.table) this.bindTable(need(targets.table, 'table'), spec.table.writes, spec.table.reads);
    if (spec.cursorSecret) this.bindSecret(need(targets.cursorSecret, 'cursorSecret'));
    if (spec.mailer) this.bindMailer(need(targets.mailDomain, 'mailDomain'));
    if (spec.mailDomain && !spec.mailer) this.addEnvironment(ENV.MAIL_DOMAIN, need(targets.mailDomain, 'mailDomain'));
    if (spec.mailQueue) this.bindMailQueue(need(targets.mailQueue, 'mailQueue'), spec.mailQueue);
    if (spec.deliveryQueue) this.bindDeliveryQueue(need(targets.deliveryQueue, 'deliveryQueue'), spec.deliveryQueue);
    if (spec.clients) this.setClients(need(targets.clients, 'clients'));
    if (spec.replyKeys) this.bindReplyKeys(need(targets.replyKeys, 'replyKeys'));
    if (spec.inboundBucket) {
      const inbound = need(targets.inbound, 'inbound');
      this.bindInboundBucket(inbound.bucket, inbound.prefix);
    }
    if (spec.attachments) this.bindAttachments(need(targets.attachments, 'attachments'), spec.attachments);
    if (spec.topic) this.bindTopic(need(targets.topic, 'topic'));
    if (spec.push) this.bindPush(need(targets.push, 'push'));
    if (spec.connections) this.bindConnections(need(targets.connections, 'connections'));
    if (spec.chatTimers) this.bindChatTimers(need(targets.chatTimers, 'chatTimers'));
    if (spec.userPool) this.bindUserPool(need(targets.userPool, 'userPool'));
    return this;
  }

  /**
   * The management API of the chat WebSocket API: CHAT_CONNECTIONS_URL, and
   * execute-api:ManageConnections on that API's stage's @connections only (post, get, delete).
   */
  public bindConnections(target: { apiId: string; stageName: string; callbackUrl: string }): this {
    this.addEnvironment(ENV.CHAT_CONNECTIONS_URL, target.callbackUrl);
    const arn = Stack.of(this).formatArn({
      service: 'execute-api',
      resource: target.apiId,
      resourceName: `${target.stageName}/*/@connections/*`,
    });
    this.addToRolePolicy(new iam.PolicyStatement({ actions: ['execute-api:ManageConnections'], resources: [arn] }));
    acknowledgeWildcardResources(
      this.role!,
      [arn],
      "Connection ids are API Gateway's, unknown in advance: ManageConnections on the one stage of the one chat API, " +
        'for any method (POST, GET, DELETE) on its @connections.',
    );
    return this;
  }

  /**
   * The mail queue: MAIL_QUEUE_URL with sqs:SendMessage on it (`send`), or for its
   * consumer receive, delete and ChangeMessageVisibility (the backoff) and the backoff's settings.
   */
  public bindMailQueue(
    target: { queue: sqs.IQueue; retry: { baseSeconds: number; capSeconds: number } },
    mode: 'send' | 'consume',
  ): this {
    this.addEnvironment(ENV.MAIL_QUEUE_URL, target.queue.queueUrl);
    if (mode === 'send') {
      target.queue.grantSendMessages(this);
      return this;
    }
    target.queue.grantConsumeMessages(this);
    this.addEnvironment(ENV.MAIL_RETRY_BASE_SECONDS, String(target.retry.baseSeconds));
    this.addEnvironment(ENV.MAIL_RETRY_CAP_SECONDS, String(target.retry.capSeconds));
    return this;
  }

  /**
   * The delivery queue: DELIVERY_QUEUE_URL with sqs:SendMessage on it (`send`: the notifier), or
   * receive and delete for its consumer (`consume`).
   */
  public bindDeliveryQueue(queue: sqs.IQueue, mode: 'send' | 'consume'): this {
    this.addEnvironment(ENV.DELIVERY_QUEUE_URL, queue.queueUrl);
    if (mode === 'send') queue.grantSendMessages(this);
    else queue.grantConsumeMessages(this);
    return this;
  }

  /** CHAT-2's per-chat timers: CHAT_TIMER_QUEUE_URL, and sqs:SendMessage (and its key) on that queue only. */
  public bindChatTimers(queue: sqs.IQueue): this {
    this.addEnvironment(ENV.CHAT_TIMER_QUEUE_URL, queue.queueUrl);
    queue.grantSendMessages(this);
    return this;
  }

  /**
   * TABLE_NAME plus exactly the data-plane actions the function uses. Reads (never Scan) go to
   * the table, and queries to the indexes, named one by one from lambdas/data/table.ts (nothing
   * writes to an index). Each write action is granted on the items whose leading key starts with
   * a prefix its access patterns declare (lambdas/data/writes.ts), never on the whole table.
   */
  public bindTable(
    table: dynamodb.ITable,
    writes: readonly WritePattern[] = [],
    reads: ReadGrant = { items: [], indexes: [] },
  ): this {
    this.addEnvironment(ENV.TABLE_NAME, table.tableName);
    // Reads fenced like writes, to the prefixes the function declares (lambdas/data/writes.ts
    // FUNCTION_READS): no function reads the whole table.
    if (reads.items.length) {
      this.addToRolePolicy(
        new iam.PolicyStatement({
          actions: READ_ACTIONS.map((a) => `dynamodb:${a}`),
          resources: [table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': reads.items.map((p) => `${p}*`) } },
        }),
      );
    }
    if (reads.indexes.length) {
      this.addToRolePolicy(
        new iam.PolicyStatement({
          actions: INDEX_ACTIONS.map((a) => `dynamodb:${a}`),
          resources: reads.indexes.map((index) => `${table.tableArn}/index/${TABLE.indexes[index].name}`),
        }),
      );
    }
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
    this.addEnvironment(ENV.MAIL_DOMAIN, mailDomain);
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendRawEmail', 'ses:SendEmail'],
        resources: [Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: mailDomain })],
        conditions: { StringLike: { 'ses:FromAddress': `*@${mailDomain}` } },
      }),
    );
    return this;
  }

  /** The integration topic: NOTIFY_TOPIC_ARN, and sns:Publish (and its key) on that topic only. */
  public bindTopic(topic: sns.ITopic): this {
    this.addEnvironment(ENV.NOTIFY_TOPIC_ARN, topic.topicArn);
    topic.grantPublish(this);
    return this;
  }

  /**
   * Mobile push (NOTE-1): PUSH_APNS_APP_ARN and PUSH_FCM_APP_ARN, with sns:CreatePlatformEndpoint
   * on those applications and Publish, SetEndpointAttributes and DeleteEndpoint on their endpoints
   * only. A platform without an application gets an empty variable and no permission.
   */
  public bindPush(apps: { apns: string; fcm: string }): this {
    this.addEnvironment(ENV.PUSH_APNS_APP_ARN, apps.apns);
    this.addEnvironment(ENV.PUSH_FCM_APP_ARN, apps.fcm);
    const given = [apps.apns, apps.fcm].filter(Boolean);
    if (given.length === 0) return this;
    const endpoints = given.map((arn) => `${arn.replace(':app/', ':endpoint/')}/*`);
    this.addToRolePolicy(new iam.PolicyStatement({ actions: ['sns:CreatePlatformEndpoint'], resources: given }));
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sns:Publish', 'sns:SetEndpointAttributes', 'sns:DeleteEndpoint'],
        resources: endpoints,
      }),
    );
    acknowledgeWildcardResources(
      this.role!,
      endpoints,
      'Endpoint ARNs are made by SNS per registered device: the endpoints of this one platform application only.',
    );
    return this;
  }

  /**
   * The sign-in directory (ACC-6): USER_POOL_ID, and on that pool only the admin calls that find,
   * create (Cognito mails the temporary password) and update a user. No ListUsers: the pool's
   * username is the email address, so AdminGetUser finds a user by it.
   */
  public bindUserPool(pool: cognito.IUserPool): this {
    this.addEnvironment(ENV.USER_POOL_ID, pool.userPoolId);
    this.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['cognito-idp:AdminGetUser', 'cognito-idp:AdminCreateUser', 'cognito-idp:AdminUpdateUserAttributes'],
        resources: [pool.userPoolArn],
      }),
    );
    return this;
  }

  /** The pagination-cursor signing key: its ARN, and read access to that one secret. */
  public bindSecret(secret: secretsmanager.ISecret): this {
    this.addEnvironment(ENV.CURSOR_SECRET_ARN, secret.secretArn);
    secret.grantRead(this);
    return this;
  }

  /**
   * The HMAC keyring of reply tokens (MAIL-1): REPLY_TOKEN_SECRET_ARN and read access to that one
   * secret. Every function that sends case mail signs with it; receive-mail verifies with it.
   */
  public bindReplyKeys(secret: secretsmanager.ISecret): this {
    this.addEnvironment(ENV.REPLY_TOKEN_SECRET_ARN, secret.secretArn);
    secret.grantRead(this);
    return this;
  }

  /**
   * Raw inbound mail (MAIL-2): INBOUND_BUCKET and INBOUND_PREFIX, and GetObject under that prefix
   * only: no listing, no writing, no other key of the bucket.
   */
  public bindInboundBucket(bucket: s3.IBucket, prefix: string): this {
    this.addEnvironment(ENV.INBOUND_BUCKET, bucket.bucketName);
    this.addEnvironment(ENV.INBOUND_PREFIX, prefix);
    this.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects(`${prefix}*`)] }));
    bucket.encryptionKey?.grantDecrypt(this);
    acknowledgeWildcardResources(
      this.role!,
      [bucket.arnForObjects(`${prefix}*`)],
      'Object keys are SES message ids, unknown in advance: GetObject on the one prefix SES writes under, ' +
        'no List, no Put, no other key of the bucket.',
    );
    return this;
  }

  /**
   * Cases' files (MAIL-2, CASE-6): ATTACHMENTS_BUCKET, and exactly the mode's actions on its key
   * prefixes (ATTACHMENT_GRANTS): no List, no other prefix. The presigned URLs the function hands
   * out are signed with these credentials, so they can do no more.
   */
  public bindAttachments(bucket: s3.IBucket, mode: NonNullable<FunctionBindings['attachments']>): this {
    this.addEnvironment(ENV.ATTACHMENTS_BUCKET, bucket.bucketName);
    const resources: string[] = [];
    for (const grant of ATTACHMENT_GRANTS[mode]) {
      const arns = grant.prefixes.map((p) => bucket.arnForObjects(`${p}*`));
      resources.push(...arns);
      this.addToRolePolicy(new iam.PolicyStatement({ actions: [...grant.actions], resources: arns }));
    }
    bucket.encryptionKey?.grantEncryptDecrypt(this);
    acknowledgeWildcardResources(
      this.role!,
      [...new Set(resources)],
      "Object keys carry ids made per file: the binding's actions on its key prefixes of the one attachments bucket, " +
        'no List, no other prefix.',
    );
    return this;
  }

  /**
   * App client ids, so handlers can tell which app a token came from (PRIV-2: no FedRAMP data
   * to the mobile app). Ids are not secrets and need no grant.
   */
  public setClients(clients: { web: string; mobile: string }): this {
    this.addEnvironment(ENV.WEB_CLIENT_ID, clients.web);
    this.addEnvironment(ENV.MOBILE_CLIENT_ID, clients.mobile);
    return this;
  }
}

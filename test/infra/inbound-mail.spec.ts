import { Match } from 'aws-cdk-lib/assertions';
import { built, logicalId, PROD_MAIL_DOMAIN, resourcesOf } from './synth';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown; Principal?: unknown };
const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe.each(['dev', 'prod'] as const)('inbound mail, %s (SES receipt rule -> S3 -> Lambda)', (stage) => {
  const { appStack, appTemplate } = built(stage);
  const domain = stage === 'prod' ? PROD_MAIL_DOMAIN : 'casework.example.com';
  const inbound = appStack.inboundMail;
  const resources = appTemplate.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
  const bucketId = logicalId(inbound.bucket);
  const fnId = logicalId(inbound.receiveMail);
  const roleId = logicalId(inbound.receiveMail.role!);
  const bucket = resources[bucketId]!.Properties;
  const fnStatements = (): Statement[] =>
    Object.values(resourcesOf(appTemplate, 'AWS::IAM::Policy'))
      .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);

  it('MAIL-2: the raw-mail bucket is encrypted, blocks public access and keeps mail by a lifecycle rule', () => {
    expect(bucket.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const rules = (bucket.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules).toEqual([
      expect.objectContaining({
        Status: 'Enabled',
        Prefix: 'inbound/',
        ExpirationInDays: stage === 'prod' ? 730 : 30,
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      }),
    ]);
    expect(bucket.LoggingConfiguration).toEqual(expect.objectContaining({ DestinationBucketName: expect.anything() }));
    expect(appTemplate.toJSON().Resources[bucketId].DeletionPolicy).toBe('Retain');
  });

  it('MAIL-2: the bucket refuses plain HTTP and lets only this receipt rule of this account put mail, under the prefix', () => {
    const policy = Object.values(resourcesOf(appTemplate, 'AWS::S3::BucketPolicy')).find(
      (p) => (p.Properties.Bucket as { Ref: string }).Ref === bucketId,
    )!;
    const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    );
    const sesPuts = statements.filter((s) => JSON.stringify(s.Principal ?? '').includes('ses.amazonaws.com'));
    expect(sesPuts).toHaveLength(1);
    const [put] = sesPuts;
    expect(put!.Effect).toBe('Allow');
    expect(actionsOf(put!)).toEqual(['s3:PutObject']);
    expect(JSON.stringify(put!.Resource)).toContain('/inbound/*');
    const condition = put!.Condition as { StringEquals: Record<string, unknown>; ArnLike: Record<string, unknown> };
    expect(condition.StringEquals['aws:SourceAccount']).toBeDefined();
    expect(JSON.stringify(condition.ArnLike['aws:SourceArn'])).toContain(
      `:receipt-rule-set/casework-${stage}-inbound:receipt-rule/casework-${stage}-case-replies`,
    );
  });

  it('MAIL-2, MAIL-4: one receipt rule for the mail domain, TLS required, scanning on, S3 then Lambda (Event)', () => {
    appTemplate.resourceCountIs('AWS::SES::ReceiptRuleSet', 1);
    appTemplate.hasResourceProperties('AWS::SES::ReceiptRuleSet', { RuleSetName: `casework-${stage}-inbound` });
    const rules = Object.values(resourcesOf(appTemplate, 'AWS::SES::ReceiptRule'));
    expect(rules).toHaveLength(1);
    const rule = rules[0]!.Properties.Rule as Record<string, unknown>;
    expect(rule).toMatchObject({
      Name: `casework-${stage}-case-replies`,
      Enabled: true,
      Recipients: [domain],
      ScanEnabled: true,
      TlsPolicy: 'Require',
    });
    const actions = rule.Actions as Record<string, Record<string, unknown>>[];
    expect(actions.map((a) => Object.keys(a))).toEqual([['S3Action'], ['LambdaAction']]);
    expect(actions[0]!.S3Action).toEqual({ BucketName: { Ref: bucketId }, ObjectKeyPrefix: 'inbound/' });
    expect(actions[1]!.LambdaAction).toEqual({ FunctionArn: { 'Fn::GetAtt': [fnId, 'Arn'] }, InvocationType: 'Event' });
  });

  it('MAIL-5: only this receipt rule may invoke receive-mail', () => {
    const permissions = Object.values(resourcesOf(appTemplate, 'AWS::Lambda::Permission')).filter((p) =>
      JSON.stringify(p.Properties.FunctionName).includes(fnId),
    );
    expect(permissions).toHaveLength(1);
    expect(permissions[0]!.Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'ses.amazonaws.com',
      SourceAccount: expect.anything(),
    });
    expect(JSON.stringify(permissions[0]!.Properties.SourceArn)).toContain(`receipt-rule/casework-${stage}-case-replies`);
  });

  it('MAIL-4: failed async invocations are retried twice, then kept in an encrypted, SSL-only dead-letter queue', () => {
    const queueId = logicalId(inbound.deadLetters);
    appTemplate.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: fnId },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    expect(resources[queueId]!.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86400 });
    appTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    expect(actionsOf(fnStatements().find((s) => actionsOf(s).includes('sqs:SendMessage'))!)).toContain('sqs:SendMessage');
  });

  it("MAIL-2: receive-mail reads raw mail under the prefix only, and writes mail's files under mail/ of the attachments bucket", () => {
    const s3Statements = fnStatements().filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    expect(s3Statements).toHaveLength(2);
    expect(actionsOf(s3Statements[0]!)).toEqual(['s3:GetObject']);
    expect(s3Statements[0]!.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/inbound/*']] });
    const files = logicalId(appStack.attachments.bucket);
    expect(actionsOf(s3Statements[1]!)).toEqual(['s3:PutObject']);
    expect(s3Statements[1]!.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [files, 'Arn'] }, '/mail/*']] });
    const env = (resources[fnId]!.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env).toMatchObject({
      INBOUND_BUCKET: { Ref: bucketId },
      INBOUND_PREFIX: 'inbound/',
      MAIL_DOMAIN: domain,
    });
  });

  it('receive-mail may never Scan the table or an index, and writes only under its declared key prefixes', () => {
    const statements = fnStatements();
    expect(statements.filter((s) => actionsOf(s).some((a) => a === 'dynamodb:Scan' || a === 'dynamodb:*'))).toEqual([]);
    const writes = statements.filter((s) =>
      actionsOf(s).some((a) => /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)$/.test(a)),
    );
    expect(writes.length).toBeGreaterThan(0);
    for (const w of writes) expect(JSON.stringify(w.Condition)).toContain('dynamodb:LeadingKeys');
  });

  it('MAIL-1: the reply-token keyring is bound, with read access to it, to every function that sends or receives case mail', () => {
    const keysRef = { Ref: logicalId(appStack.replyKeys) };
    const senders = [
      // Case mail (updates, statuses, FLAG-1 reminders) leaves through the mail queue's consumer.
      appStack.mail.function,
      // ACC-6: the admin case's mail to approvers is signed where the request is confirmed.
      appStack.httpApi.functions.get('confirm-access-request')!,
      inbound.receiveMail,
    ];
    const policies = Object.values(resourcesOf(appTemplate, 'AWS::IAM::Policy'));
    for (const fn of senders) {
      const env = (resources[logicalId(fn)]!.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect({ fn: fn.node.path, arn: env.REPLY_TOKEN_SECRET_ARN, domain: env.MAIL_DOMAIN }).toEqual({
        fn: fn.node.path,
        arn: keysRef,
        domain,
      });
      const role = logicalId(fn.role!);
      const reads = policies
        .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === role))
        .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
        .filter((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'));
      expect(reads.map((s) => s.Resource)).toContainEqual(keysRef);
    }
    // A route that sends no mail gets no keyring.
    const getCase = resources[logicalId(appStack.httpApi.functions.get('get-case')!)]!;
    expect(
      (getCase.Properties.Environment as { Variables: Record<string, unknown> }).Variables.REPLY_TOKEN_SECRET_ARN,
    ).toBeUndefined();
  });

  it('outputs the rule set name to activate after deploy', () => {
    expect(appTemplate.toJSON().Outputs.InboundRuleSet.Value).toBe(`casework-${stage}-inbound`);
  });
});

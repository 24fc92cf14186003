import { Match } from 'aws-cdk-lib/assertions';
import { built, logicalId, PROD_PORTAL_ORIGIN, resourcesOf } from './synth';

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };
const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe.each(['dev', 'prod'] as const)("cases' files, %s (MAIL-2, CASE-6: presigned uploads and downloads)", (stage) => {
  const { appStack, appTemplate } = built(stage);
  const files = appStack.attachments;
  const bucketId = logicalId(files.bucket);
  const bucket = resourcesOf(appTemplate, 'AWS::S3::Bucket')[bucketId]!.Properties;
  const statementsOf = (fn: { role?: unknown }) => {
    const roleId = logicalId(fn.role as never);
    return Object.values(resourcesOf(appTemplate, 'AWS::IAM::Policy'))
      .filter((p) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
  };
  const objects = (prefix: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/${prefix}*`]] });

  it('the bucket is encrypted, private, SSL-only, logged, and kept', () => {
    expect(bucket.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.LoggingConfiguration).toBeDefined();
    expect(resourcesOf(appTemplate, 'AWS::S3::Bucket')[bucketId]!.DeletionPolicy).toBe('Retain');
    appTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it("browsers PUT and GET from the portal's origin only; abandoned multipart uploads and quarantined files expire", () => {
    const cors = (bucket.CorsConfiguration as { CorsRules: { AllowedOrigins: string[]; AllowedMethods: string[] }[] }).CorsRules;
    expect(cors).toHaveLength(1);
    expect(cors[0]!.AllowedMethods.sort()).toEqual(['GET', 'HEAD', 'PUT']);
    if (stage === 'prod') expect(cors[0]!.AllowedOrigins).toEqual([PROD_PORTAL_ORIGIN]);
    expect(cors[0]!.AllowedOrigins).not.toContain('*');
    const rules = (bucket.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
        expect.objectContaining({ Prefix: 'quarantine/', ExpirationInDays: 30 }),
      ]),
    );
  });

  it('S3 reports stored objects to EventBridge; uploads/ reaches check-attachment, with a dead-letter queue', () => {
    expect(bucket.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    appTemplate.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { bucket: { name: [{ Ref: bucketId }] }, object: { key: [{ prefix: 'uploads/' }] } },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalId(files.checkAttachment), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(files.deadLetters), 'Arn'] } },
        }),
      ],
    });
    // No custom resource sets the notification (nothing with an AWS-managed policy).
    expect(Object.keys(appTemplate.findResources('Custom::S3BucketNotifications'))).toEqual([]);
  });

  it('each function holds only its mode of the attachments binding: no List, no other prefix', () => {
    const http = appStack.httpApi.functions;
    expect(statementsOf(http.get('create-attachment')!)).toEqual([
      expect.objectContaining({ Action: 's3:PutObject', Resource: objects('uploads/') }),
    ]);
    expect(statementsOf(http.get('get-attachment')!)).toEqual([
      expect.objectContaining({ Action: 's3:GetObject', Resource: [objects('uploads/'), objects('mail/')] }),
    ]);
    expect(statementsOf(http.get('list-attachments')!)).toEqual([]);
    expect(statementsOf(files.checkAttachment)).toEqual([
      expect.objectContaining({ Action: ['s3:GetObject', 's3:DeleteObject'], Resource: objects('uploads/') }),
      expect.objectContaining({ Action: 's3:PutObject', Resource: objects('quarantine/') }),
    ]);
    const env = (
      resourcesOf(appTemplate, 'AWS::Lambda::Function')[logicalId(http.get('get-attachment')!)]!.Properties.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    expect(env.ATTACHMENTS_BUCKET).toEqual({ Ref: bucketId });
  });
});

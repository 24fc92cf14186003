// Tests never reach AWS: a region and dummy credentials keep the SDK from looking for real ones.
process.env.AWS_REGION ??= 'eu-west-1';
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.TABLE_NAME ??= 'casework-test';
process.env.CURSOR_SECRET ??= 'test-cursor-secret';
process.env.WEB_CLIENT_ID ??= 'casework-web';
process.env.MOBILE_CLIENT_ID ??= 'casework-mobile';

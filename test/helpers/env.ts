// Tests never reach AWS: a region and dummy credentials keep the SDK from looking for real ones.
// Function configuration (TABLE_NAME, the cursor secret, client ids) is deliberately not set
// here: handler tests run each function with exactly its own environment
// (test/helpers/function-env.ts), so a variable AWS does not give a function is missing in tests.
process.env.AWS_REGION ??= 'eu-west-1';
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

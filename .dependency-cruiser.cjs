/**
 * Import boundaries, checked by `npm run lint` (dependency-cruiser). Paths are relative to the
 * repository root. Type-only imports count (tsPreCompilationDeps): a cycle of types is a cycle.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles anywhere, type-only imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        'lambdas/domain is pure rules: no HTTP layer, schemas, adapters or data module, no other lambdas ' +
        'folder, no CDK app, no local mode, no AWS SDK or Powertools.',
      from: { path: '^lambdas/domain/' },
      to: {
        path: [
          '^lambdas/(?!domain/)',
          '^lib/',
          '^local/',
          '^bin/',
          'node_modules/(@aws-sdk|aws-sdk|@aws-lambda-powertools|aws-cdk-lib|constructs)/',
        ],
      },
    },
    {
      name: 'kernel-knows-features-by-their-ports',
      severity: 'error',
      comment:
        'The shared kernel names a feature only through its ports.ts (kernel/deps.ts aggregates them, ' +
        'views.ts shows their records) and the event types of notifications/notifications.ts.',
      from: { path: '^lambdas/domain/kernel/' },
      to: {
        path: '^lambdas/domain/(?!kernel/)',
        pathNot: '^lambdas/domain/([^/]+/ports|notifications/notifications)\\.ts$',
      },
    },
    {
      name: 'ports-are-declarations',
      severity: 'error',
      comment:
        "A feature's ports.ts declares interfaces and the records they carry: it imports other ports and " +
        'kernel types, never a module with rules (that is how the old ports.ts closed its cycle).',
      from: { path: '^lambdas/domain/[^/]+/ports\\.ts$' },
      to: {
        path: '^lambdas/domain/',
        pathNot:
          '^lambdas/domain/([^/]+/ports|chat/chat-types|kernel/(types|rendered|policy|levels)|notifications/notifications)\\.ts$',
      },
    },
    {
      name: 'data-knows-no-http',
      severity: 'error',
      comment: 'Repositories know the table, not HTTP; from adapters only the configuration reader.',
      from: { path: '^lambdas/data/' },
      to: { path: ['^lambdas/http/', '^lambdas/schemas/', '^lambdas/adapters/(?!config\\.ts$)'] },
    },
    {
      name: 'data-throws-no-problems',
      severity: 'error',
      comment:
        'Repositories throw no HTTP problems (kernel/errors.ts) and do not retry a lost race: they ' +
        'answer it, and the domain decides again under the one retry policy (kernel/optimistic.ts).',
      from: { path: '^lambdas/data/' },
      to: { path: '^lambdas/domain/kernel/(errors|optimistic)\\.ts$' },
    },
    {
      name: 'handlers-carry-their-own-route',
      severity: 'error',
      comment:
        "A handler's bundle carries its own route only: inside lambdas/ only the OpenAPI document " +
        'imports the route table (lambdas/http/routes.ts imports every route and its schemas). ' +
        'test/unit/handler-routes.test.ts checks each handler imports its own declaration.',
      from: { path: '^lambdas/', pathNot: '^lambdas/http/openapi\\.ts$' },
      to: { path: '^lambdas/http/routes\\.ts$' },
    },
    {
      name: 'cdk-app-has-no-local-mode',
      severity: 'error',
      comment: 'lib/ is the CDK app alone: it imports nothing from local mode.',
      from: { path: '^lib/' },
      to: { path: '^local/' },
    },
    {
      name: 'only-bin-imports-the-app',
      severity: 'error',
      comment: 'lib/casework-app.ts imports the stacks; only bin/ imports it (a stack importing it would close a cycle).',
      from: { pathNot: '^bin/' },
      to: { path: '^lib/casework-app\\.ts$' },
    },
    {
      name: 'local-runs-what-aws-runs',
      severity: 'error',
      comment:
        'Local mode imports lambdas the way AWS runs them (handlers, lambdas/data, the route table, the ' +
        'adapters). From the domain it reads only the constants AWS configuration mirrors: INGEST_SCOPE ' +
        '(kernel/policy.ts), types, MAIL_MAX_RECEIVES (mail/outbound.ts), DELIVERY_MAX_RECEIVES ' +
        '(notifications/delivery.ts), MAX_INBOUND_BYTES (mail/inbound-mail.ts). local/demo-data.ts seeds the demo through the domain and is exempt.',
      from: { path: '^local/', pathNot: '^local/demo-data\\.ts$' },
      to: {
        path: '^lambdas/domain/',
        pathNot: '^lambdas/domain/(kernel/policy|kernel/types|mail/outbound|mail/inbound-mail|notifications/delivery)\\.ts$',
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|cdk\\.out|dist|coverage)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.cjs', '.mjs', '.json'],
    },
  },
};

/**
 * `npm run test:synth` runs this on the CLI's dev synth, the one that bundles every function as
 * `npx cdk synth` does for a user: each function's code asset is its own bundle, as CDK staged it.
 *
 * - The asset holds the bundle and its source map, nothing else (NODE_OPTIONS asks for the map).
 * - The AWS SDK is inside the bundle, not required from the runtime's own copy, so the code that
 *   runs is the code that was tested.
 * - NOTE-1: a function carries the SNS mobile push client exactly when CDK gave it the push
 *   binding's variables: the port comes from its declaration alone, and no other function's
 *   bundle has it.
 *
 *   npx tsx scripts/check-assets.ts <cdk.out folder>
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Resource {
  Type: string;
  Properties?: { Environment?: { Variables?: Record<string, unknown> } };
  Metadata?: Record<string, string>;
}

const dir = process.argv[2];
if (!dir || !existsSync(dir)) {
  console.error('usage: tsx scripts/check-assets.ts <cdk.out folder>');
  process.exit(2);
}

const problems: string[] = [];
let functions = 0;
let pushed = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.template.json'))) {
  const resources =
    (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { Resources?: Record<string, Resource> }).Resources ?? {};
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const variables = r.Properties?.Environment?.Variables ?? {};
    // Ours carry CaseworkFunction's fixed environment; CDK's own (custom resources) do not.
    if (variables.POWERTOOLS_SERVICE_NAME !== 'casework') continue;
    functions++;
    const asset = r.Metadata?.['aws:asset:path'];
    const folder = asset ? join(dir, asset) : undefined;
    if (!folder || !existsSync(join(folder, 'index.js'))) {
      problems.push(`${id}: no bundled asset (${asset ?? 'none named'})`);
      continue;
    }
    const files = readdirSync(folder).sort();
    if (JSON.stringify(files) !== JSON.stringify(['index.js', 'index.js.map']))
      problems.push(`${id}: its asset holds ${files.join(', ')}, not index.js and index.js.map`);
    const code = readFileSync(join(folder, 'index.js'), 'utf8');
    if (!code.trimEnd().endsWith('//# sourceMappingURL=index.js.map')) problems.push(`${id}: its bundle names no source map`);
    for (const pkg of ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'])
      if (code.includes(`require("${pkg}")`)) problems.push(`${id}: requires ${pkg} at run time instead of bundling it`);
    if ('TABLE_NAME' in variables && !code.includes('DynamoDBClient'))
      problems.push(`${id}: has TABLE_NAME but no DynamoDB client in its bundle`);
    const push = 'PUSH_FCM_APP_ARN' in variables;
    const client = code.includes('CreatePlatformEndpointCommand');
    if (push) pushed++;
    if (push !== client)
      problems.push(
        `${id}: NOTE-1: ${push ? 'has the push binding but no push client' : 'carries the push client without the push binding'}`,
      );
  }
}
if (functions === 0) problems.push(`no bundled function assets in ${dir}: was the synth run with bundling?`);
if (pushed === 0) problems.push('no function has the push binding: the NOTE-1 check checked nothing');
if (problems.length > 0) {
  for (const p of problems) console.error(`FAIL ${p}`);
  process.exit(1);
}
console.log(
  `ok   ${functions} function assets: bundle and source map only, the SDK inside; NOTE-1: the push client in the ${pushed} with the push binding alone`,
);

/**
 * The infrastructure tier as one jest file: every `*.spec.ts` here reads the same synthesized
 * app (./synth.ts caches one build per stage), while jest gives each test file its own module
 * registry, so one file per spec would synthesize the app once per spec.
 */
import { readdirSync } from 'node:fs';

// aws-cdk-lib validates every template it synthesizes against the CloudFormation schemas (its
// built-in validation, a WebAssembly engine): about 0.7 s of CPU per synth here, and this tier
// synthesizes dozens of variants to read their templates. The CLI synths of `npm run test:synth`
// keep it, as a user's `npx cdk synth` does, and cfn-lint checks their templates.
process.env.CDK_VALIDATION ??= 'false';

for (const spec of readdirSync(__dirname)
  .filter((name) => name.endsWith('.spec.ts'))
  .sort()) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(`./${spec}`);
}

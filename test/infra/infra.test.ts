/**
 * The infrastructure tier as one jest file: every `*.spec.ts` here reads the same synthesized
 * app (./synth.ts caches one build per stage), while jest gives each test file its own module
 * registry, so one file per spec would synthesize the app once per spec.
 */
import { readdirSync } from 'node:fs';

for (const spec of readdirSync(__dirname)
  .filter((name) => name.endsWith('.spec.ts'))
  .sort()) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(`./${spec}`);
}

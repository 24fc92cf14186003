/**
 * How every Lambda function is bundled, declared once and free of CDK imports: CaseworkFunction
 * builds its assets with `buildBundles`, and `npm run bench` builds with the same options, so the
 * bundles it measures are the bundles CDK deploys.
 *
 * One esbuild build makes every function of a synth (instead of one esbuild process per function,
 * as NodejsFunction does): the sources and the SDK are parsed once for all of them, which took a
 * bundling synth from about 100 s of CPU to about 20 s.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildSync, type BuildOptions } from 'esbuild';

/** The repository root: entries are resolved from here, never from the cwd. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export const ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  minify: true,
  sourcemap: true,
  // At runtime a source map only needs positions; the embedded sources are dead weight.
  sourcesContent: false,
  // Minification would otherwise rename classes, and stack traces and `err.name` with them.
  keepNames: true,
  // The SDK rides in the bundle so the code that runs is the code we tested, not whatever
  // SDK version the managed runtime happens to ship this week.
  external: [],
  // These clients' CommonJS builds are one file each, every command and schema of the service
  // included; their ES module builds (same version, same code) let esbuild keep only the commands
  // a function sends: GetSecretValue alone is about 1 KB, not 29 KB. The floors' DynamoDB
  // and SES clients are left as they are.
  alias: Object.fromEntries(
    [
      'client-secrets-manager',
      'client-s3',
      'client-cognito-identity-provider',
      'client-sns',
      'client-sqs',
      'client-apigatewaymanagementapi',
    ].map((name) => [`@aws-sdk/${name}`, `@aws-sdk/${name}/dist-es/index.js`]),
  ),
  // ESM-only dependencies (email-reply-parser) call createRequire(import.meta.url), and a CJS
  // bundle has no import.meta: without this, receive-mail threw while loading.
  define: { 'import.meta.url': '__casework_import_meta_url' },
  banner: { js: "var __casework_import_meta_url=require('url').pathToFileURL(__filename).href;" },
  // esbuild's per-file size summary, times every function, drowns the synth output.
  logLevel: 'warning',
} as const satisfies BuildOptions;

/** The esbuild options of every bundle (bench/bundles.ts builds its floors with them too). */
export const esbuildOptions = (): BuildOptions => ({
  ...ESBUILD_OPTIONS,
  external: [...ESBUILD_OPTIONS.external],
  alias: { ...ESBUILD_OPTIONS.alias },
  define: { ...ESBUILD_OPTIONS.define },
  banner: { ...ESBUILD_OPTIONS.banner },
});

/** A function to bundle: its handler module and the port modules its bindings load first. */
export interface BundleEntry {
  /** Output folder name, unique per build: the function's name. */
  readonly name: string;
  /** Handler module under lambdas/, without extension: `http/get-case`. */
  readonly module: string;
  /** Port modules under lambdas/, loaded before the handler (lib/function-specs.ts, portModulesOf). */
  readonly ports: readonly string[];
}

const lambdaPath = (module: string) => path.join(REPO_ROOT, 'lambdas', module);

/**
 * Bundles every entry in one esbuild build into `<outDir>/<name>/index.js` (+ `index.js.map`) and
 * answers each entry's folder. Each entry is a generated module that imports its ports for their
 * effect and re-exports the handler module, which is what esbuild's `inject` did per function.
 */
export const buildBundles = (entries: readonly BundleEntry[], outDir: string): Map<string, string> => {
  const sources = path.join(outDir, 'entries');
  mkdirSync(sources, { recursive: true });
  const entryPoints: Record<string, string> = {};
  for (const e of entries) {
    const file = path.join(sources, `${e.name}.ts`);
    const lines = [
      ...e.ports.map((p) => `import ${JSON.stringify(lambdaPath(p))};`),
      `export * from ${JSON.stringify(lambdaPath(e.module))};`,
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    entryPoints[`${e.name}/index`] = file;
  }
  buildSync({ ...esbuildOptions(), absWorkingDir: REPO_ROOT, entryPoints, outdir: path.join(outDir, 'out') });
  return new Map(entries.map((e) => [e.name, path.join(outDir, 'out', e.name)]));
};

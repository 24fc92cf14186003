/**
 * How every Lambda function is bundled, declared once: CaseworkFunction hands these options to
 * NodejsFunction, and `npm run bench` hands the same object to esbuild (through `esbuildOptions`),
 * so the bundles it measures are the bundles CDK deploys.
 */
import { LogLevel, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

export const BUNDLING = {
  minify: true,
  sourceMap: true,
  // At runtime a source map only needs positions; the embedded sources are dead weight.
  sourcesContent: false,
  // Minification would otherwise rename classes, and stack traces and `err.name` with them.
  keepNames: true,
  target: 'node24',
  format: OutputFormat.CJS,
  // The SDK rides in the bundle so the code that runs is the code we tested, not whatever
  // SDK version the managed runtime happens to ship this week.
  bundleAwsSDK: true,
  externalModules: [] as string[],
  // ESM-only dependencies (email-reply-parser) call createRequire(import.meta.url), and a CJS
  // bundle has no import.meta: without this, receive-mail threw while loading.
  define: { 'import.meta.url': '__casework_import_meta_url' },
  banner: "var __casework_import_meta_url=require('url').pathToFileURL(__filename).href;",
  // esbuild's per-file size summary, times every function, drowns the synth output.
  logLevel: LogLevel.WARNING,
} as const satisfies BundlingOptions;

/**
 * The esbuild options NodejsFunction derives from BUNDLING (its `--bundle --platform=node`, and
 * one flag per option above); `sourcemap: true` is esbuild's `--sourcemap`, a linked .map file.
 */
export const esbuildOptions = (bundling: BundlingOptions = BUNDLING) => ({
  bundle: true,
  platform: 'node' as const,
  target: bundling.target,
  format: bundling.format === OutputFormat.ESM ? ('esm' as const) : ('cjs' as const),
  minify: bundling.minify,
  sourcemap: bundling.sourceMap,
  sourcesContent: bundling.sourcesContent,
  keepNames: bundling.keepNames,
  external: [...(bundling.externalModules ?? [])],
  define: { ...bundling.define },
  banner: bundling.banner === undefined ? undefined : { js: bundling.banner },
  logLevel: bundling.logLevel ?? LogLevel.WARNING,
});

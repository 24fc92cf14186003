/**
 * Jest transform for ESM-only packages that use `import.meta` (email-reply-parser), which has no
 * CommonJS equivalent for the TypeScript transform to write. esbuild (already the Lambda bundler)
 * converts them.
 */
const { stop, transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const out = transformSync(source, {
      format: 'cjs',
      target: 'node20',
      sourcefile: filename,
      define: { 'import.meta.url': '__casework_import_meta_url' },
      banner: "const __casework_import_meta_url = require('url').pathToFileURL(__filename).href;",
    });
    // A handful of files per cold cache: esbuild's worker thread is not left to hold up the jest worker's exit.
    void stop();
    return { code: out.code };
  },
};

/**
 * The reference tables of docs/reference/ are generated from the code (scripts/generate-reference.ts).
 * This regenerates them in memory and fails when a committed file no longer matches.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyRows, referenceFiles } from '../../scripts/generate-reference';
import { allFunctionSpecs } from '../../lib/function-specs';
import { ROUTES } from '../../lambdas/http/routes';

const ROOT = join(__dirname, '..', '..');
const committed = (path: string): string | undefined => {
  try {
    return readFileSync(join(ROOT, path), 'utf8');
  } catch {
    return undefined;
  }
};

describe('generated reference docs', () => {
  const files = referenceFiles();

  it.each(Object.keys(files))('%s is current (else run `npm run generate:reference`)', (path) => {
    const stale = committed(path) !== files[path];
    if (stale) throw new Error(`${path} is stale: run \`npm run generate:reference\` and commit the result`);
  });

  it('covers every function, every route and every key builder', () => {
    const environment = files['docs/reference/environment.md'];
    const iam = files['docs/reference/iam.md'];
    for (const name of allFunctionSpecs().keys()) {
      expect(environment).toContain(`| \`${name}\``);
      expect(iam).toContain(`| \`${name}\``);
    }
    for (const route of ROUTES) expect(files['docs/reference/routes.md']).toContain(`\`${route.path}\``);
    // No placeholder left unrendered: every builder was called and its hashes and times named.
    for (const row of keyRows()) expect(`${row.pk}${row.sk}${row.index}`).not.toMatch(/undefined|NaN|\d{13}/);
  });
});

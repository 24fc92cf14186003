/**
 * Versions that must move together: one Powertools release (one `@aws-lambda-powertools/commons`
 * in the lock file and in every bundle), exact versions only (docs/development.md, Dependencies).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string }>;
};

describe('dependencies', () => {
  it('every Powertools package is at the same release', () => {
    const versions = Object.entries(pkg.dependencies)
      .filter(([name]) => name.startsWith('@aws-lambda-powertools/'))
      .map(([, version]) => version);
    expect(versions.length).toBeGreaterThan(1);
    expect(new Set(versions).size).toBe(1);
  });

  it('the lock file holds one copy of @aws-lambda-powertools/commons', () => {
    const copies = Object.keys(lock.packages).filter((p) => p.endsWith('node_modules/@aws-lambda-powertools/commons'));
    expect(copies).toHaveLength(1);
  });

  it('every declared version is exact, an alias too (`npm:typescript@7.0.2`)', () => {
    const ranged = Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }).filter(
      ([, v]) => !/^(npm:(@[\w.-]+\/)?[\w.-]+@)?\d+\.\d+\.\d+$/.test(v),
    );
    expect(ranged).toEqual([]);
  });
});

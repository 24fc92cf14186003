/**
 * Repositories wired per function (lib/repositories.ts, lambdas/adapters/repository-ports.ts): a
 * function gets the table's repositories its code reaches, read off its modules, and nothing
 * else. The reading is a superset only while ports reach the code as `deps.<port>`; these prove
 * that premise over every module, and that a repository a function lacks is refused by name.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildDeps } from '../../lambdas/adapters/deps';
import { REPOSITORY_PORTS } from '../../lambdas/adapters/repository-ports';
import type { TableRef } from '../../lambdas/data/client';
import { allFunctionSpecs, portModulesOf } from '../../lib/function-specs';
import { repositoriesOf } from '../../lib/repositories';

const LAMBDAS = join(__dirname, '..', '..', 'lambdas');
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });

describe('repositories wired per function', () => {
  it('every port object is named deps and is never destructured, spread or indexed, so `deps.<port>` finds every use', () => {
    const found = sources(LAMBDAS).flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const at = (re: RegExp) => [...text.matchAll(re)].map((m) => `${relative(LAMBDAS, file)}: ${m[0]}`);
      return [
        // A Deps-typed binding under another name would hide its uses.
        ...at(/\b(?!deps\b)\w+\??:\s*(?:Pick<\s*)?(?:App|Chat)?Deps\b(?!\[)/g),
        ...at(/\}\s*=\s*(?:\w+\.)?deps\b/g),
        ...at(/\.\.\.\s*(?:\w+\.)?deps\b/g),
        ...at(/\bdeps\s*\[/g),
      ];
    });
    expect(found).toEqual([]);
  });

  it('GET /health, which has no table, gets no repository; GET /cases/{caseNumber} gets the case, directory and session ones', () => {
    const specs = allFunctionSpecs();
    const repositoryModules = (name: string) => portModulesOf(specs.get(name)!).filter((m) => m.includes('/repositories/'));
    expect(repositoryModules('get-health')).toEqual([]);
    expect(repositoriesOf(['http/get-case'])).toEqual(expect.arrayContaining(['directory', 'cases', 'sessions']));
    expect(repositoriesOf(['http/get-case'])).not.toContain('accessRequests');
    // The access request routes reach their own repository.
    expect(repositoriesOf(['http/decide-access-request'])).toContain('accessRequests');
  });

  it('a repository the function is not wired to is refused by name when used, and the others still build', () => {
    const table = { client: {}, name: 't' } as unknown as TableRef;
    const deps = buildDeps(() => table, { repositories: { cases: () => ({}) as never } });
    expect(() => deps.cases).not.toThrow();
    for (const port of REPOSITORY_PORTS.filter((p) => p !== 'cases'))
      expect(() => deps[port]).toThrow(new RegExp(`the ${port} port`));
  });
});

/**
 * The table's repositories a function's code can reach, read off its source: every module the
 * handler (and its port modules) import for their values, transitively, and in them every
 * `deps.<port>` of a repository port (`deps.cases`, `req.deps.directory`). Ports reach the code
 * only as properties of an object named `deps` (never destructured, spread or indexed:
 * test/unit/repositories.test.ts), so this is a superset of what the function uses; a port it
 * uses and lacks would be a 500 naming it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { REPOSITORY_PORTS, type RepositoryPort } from '../lambdas/adapters/repository-ports';

const LAMBDAS = resolve(__dirname, '..', 'lambdas');

// Value imports and re-exports of our own modules; `import type` and `export type` load nothing.
const LOCAL_IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^;'"]*?\s+from\s+)?'(\.{1,2}\/[^']+)'/gm;

const resolveModule = (from: string, spec: string): string | undefined => {
  const base = resolve(dirname(from), spec);
  return [`${base}.ts`, join(base, 'index.ts'), base].find((f) => f.endsWith('.ts') && existsSync(f));
};

const USE = new Map(REPOSITORY_PORTS.map((p) => [p, new RegExp(`\\bdeps\\s*\\??\\.\\s*${p}\\b`)]));

const cache = new Map<string, RepositoryPort[]>();

/** The repository ports reachable from these modules (paths under lambdas/, without extension). */
export const repositoriesOf = (modules: readonly string[]): RepositoryPort[] => {
  const key = modules.join('\n');
  const known = cache.get(key);
  if (known) return known;
  const seen = new Set<string>();
  const used = new Set<RepositoryPort>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [port, use] of USE) if (use.test(source)) used.add(port);
    for (const m of source.matchAll(LOCAL_IMPORT)) {
      const next = resolveModule(file, m[1]);
      if (next) visit(next);
    }
  };
  for (const m of modules) visit(join(LAMBDAS, `${m}.ts`));
  const ports = REPOSITORY_PORTS.filter((p) => used.has(p));
  cache.set(key, ports);
  return ports;
};

/** `mailLog` → `adapters/ports/repositories/mail-log`. */
export const repositoryModuleOf = (port: RepositoryPort): string =>
  `adapters/ports/repositories/${port.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * The CDK code has no import cycles (issue item "Tidy"): constructs once imported the Stage type
 * from lib/casework-app.ts, which imports the stacks that import the constructs. Type-only imports
 * count too; they are how that cycle looked.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';

const ROOT = resolve(__dirname, '..', '..');

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : full.endsWith('.ts') ? [full] : [];
  });

/** Relative imports of a file, resolved to .ts files (or index.ts of a folder). */
const importsOf = (file: string): string[] =>
  ts
    .preProcessFile(readFileSync(file, 'utf8'), true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => resolve(dirname(file), spec))
    .map((base) => [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate)))
    .filter((f): f is string => f !== undefined);

/** Every cycle reachable inside `files`, each as the list of files around it. */
const cyclesAmong = (files: string[]): string[][] => {
  const inside = new Set(files);
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[][] = [];
  const visit = (file: string, stack: string[]) => {
    state.set(file, 'open');
    for (const next of importsOf(file).filter((f) => inside.has(f))) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next, [...stack, next]);
    }
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file, [file]);
  return cycles.map((c) => c.map((f) => relative(ROOT, f)));
};

describe('imports of lib/', () => {
  const lib = filesUnder(join(ROOT, 'lib'));

  it('form no cycle', () => {
    expect(cyclesAmong(lib)).toEqual([]);
  });

  it('the walk does find a cycle when there is one', () => {
    // lib/casework-app.ts imports the stacks; a stack importing it back would close a cycle.
    const app = join(ROOT, 'lib', 'casework-app.ts');
    expect(importsOf(app)).toContain(join(ROOT, 'lib', 'stacks', 'app-stack.ts'));
  });

  it('only bin/ imports lib/casework-app.ts', () => {
    const importers = lib.filter((f) => importsOf(f).includes(join(ROOT, 'lib', 'casework-app.ts')));
    expect(importers.map((f) => relative(ROOT, f))).toEqual([]);
  });
});

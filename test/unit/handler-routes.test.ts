/**
 * Bundle size: a handler's bundle carries its own route only. Each HTTP handler
 * imports its declaration from ./routes/<handler>.ts, never the route table (./routes.ts, which
 * imports every route's schemas), and every declaration is listed in the table.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';
import { ROUTES } from '../../lambdas/http/routes';

const HTTP = resolve(__dirname, '..', '..', 'lambdas', 'http');
const importsOf = (file: string) =>
  ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((f) => f.fileName);
const handlers = [...new Set(ROUTES.map((r) => r.handler))];

describe('one route declaration per handler, outside the route table', () => {
  it.each(handlers)('%s imports its own declaration and not the route table', (name) => {
    const imports = importsOf(join(HTTP, `${name}.ts`));
    expect(imports).toContain(`./routes/${name}`);
    expect(imports).not.toContain('./routes');
  });

  it('every declaration names its own module and is listed in the table', async () => {
    const files = readdirSync(join(HTTP, 'routes')).map((f) => f.replace(/\.ts$/, ''));
    expect(files.sort()).toEqual([...handlers].sort());
    for (const name of files) {
      const { route } = (await import(join(HTTP, 'routes', name))) as { route: { handler: string } };
      expect(route.handler).toBe(name);
      expect(ROUTES).toContain(route);
    }
  });

  it('neither the middleware nor a declaration imports the route table', () => {
    expect(importsOf(join(HTTP, 'middleware.ts'))).not.toContain('./routes');
    for (const f of readdirSync(join(HTTP, 'routes'))) expect(importsOf(join(HTTP, 'routes', f))).not.toContain('../routes');
  });
});

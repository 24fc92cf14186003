/**
 * `npm run lint:openapi` (part of `npm test`): writes the document GET /openapi.json serves,
 * built from the route table, to a temporary file and lints it with Redocly's recommended ruleset
 * (redocly.yaml). A route whose declaration makes the document invalid fails here, before any
 * client generator or reader meets it. Offline: the rules ship inside @redocly/cli.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOpenApi } from '../lambdas/http/openapi';

const root = join(__dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'casework-openapi-'));
const file = join(dir, 'openapi.json');
try {
  writeFileSync(file, `${JSON.stringify(buildOpenApi(), null, 2)}\n`);
  const res = spawnSync(
    process.execPath,
    [require.resolve('@redocly/cli/bin/cli.js'), 'lint', file, '--config', join(root, 'redocly.yaml'), '--max-problems', '1000'],
    // Redocly reports usage to its servers unless told not to; the lint needs no network.
    { stdio: 'inherit', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
  );
  process.exitCode = res.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}

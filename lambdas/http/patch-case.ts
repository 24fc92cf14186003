import { patchCase } from '../domain/cases/case-changes';
import { validation } from '../domain/kernel/errors';
import { httpRoute } from './middleware';
import { route } from './routes/patch-case';

/** `If-Match: "3"` (the ETag of GET /cases/{caseNumber}) or a bare version number. */
const versionOf = (ifMatch: string | undefined): number | undefined => {
  if (ifMatch === undefined) return undefined;
  const m = /^(?:W\/)?"?(\d{1,10})"?$/.exec(ifMatch.trim());
  if (!m) throw validation([{ path: 'If-Match', message: 'must be the case version, e.g. "3"' }]);
  return Number(m[1]);
};

export const handler = httpRoute(route, async (req) => {
  const c = await patchCase(req.deps, req.caller, req.params.caseNumber, req.body, versionOf(req.headers['if-match']));
  return { status: 200, body: c, headers: { etag: `"${c.version}"` } };
});

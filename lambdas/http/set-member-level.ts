import { setMemberLevel } from '../domain/shortfall';
import type { Level } from '../domain/types';
import { httpRoute, ok } from './middleware';

export const handler = httpRoute<{ orgId: string; userId: string }, unknown, { level: Level }>(
  'PUT /admin/orgs/{orgId}/members/{userId}',
  async (req) => ok(await setMemberLevel(req.deps, req.caller!, req.params.orgId, req.params.userId, req.body.level)),
);

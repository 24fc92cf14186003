import { updateSettings } from '../domain/access/settings';
import { renderFor } from '../domain/kernel/rendered';
import { httpRoute, ok } from './middleware';
import { route } from './routes/update-settings';

export const handler = httpRoute(route, async (req) =>
  ok(renderFor('http', 'self', await updateSettings(req.deps, req.caller, req.body))),
);

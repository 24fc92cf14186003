import { updateSettings } from '../domain/access/settings';
import type { SettingsBody } from '../schemas/me';
import { httpRoute, ok } from './middleware';
import { route } from './routes/update-settings';

export const handler = httpRoute<unknown, unknown, SettingsBody>(route, async (req) =>
  ok(await updateSettings(req.deps, req.caller!, req.body)),
);

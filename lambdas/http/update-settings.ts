import { updateSettings } from '../domain/settings';
import type { SettingsBody } from '../schemas/me';
import { httpRoute, ok } from './middleware';

export const handler = httpRoute<unknown, unknown, SettingsBody>('PATCH /me/settings', async (req) =>
  ok(await updateSettings(req.deps, req.caller!, req.body)),
);

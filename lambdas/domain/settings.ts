/** NOTE-4: notification toggles and the default list are the user's; name, email and time zone are not. */
import type { Caller } from './policy';
import type { Deps } from './ports';
import type { UserSettings } from './types';

export const updateSettings = async (
  deps: Pick<Deps, 'directory'>,
  caller: Caller,
  change: { defaultList?: UserSettings['defaultList']; notifications?: Record<string, boolean> },
): Promise<UserSettings> => {
  const current = caller.user!.settings;
  const settings: UserSettings = {
    defaultList: change.defaultList ?? current.defaultList,
    notifications: { ...current.notifications, ...change.notifications },
  };
  await deps.directory.updateSettings(caller.id, settings);
  return settings;
};

/**
 * NOTE-4: notification toggles, alarm filters and the default list are the user's; name, email and
 * time zone are not (the schema refuses them). NOTE-2: the alarm and maintenance choices are
 * mirrored onto the user's entry of every organisation they are a Designated Contact of, in the
 * same transaction, so the notifier finds them by Query on the organisation.
 */
import type { Caller } from '../kernel/policy';
import type { Deps } from '../kernel/deps';
import { ALARM_FILTER_DEFAULT, mirrorFor, notificationsOf } from '../notifications/subscriptions';
import type { AlarmFilter, NotificationToggle, Org, UserSettings } from '../kernel/types';

export interface SettingsChange {
  defaultList?: UserSettings['defaultList'];
  notifications?: Partial<Record<NotificationToggle, boolean>>;
  alarms?: Partial<AlarmFilter>;
}

export interface SettingsView {
  defaultList: UserSettings['defaultList'];
  /** Every toggle, defaults filled in. */
  notifications: Record<NotificationToggle, boolean>;
  alarms: AlarmFilter;
}

/** The settings as GET /me and PATCH /me/settings show them. */
export const settingsView = (s: UserSettings): SettingsView => ({
  defaultList: s.defaultList,
  notifications: notificationsOf(s),
  alarms: s.alarms ?? ALARM_FILTER_DEFAULT,
});

const mirrored = (s: UserSettings) => {
  const t = notificationsOf(s);
  return JSON.stringify([t.alarms, t.maintenance, s.alarms ?? ALARM_FILTER_DEFAULT]);
};

export const updateSettings = async (
  deps: Pick<Deps, 'subscriptions' | 'clock'>,
  caller: Caller,
  change: SettingsChange,
): Promise<SettingsView> => {
  const current = caller.user!.settings;
  const alarms = change.alarms ? { ...(current.alarms ?? ALARM_FILTER_DEFAULT), ...change.alarms } : current.alarms;
  const settings: UserSettings = {
    defaultList: change.defaultList ?? current.defaultList,
    notifications: { ...current.notifications, ...change.notifications },
    ...(alarms ? { alarms } : {}),
  };
  const orgs = [...new Set(caller.memberships.map((m) => m.orgId))]
    .map((id) => caller.orgs.get(id))
    .filter((o): o is Org => o !== undefined);
  const mirrors = mirrored(settings) === mirrored(current) ? [] : orgs.flatMap((org) => mirrorFor(caller, org, settings) ?? []);
  await deps.subscriptions.saveSettings(caller.id, settings, mirrors, deps.clock.now().toISOString());
  return settingsView(settings);
};

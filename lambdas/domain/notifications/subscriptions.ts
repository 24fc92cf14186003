/**
 * NOTE-2 subscriptions: what a user chose to be told about, as the notifier will read it.
 *
 * - One case: a case subscription, made explicitly (PUT /cases/{n}/subscription) or by
 *   favoriting the case (LIST-5). It records its sources, so removing the favorite removes only
 *   what the favorite made.
 * - An organisation: per category (new escalations, new critical, new high, cloud incidents),
 *   each chosen separately; cloud incidents only where the organisation has a cloud deployment.
 * - Alarms and maintenance alerts: user settings (PATCH /me/settings), mirrored onto the
 *   organisation subscription of every organisation the user is a Designated Contact of, so the
 *   notifier still finds them with one Query per organisation.
 * - Personal cases: a user setting; the case names its contact, so no index is needed.
 *
 * Only Designated Contacts subscribe (ACC-2); the notifier re-checks access at send time.
 */
import { forbidden } from '../kernel/errors';
import { loadCase } from '../cases/cases';
import { levelOn, type Caller } from '../kernel/policy';
import type { Deps } from '../kernel/deps';
import type { AlarmFilter, NotificationToggle, Org, UserSettings } from '../kernel/types';
import type { SubscriptionSource, OrgSubscriptionChoice, OrgNotifyMirror } from './ports';

export const NOTIFICATION_DEFAULTS: Record<NotificationToggle, boolean> = {
  personalCases: false,
  alarms: false,
  maintenance: false,
  email: false,
  push: true,
};

export const ALARM_FILTER_DEFAULT: AlarmFilter = { severity: 'all', excludeOrigins: [] };

/** The user's toggles with every default filled in. */
export const notificationsOf = (settings: UserSettings): Record<NotificationToggle, boolean> => ({
  ...NOTIFICATION_DEFAULTS,
  ...settings.notifications,
});

/**
 * NOTE-2: does an alarm pass a user's filter? `all` takes every severity; any other value is a
 * minimum (choosing `major` must not hide `critical`), so `major` takes critical and
 * major, `minor` takes all three; excluded origins are compared case-insensitively.
 */
export const alarmWanted = (filter: AlarmFilter, alarm: { severity: string; origin?: string }): boolean => {
  if (filter.severity !== 'all') {
    const rank = (s: string) => ALARM_SEVERITY_ORDER.indexOf(s as (typeof ALARM_SEVERITY_ORDER)[number]);
    if (rank(alarm.severity) < 0 || rank(alarm.severity) > rank(filter.severity)) return false;
  }
  const origin = alarm.origin?.toLowerCase();
  return !(origin && filter.excludeOrigins.some((o) => o.toLowerCase() === origin));
};

/** ALARM-1 severities, most severe first. */
const ALARM_SEVERITY_ORDER = ['critical', 'major', 'minor'] as const;

export const hasCloudDeployment = (org: Org): boolean => org.deployments.some((d) => d.hosting === 'cloud');

/**
 * The alarm and maintenance entries one organisation should carry for this user, or undefined when
 * the user may not subscribe there. Alarms only where the organisation has Remote Alarm Monitoring.
 */
export const mirrorFor = (caller: Caller, org: Org, settings: UserSettings): OrgNotifyMirror | undefined => {
  // The user's settings, whichever app saved them: PRIV-2 is applied when notifying, not here.
  if (org.type === 'partner' || levelOn(caller, org.orgId) !== 'designated') return undefined;
  const toggles = notificationsOf(settings);
  return {
    orgId: org.orgId,
    alarms: toggles.alarms && org.alarmMonitoring ? (settings.alarms ?? ALARM_FILTER_DEFAULT) : null,
    maintenance: toggles.maintenance,
  };
};

export const designatedOnly = () =>
  forbidden('Only Designated Contacts of the organisation may change its notification subscriptions (ACC-2, NOTE-2).');

export interface CaseSubscriptionView {
  caseNumber: string;
  subscribed: boolean;
  sources: SubscriptionSource[];
}

/** NOTE-2: PUT /cases/{n}/subscription. Idempotent; a favorite's subscription gains the explicit source. */
export const subscribeToCase = async (deps: Deps, caller: Caller, caseNumber: string): Promise<CaseSubscriptionView> => {
  const { c, access } = await loadCase(deps, caller, caseNumber);
  if (access !== 'write') throw designatedOnly();
  const sub = await deps.subscriptions.addCaseSource(
    { caseNumber: c.caseNumber, userId: caller.id, orgId: c.orgId },
    'explicit',
    deps.clock.now().toISOString(),
  );
  return { caseNumber: c.caseNumber, subscribed: true, sources: sub.sources };
};

/**
 * NOTE-2: GET /cases/{n}/subscription, whether the caller is subscribed and why (explicitly,
 * through a favorite). Subscriptions are the Designated Contacts' (API.md), so others get 403 on
 * a case they may see, 404 on one they may not (PRIV-3).
 */
export const caseSubscriptionOf = async (deps: Deps, caller: Caller, caseNumber: string): Promise<CaseSubscriptionView> => {
  const { c, access } = await loadCase(deps, caller, caseNumber);
  if (access !== 'write') throw forbidden('Case subscriptions are for Designated Contacts of the organisation (ACC-2, NOTE-2).');
  const sub = await deps.subscriptions.getCaseSubscription(c.caseNumber, caller.id);
  const sources = sub?.sources ?? [];
  return { caseNumber: c.caseNumber, subscribed: sources.length > 0, sources };
};

/**
 * NOTE-2: DELETE /cases/{n}/subscription turns the case's notifications off, whoever made the
 * subscription (the favorite stays a favorite). Idempotent.
 */
export const unsubscribeFromCase = async (deps: Deps, caller: Caller, caseNumber: string): Promise<void> => {
  const { c, access } = await loadCase(deps, caller, caseNumber);
  if (access !== 'write') throw designatedOnly();
  await deps.subscriptions.deleteCaseSubscription(c.caseNumber, caller.id);
};

export const choiceOf = (sub: Partial<OrgSubscriptionChoice> | undefined): OrgSubscriptionChoice => ({
  newEscalations: sub?.newEscalations ?? false,
  newCritical: sub?.newCritical ?? false,
  newHigh: sub?.newHigh ?? false,
  cloudIncidents: sub?.cloudIncidents ?? false,
});

export interface OrgSubscriptionView extends OrgSubscriptionChoice {
  orgId: string;
}

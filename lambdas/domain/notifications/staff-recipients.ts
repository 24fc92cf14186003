/**
 * NOTE-1, CHAT-1, CHAT-2: staff are told too.
 *
 * - The owner of a case, when the customer replies on it (portal, mobile or email; a chat
 *   transcript is no reply: the analyst was in the chat or it went to the callback below).
 * - The analysts of a case's support group, when the case is raised to (or opened as) critical,
 *   when an escalation is requested, and when a chat on it waits for an analyst (with its owner).
 * - Managers, for escalation requests and CHAT-2 callbacks.
 *
 * Found by Query only (the person index: staff by group, staff by role); each candidate is then
 * re-read and kept only while their profile still says so (`staffReasonHolds`), through the same
 * policy as everyone: a US analyst is told of an EU/EEA case in its restricted view (PRIV-1), and
 * FedRAMP events never reach a phone (PRIV-2, delivery.ts).
 */
import type { Caller, CaseAccess } from '../kernel/policy';
import type { Deps } from '../kernel/deps';
import type { NotificationEvent, NotificationType } from './notifications';
import { STAFF_REASONS, type Reason, type StaffReason } from './ports';

/** Events only staff hear of (the customer who caused them is in the chat, or left the number). */
export const STAFF_ONLY_EVENTS: ReadonlySet<NotificationType> = new Set(['chat-waiting', 'chat-callback']);

export const isStaffReason = (r: Reason): r is StaffReason => (STAFF_REASONS as readonly string[]).includes(r);

const raisedToCritical = (e: NotificationEvent): boolean =>
  (e.eventType === 'case-created' && e.severity === 'critical') ||
  (e.eventType === 'severity-changed' && e.to === 'critical' && e.from !== 'critical');

/** Who among staff an event concerns, by role: the case's owner, its support group, the managers. */
export const staffReasonsOf = (e: NotificationEvent): { owner?: StaffReason; group?: StaffReason; managers?: StaffReason } => {
  switch (e.eventType) {
    case 'public-update':
      return e.update?.authorKind === 'customer' && e.update.channel !== 'chat' ? { owner: 'owned-case-reply' } : {};
    case 'case-created':
    case 'severity-changed':
      return raisedToCritical(e) ? { group: 'group-critical' } : {};
    case 'escalation-requested':
      return { group: 'group-escalation', managers: 'manager-escalation' };
    case 'chat-waiting':
      return { owner: 'chat-waiting', group: 'chat-waiting' };
    case 'chat-callback':
      return { managers: 'manager-callback' };
    default:
      return {};
  }
};

/** Staff candidates and their reasons, from Queries on the person index (never a Scan). */
export const staffCandidatesOf = async (deps: Pick<Deps, 'notes'>, e: NotificationEvent): Promise<Map<string, Set<Reason>>> => {
  const out = new Map<string, Set<Reason>>();
  const c = e.case;
  if (!c) return out;
  const add = (userId: string, reason: Reason) => out.set(userId, (out.get(userId) ?? new Set()).add(reason));
  const { owner, group, managers } = staffReasonsOf(e);
  if (owner && c.ownerId) add(c.ownerId, owner);
  if (group) for (const id of await deps.notes.staffOfGroup(c.supportGroup)) add(id, group);
  if (managers) for (const id of await deps.notes.staffOfRole('manager')) add(id, managers);
  return out;
};

/** The send-time check of one staff reason: the profile as it is now, and the case as the event has it. */
export const staffReasonHolds = (r: StaffReason, e: NotificationEvent, caller: Caller, access: CaseAccess): boolean => {
  const staff = caller.user?.staff;
  const c = e.case;
  if (!staff || !c || (access !== 'staff' && access !== 'restricted')) return false;
  const inGroup = staff.role === 'analyst' && staff.supportGroups.includes(c.supportGroup);
  switch (r) {
    case 'owned-case-reply':
      return c.ownerId === caller.id;
    case 'group-critical':
    case 'group-escalation':
      return inGroup;
    case 'chat-waiting':
      // PRIV-1: staff who may not chat on the case (US staff, EU/EEA case) are not called to it.
      return access === 'staff' && (c.ownerId === caller.id || inGroup);
    case 'manager-escalation':
    case 'manager-callback':
      return staff.role === 'manager';
  }
};

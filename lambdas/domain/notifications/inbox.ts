/**
 * NOTE-1, NOTE-3: the caller's own notification inbox and push devices.
 *
 * - GET /notifications: the last three days, newest first, each item re-checked now: an item of
 *   an organisation the caller can no longer see is left out, a FedRAMP organisation's items are
 *   never served to a mobile token (PRIV-2), and the text is the caller's view (PRIV-1).
 * - POST /devices: one device per platform and token. Registering the same token again returns
 *   the same device; a token another user registered before becomes the caller's (the phone
 *   changed hands), and its SNS endpoint is re-marked as theirs. A user holds at most
 *   MAX_DEVICES_PER_USER devices: registering one more removes their oldest (its endpoint deleted),
 *   as a phone replaced or an app reinstalled leaves its old token behind.
 * - DELETE /devices/{deviceId}: the owner's only; anyone else's (or none) is 404.
 */
import { deviceIdOf } from './delivery';
import { notFound, validation } from '../kernel/errors';
import { accountAccess, caseAccess, hiddenOnClient, staffOf, type Caller, type CaseAccess } from '../kernel/policy';
import type { Deps } from '../kernel/deps';
import type { Device, PushPlatform } from './ports';
import type { Page, PageRequest } from '../kernel/ports';
import { viewFor, type View } from '../kernel/views';

export const listNotifications = async (deps: Deps, caller: Caller, page: PageRequest): Promise<Page<View<'inboxItem'>>> => {
  const res = await deps.notes.listInbox(caller.id, deps.clock.now().toISOString(), page);
  // NOTE-1: staff hold no memberships; their items' organisations are read, and checked the same way.
  const staffOrgs = staffOf(caller)
    ? new Map((await deps.directory.getOrgs([...new Set(res.items.map((i) => i.orgId))])).map((o) => [o.orgId, o]))
    : undefined;
  const items: View<'inboxItem'>[] = [];
  for (const item of res.items) {
    if (hiddenOnClient(caller.client, item)) continue;
    const org = staffOrgs ? staffOrgs.get(item.orgId) : caller.orgs.get(item.orgId);
    const access: CaseAccess = !org ? 'none' : item.caseNumber ? caseAccess(caller, org) : accountAccess(caller, org);
    if (access === 'none') continue;
    items.push(viewFor('inboxItem', item, access));
  }
  return { items, next: res.next };
};

/** NOTE-1: devices per user; their list stays one small item, read with the user in delivery's batch. */
export const MAX_DEVICES_PER_USER = 10;

export const registerDevice = async (
  deps: Deps,
  caller: Caller,
  input: { platform: PushPlatform; token: string },
): Promise<View<'device'>> => {
  if (!deps.push.offers(input.platform)) {
    throw validation([{ path: 'platform', message: `push to ${input.platform} is not offered by this deployment` }]);
  }
  const deviceId = deviceIdOf(input.platform, input.token);
  const existing = await deps.notes.getDevice(deviceId);
  if (existing?.userId === caller.id) return viewFor('device', existing, 'write');
  const endpointArn = await deps.push.createEndpoint(input.platform, input.token, caller.id);
  const device: Device = {
    deviceId,
    userId: caller.id,
    platform: input.platform,
    endpointArn,
    createdAt: deps.clock.now().toISOString(),
  };
  const evicted = await deps.notes.putDevice(device, MAX_DEVICES_PER_USER);
  // Removed from the table with the registration: nobody holds their tokens now.
  await Promise.all(evicted.map((d) => deps.push.deleteEndpoint(d.endpointArn).catch(() => undefined)));
  return viewFor('device', device, 'write');
};

/** NOTE-1: GET /devices, the caller's own devices, oldest first (never a token or endpoint). */
export const listDevices = async (deps: Deps, caller: Caller): Promise<View<'device'>[]> =>
  (await deps.notes.userDevices(caller.id))
    .filter((d) => d.userId === caller.id)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.deviceId.localeCompare(b.deviceId))
    .map((d) => viewFor('device', d, 'write'));

export const removeDevice = async (deps: Deps, caller: Caller, deviceId: string): Promise<void> => {
  const device = await deps.notes.getDevice(deviceId);
  // PRIV-3: someone else's device answers exactly as one that does not exist.
  if (!device || device.userId !== caller.id) throw notFound();
  // Only while still the caller's: a token taken over meanwhile keeps its (shared) endpoint.
  if (await deps.notes.deleteDevice(deviceId, caller.id)) await deps.push.deleteEndpoint(device.endpointArn);
};

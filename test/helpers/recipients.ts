/**
 * Acme Designated Contacts subscribed to its new critical cases, one phone each: the recipients
 * of one event, as the fan-out test and `npm run bench:fanout` both seed them.
 */
import { putMembership, putUser } from '../../lambdas/data/directory-repo';
import type { TableRef } from '../../lambdas/data/client';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import { CURRENT_TERMS } from '../../lambdas/domain/kernel/catalogue';
import { mapLimit } from '../../lambdas/domain/kernel/concurrency';
import { deviceIdOf } from '../../lambdas/domain/notifications/delivery';
import { MAX_DEVICES_PER_USER } from '../../lambdas/domain/notifications/inbox';

export const seedRecipients = async (
  ref: TableRef,
  deps: Pick<Deps, 'subscriptions' | 'push' | 'notes'>,
  userIds: readonly string[],
  concurrency = 1,
): Promise<void> => {
  const at = new Date().toISOString();
  await mapLimit(userIds, concurrency, async (userId) => {
    await putUser(ref, {
      userId,
      email: `${userId}@acme.example`,
      name: userId,
      timeZone: 'UTC',
      termsVersion: CURRENT_TERMS.version,
      settings: { defaultList: 'all', notifications: {} },
    });
    await putMembership(ref, { userId, orgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME', level: 'designated', via: 'direct' });
    await deps.subscriptions.putOrgSubscription(
      { orgId: 'ORG-ACME', userId },
      { newCritical: true },
      { orgId: 'ORG-ACME', alarms: null, maintenance: false },
      at,
    );
    const token = `${userId}-token`;
    const endpointArn = await deps.push.createEndpoint('fcm', token, userId);
    await deps.notes.putDevice(
      { deviceId: deviceIdOf('fcm', token), userId, platform: 'fcm', endpointArn, createdAt: at },
      MAX_DEVICES_PER_USER,
    );
  });
};

/**
 * NOTE-1, NOTE-2, NOTE-3, PRIV-1, PRIV-2, ACC-5: who receives an event, on which channel, once.
 * The domain runs over in-memory ports (pure tier); the repositories and the SNS adapter are
 * exercised against DynamoDB Local and the push stand-in in the e2e tier.
 */
import { sendMailJob } from '../../lambdas/domain/mail/outbound';
import { deliverChunk, deliveryKey, fanOut } from '../../lambdas/domain/notifications/delivery';
import { listNotifications } from '../../lambdas/domain/notifications/inbox';
import type { NotificationEvent } from '../../lambdas/domain/notifications/notifications';
import type { Deps } from '../../lambdas/domain/kernel/deps';
import type {
  Device,
  DeliveryChunk,
  InboxItem,
  PushMessage,
  CaseSubscription,
  OrgSubscription,
} from '../../lambdas/domain/notifications/ports';
import type { OutboxClaim, OutboundMail } from '../../lambdas/domain/mail/ports';
import type { Case, Combination, Membership, Org, User } from '../../lambdas/domain/kernel/types';
import { viewFor } from '../../lambdas/domain/kernel/views';
import { caller, org, user } from '../helpers/demo-caller';
import { testKeyring } from '../helpers/deps';
import { withCallerSource } from '../helpers/caller-source';

const acme = org('ORG-ACME', { name: 'Acme Corp', alarmMonitoring: true });
const initech = org('ORG-INITECH', { name: 'Initech Federal', fedramp: true });
const onPrem = org('ORG-UMBRELLA', {
  name: 'Umbrella Ltd',
  alarmMonitoring: true,
  deployments: [{ productLine: 'PureConnect On-Premises', hosting: 'on_premises' }],
});

const kase = (o: Org, extra: Partial<Case> = {}): Case => ({
  caseNumber: '00000042',
  referenceId: 'ABCDEFGHJKMNPQRS',
  kind: 'support',
  subject: 'Agents cannot log in',
  description: 'since the upgrade',
  severity: 'critical',
  status: 'open',
  orgId: o.orgId,
  soldToOrgId: o.orgId,
  orgName: o.name,
  productLine: 'Genesys Cloud CX',
  supportGroup: 'Cloud CX Support',
  contactId: 'u-contact',
  contactName: 'Connie Contact',
  contactEmail: 'connie@acme.example',
  createdAt: '2026-12-01T08:00:00.000Z',
  updatedAt: '2026-12-01T09:00:00.000Z',
  version: 2,
  needsAction: false,
  ...extra,
});

const raised = (o: Org, extra: Partial<Case> = {}): NotificationEvent => {
  const c = kase(o, extra);
  return {
    eventId: `severity-changed#${c.caseNumber}#v${c.version}`,
    eventType: 'severity-changed',
    at: c.updatedAt,
    orgId: o.orgId,
    caseNumber: c.caseNumber,
    severity: 'critical',
    from: 'high',
    to: 'critical',
    case: c,
  };
};

interface World {
  users: Map<string, { user: User; memberships: Membership[] }>;
  orgs: Org[];
  caseSubs: CaseSubscription[];
  orgSubs: OrgSubscription[];
  devices: Device[];
  disabled: Set<string>;
}

const designated = (orgId: string): Membership[] => [
  { userId: '', orgId, soldToOrgId: orgId, level: 'designated', via: 'direct' },
];

const orgSub = (userId: string, o: Org, extra: Partial<OrgSubscription> = {}): OrgSubscription => ({
  orgId: o.orgId,
  userId,
  newCritical: false,
  newHigh: false,
  newEscalations: false,
  cloudIncidents: false,
  updatedAt: 'x',
  ...extra,
});

/** In-memory ports, with what each channel did. */
const harness = (w: Partial<World> = {}) => {
  const world: World = {
    users: new Map(),
    orgs: [acme, initech, onPrem],
    caseSubs: [],
    orgSubs: [],
    devices: [],
    disabled: new Set(),
    ...w,
  };
  const inbox: InboxItem[] = [];
  const pushes: { endpointArn: string; message: PushMessage }[] = [];
  const mails: OutboundMail[] = [];
  const deletedEndpoints: string[] = [];
  const ledger = new Map<string, 'claimed' | 'done'>();
  let now = new Date('2026-12-01T10:00:00.000Z');
  const deps = {
    clock: { now: () => now },
    mailDomain: 'casework.test',
    replyKeys: async () => testKeyring,
    mailer: { send: async (m: OutboundMail) => void mails.push(m) },
    mail: { recordOutbound: async () => undefined },
    directory: withCallerSource({
      getUserWithMemberships: async (id: string) => world.users.get(id),
      getOrgs: async (ids: string[]) => world.orgs.filter((o) => ids.includes(o.orgId)),
      getCombinations: async (pairs: { endUserOrgId: string; soldToOrgId: string }[]): Promise<Combination[]> =>
        pairs.map((p) => ({ ...p, contracts: [{ contractId: 'c', status: 'active' }] })),
    }),
    subscriptions: {
      caseSubscribers: async (n: string) => world.caseSubs.filter((s) => s.caseNumber === n),
      orgSubscribers: async (orgId: string, category: string) =>
        world.orgSubs.filter(
          (s) => s.orgId === orgId && (category === 'alarms' ? s.alarms : (s as unknown as Record<string, unknown>)[category]),
        ),
    },
    outbox: {
      claim: async (key: string): Promise<OutboxClaim> => {
        if (ledger.get(key) === 'done') return 'done';
        if (ledger.get(key) === 'claimed') return 'busy';
        ledger.set(key, 'claimed');
        return 'claimed';
      },
      finish: async (key: string) => {
        ledger.set(key, 'done');
        return true;
      },
      release: async (key: string) => void ledger.delete(key),
      claimAll: async (keys: string[]) => {
        const out = new Map<string, OutboxClaim>();
        for (const key of keys) {
          out.set(key, ledger.get(key) === 'done' ? 'done' : ledger.get(key) === 'claimed' ? 'busy' : 'claimed');
          if (!ledger.has(key)) ledger.set(key, 'claimed');
        }
        return out;
      },
      finishAll: async (keys: string[]) => {
        for (const key of keys) ledger.set(key, 'done');
      },
    },
    notes: {
      putInboxItems: async (items: InboxItem[]) => {
        for (const item of items)
          if (!inbox.some((i) => i.userId === item.userId && i.notificationId === item.notificationId)) inbox.push(item);
      },
      listInbox: async (userId: string, at: string) => ({
        items: inbox.filter((i) => i.userId === userId && i.keepUntil > at).reverse(),
        next: null,
      }),
      userDevices: async (userId: string) => world.devices.filter((d) => d.userId === userId),
      recipientsOf: async (userIds: string[]) => {
        const sources = await deps.directory.getCallerSources(userIds);
        return new Map(
          [...sources].map(([id, source]) => [id, { source, devices: world.devices.filter((d) => d.userId === id) }]),
        );
      },
      staffOfGroup: async (group: string) =>
        [...world.users.values()].filter((u) => u.user.staff?.supportGroups.includes(group)).map((u) => u.user.userId),
      staffOfRole: async (role: string) =>
        [...world.users.values()].filter((u) => u.user.staff?.role === role).map((u) => u.user.userId),
      deleteDevice: async (deviceId: string, userId: string) => {
        const before = world.devices.length;
        world.devices = world.devices.filter((d) => !(d.deviceId === deviceId && d.userId === userId));
        return world.devices.length < before;
      },
    },
    push: {
      offers: () => true,
      publish: async (endpointArn: string, _p: string, message: PushMessage) => {
        if (world.disabled.has(endpointArn)) return 'disabled' as const;
        pushes.push({ endpointArn, message });
        return 'sent' as const;
      },
      deleteEndpoint: async (arn: string) => void deletedEndpoints.push(arn),
    },
  } as unknown as Deps;
  // Email goes through the mail queue; here its consumer runs at once on what is queued.
  deps.mailQueue = {
    enqueue: async (jobs) => {
      for (const job of jobs)
        await sendMailJob(deps, job, { claimId: 'mail-run', leaseUntil: new Date('2026-12-01T10:01:00.000Z') });
    },
  };
  const person = (id: string, memberships: Membership[], extra: Partial<User> = {}, device = true) => {
    world.users.set(id, { user: user(id, extra), memberships: memberships.map((m) => ({ ...m, userId: id })) });
    if (device) {
      world.devices.push({
        deviceId: `d-${id}`,
        userId: id,
        platform: 'apns',
        endpointArn: `arn:endpoint/${id}`,
        createdAt: 'x',
      });
    }
  };
  const opts = { leaseUntil: new Date('2026-12-01T10:01:00.000Z'), claimId: 'run-1' };
  // The delivery queue: its consumer runs at once on each chunk queued, as the delivery function would.
  deps.deliveryQueue = {
    enqueue: async (chunks) => {
      for (const chunk of chunks) await deliverChunk(deps, JSON.parse(JSON.stringify(chunk)) as typeof chunk, opts);
    },
  };
  const run = (e: NotificationEvent, o: Org) => fanOut(deps, e, o);
  const recipients = () => [...new Set(inbox.map((i) => i.userId))].sort();
  const pushedTo = () => pushes.map((p) => p.endpointArn.replace('arn:endpoint/', '')).sort();
  return {
    world,
    deps,
    inbox,
    pushes,
    mails,
    deletedEndpoints,
    person,
    run,
    recipients,
    pushedTo,
    setNow: (d: Date) => (now = d),
  };
};

describe('NOTE-2: recipients by subscription kind', () => {
  it('NOTE-2: a case raised to critical reaches new-critical subscribers (push and inbox), not new-high ones', async () => {
    const h = harness();
    h.person('u-crit', designated('ORG-ACME'));
    h.person('u-high', designated('ORG-ACME'));
    h.world.orgSubs.push(orgSub('u-crit', acme, { newCritical: true }), orgSub('u-high', acme, { newHigh: true }));
    await h.run(raised(acme), acme);
    expect(h.recipients()).toEqual(['u-crit']);
    expect(h.pushedTo()).toEqual(['u-crit']);
    expect(h.pushes[0].message).toMatchObject({
      title: 'Case 00000042 raised to Critical',
      body: 'Acme Corp: Agents cannot log in',
    });
  });

  it('NOTE-2: a new high case reaches new-high subscribers; lowering a case to high reaches nobody by category', async () => {
    const h = harness();
    h.person('u-high', designated('ORG-ACME'));
    h.world.orgSubs.push(orgSub('u-high', acme, { newHigh: true }));
    const c = kase(acme, { severity: 'high', version: 1 });
    await h.run(
      { eventId: 'case-created#00000042', eventType: 'case-created', at: c.createdAt, severity: 'high', case: c },
      acme,
    );
    expect(h.recipients()).toEqual(['u-high']);
    const lowered = {
      ...raised(acme),
      eventId: 'severity-changed#00000042#v3',
      from: 'critical',
      to: 'high',
      severity: 'high' as const,
    };
    await h.run(lowered, acme);
    expect(h.inbox).toHaveLength(1);
  });

  it('NOTE-2: an escalation request reaches new-escalation subscribers but not the contact who asked for it', async () => {
    const h = harness();
    h.person('u-esc', designated('ORG-ACME'));
    h.person('u-asker', designated('ORG-ACME'));
    h.world.orgSubs.push(orgSub('u-esc', acme, { newEscalations: true }), orgSub('u-asker', acme, { newEscalations: true }));
    const c = kase(acme, {
      escalation: { status: 'requested', reason: 'down', requestedBy: 'u-asker', requestedAt: '2026-12-01T09:00:00.000Z' },
    });
    await h.run(
      { eventId: 'escalation-requested#00000042#t', eventType: 'escalation-requested', at: '2026-12-01T09:00:00.000Z', case: c },
      acme,
    );
    expect(h.recipients()).toEqual(['u-esc']);
  });

  it('NOTE-2: case subscribers hear of a public update; its author does not', async () => {
    const h = harness();
    h.person('u-follow', designated('ORG-ACME'));
    h.person('u-author', designated('ORG-ACME'));
    for (const userId of ['u-follow', 'u-author'])
      h.world.caseSubs.push({
        caseNumber: '00000042',
        userId,
        orgId: 'ORG-ACME',
        sources: ['explicit'],
        createdAt: 'x',
        updatedAt: 'x',
      });
    const e: NotificationEvent = {
      eventId: 'public-update#00000042#U1',
      eventType: 'public-update',
      at: '2026-12-01T09:00:00.000Z',
      caseNumber: '00000042',
      orgId: 'ORG-ACME',
      updateId: 'U1',
      case: kase(acme),
      update: {
        caseNumber: '00000042',
        updateId: 'U1',
        authorId: 'u-author',
        authorName: 'A',
        authorKind: 'customer',
        channel: 'portal',
        visibility: 'public',
        body: 'more',
        attachments: [],
        createdAt: 't',
      },
    };
    await h.run(e, acme);
    expect(h.recipients()).toEqual(['u-follow']);
  });

  it("NOTE-2: the case's contact hears of their own case only with the personal-cases toggle on", async () => {
    const off = harness();
    off.person('u-contact', designated('ORG-ACME'));
    await off.run(raised(acme), acme);
    expect(off.recipients()).toEqual([]);
    const on = harness();
    on.person('u-contact', designated('ORG-ACME'), { settings: { defaultList: 'all', notifications: { personalCases: true } } });
    await on.run(raised(acme), acme);
    expect(on.recipients()).toEqual(['u-contact']);
  });

  it('NOTE-2: a contact who lost designated access, or the Terms, gets nothing', async () => {
    const h = harness();
    h.person('u-readonly', [{ userId: '', orgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME', level: 'read_only', via: 'direct' }]);
    h.person('u-gone', []);
    h.person('u-terms', designated('ORG-ACME'), { termsVersion: '1999-01-01' });
    h.person('u-ok', designated('ORG-ACME'));
    for (const id of ['u-readonly', 'u-gone', 'u-terms', 'u-ok', 'u-unknown'])
      h.world.orgSubs.push(orgSub(id, acme, { newCritical: true }));
    await h.run(raised(acme), acme);
    expect(h.recipients()).toEqual(['u-ok']);
    expect(h.pushedTo()).toEqual(['u-ok']);
  });

  it("NOTE-2: alarms pass each user's severity filter and left-out origins", async () => {
    const h = harness();
    for (const id of ['u-all', 'u-major', 'u-noorigin']) h.person(id, designated('ORG-ACME'));
    h.world.orgSubs.push(
      orgSub('u-all', acme, { alarms: { severity: 'all', excludeOrigins: [] } }),
      orgSub('u-major', acme, { alarms: { severity: 'major', excludeOrigins: [] } }),
      orgSub('u-noorigin', acme, { alarms: { severity: 'all', excludeOrigins: ['PBX-1'] } }),
    );
    const notice = {
      kind: 'alarm' as const,
      id: 'A1',
      orgId: 'ORG-ACME',
      title: 'Trunk down',
      status: 'active',
      modifiedAt: 't',
      alarmSeverity: 'critical' as const,
      origin: 'pbx-1',
    };
    await h.run({ eventId: 'alarm#A1#t', eventType: 'alarm', at: '2026-12-01T09:00:00.000Z', orgId: 'ORG-ACME', notice }, acme);
    // A severity is a minimum, so `major` takes a critical alarm too.
    expect(h.recipients()).toEqual(['u-all', 'u-major']);
    expect(h.inbox[0]).toMatchObject({ title: 'Critical alarm at Acme Corp', body: 'Trunk down' });
  });

  it('NOTE-2: cloud incidents only for an organisation with a cloud deployment; maintenance alerts to their subscribers', async () => {
    const h = harness();
    h.person('u-acme', designated('ORG-ACME'));
    h.person('u-umb', designated('ORG-UMBRELLA'));
    h.world.orgSubs.push(
      orgSub('u-acme', acme, { cloudIncidents: true }),
      orgSub('u-umb', onPrem, { cloudIncidents: true, maintenance: true }),
    );
    const notice = (o: Org, kind: 'incident' | 'maintenance') => ({
      kind,
      id: 'N1',
      orgId: o.orgId,
      title: 'x',
      status: 'open',
      modifiedAt: 't',
    });
    const at = '2026-12-01T09:00:00.000Z';
    await h.run({ eventId: 'ci#1', eventType: 'cloud-incident', at, orgId: 'ORG-ACME', notice: notice(acme, 'incident') }, acme);
    await h.run(
      { eventId: 'ci#2', eventType: 'cloud-incident', at, orgId: 'ORG-UMBRELLA', notice: notice(onPrem, 'incident') },
      onPrem,
    );
    await h.run(
      { eventId: 'mt#1', eventType: 'maintenance', at, orgId: 'ORG-UMBRELLA', notice: notice(onPrem, 'maintenance') },
      onPrem,
    );
    expect(h.inbox.map((i) => `${i.userId} ${i.eventType}`).sort()).toEqual(['u-acme cloud-incident', 'u-umb maintenance']);
  });

  it("ACC-5: a shortfall reaches the organisation's Designated Approvers named by the event", async () => {
    const h = harness();
    h.person('u-approver', designated('ORG-ACME'));
    h.person('u-other', designated('ORG-ACME'));
    await h.run(
      {
        eventId: 'designated-shortfall#ORG-ACME#E1',
        eventType: 'designated-shortfall',
        at: '2026-12-01T09:00:00.000Z',
        orgId: 'ORG-ACME',
        designatedContacts: 1,
        approvers: ['u-approver'],
      },
      acme,
    );
    expect(h.recipients()).toEqual(['u-approver']);
    expect(h.inbox[0].title).toBe('Acme Corp has 1 Designated Contact');
  });
});

describe('NOTE-1: channels', () => {
  it("NOTE-1: whoever made a change is not told of it: the contact who opened a case or whose reply reopened it gets no push, inbox item or mail; after a chat, only CHAT-3's transcript mail", async () => {
    const everything = { defaultList: 'all' as const, notifications: { personalCases: true, push: true, email: true } };
    const h = harness();
    h.person('u-contact', designated('ORG-ACME'), { settings: everything });
    h.person('u-follow', designated('ORG-ACME'), { settings: everything });
    h.world.orgSubs.push(orgSub('u-contact', acme, { newHigh: true }), orgSub('u-follow', acme, { newHigh: true }));
    h.world.caseSubs.push(
      ...['u-contact', 'u-follow'].map((userId) => ({
        caseNumber: '00000042',
        userId,
        orgId: 'ORG-ACME',
        sources: ['explicit' as const],
        createdAt: 'x',
        updatedAt: 'x',
      })),
    );
    const opened = kase(acme, { severity: 'high', version: 1, changedBy: 'u-contact' });
    await h.run(
      { eventId: 'case-created#00000042', eventType: 'case-created', at: opened.createdAt, severity: 'high', case: opened },
      acme,
    );
    const reopened = kase(acme, { severity: 'high', version: 5, status: 'open', changedBy: 'u-contact' });
    await h.run(
      {
        eventId: 'status-changed#00000042#v5',
        eventType: 'status-changed',
        at: reopened.updatedAt,
        from: 'awaiting_info',
        to: 'open',
        case: reopened,
      },
      acme,
    );
    // The chat's transcript, saved on the case by the system: CHAT-3 mails it to the customer itself.
    await h.run(
      {
        eventId: 'public-update#00000042#CHAT1',
        eventType: 'public-update',
        at: reopened.updatedAt,
        caseNumber: '00000042',
        updateId: 'CHAT1',
        case: reopened,
        update: {
          caseNumber: '00000042',
          updateId: 'CHAT1',
          authorId: 'system',
          authorName: 'Chat transcript',
          authorKind: 'system',
          channel: 'chat',
          visibility: 'public',
          body: 'Connie: hello',
          attachments: [],
          createdAt: reopened.updatedAt,
        },
      },
      acme,
    );
    const told = (userId: string) => ({
      inbox: h.inbox.filter((i) => i.userId === userId).map((i) => i.eventType),
      pushes: h.pushes.filter((p) => p.endpointArn === `arn:endpoint/${userId}`).length,
      mails: h.mails.filter((m) => m.to.includes(`${userId}@example.com`)).length,
    });
    // The control: a follower hears of all three, on every channel.
    expect(told('u-follow')).toEqual({ inbox: ['case-created', 'status-changed', 'public-update'], pushes: 3, mails: 3 });
    expect(told('u-contact')).toMatchObject({ inbox: ['public-update'], mails: 0 });
  });

  it('NOTE-1: push only with the push toggle on; email only with the email toggle on, with the Reference ID (MAIL-1)', async () => {
    const h = harness();
    h.person('u-quiet', designated('ORG-ACME'), { settings: { defaultList: 'all', notifications: { push: false } } });
    h.person('u-mail', designated('ORG-ACME'), { settings: { defaultList: 'all', notifications: { email: true } } });
    h.world.orgSubs.push(orgSub('u-quiet', acme, { newCritical: true }), orgSub('u-mail', acme, { newCritical: true }));
    await h.run(raised(acme), acme);
    expect(h.recipients()).toEqual(['u-mail', 'u-quiet']);
    expect(h.pushedTo()).toEqual(['u-mail']);
    expect(h.mails.map((m) => m.to)).toEqual([['u-mail@example.com']]);
    expect(h.mails[0].subject).toContain('[ref:ABCDEFGHJKMNPQRS]');
  });

  it('NOTE-1: a replayed event notifies nobody twice (push, email and inbox once)', async () => {
    const h = harness();
    h.person('u-crit', designated('ORG-ACME'), { settings: { defaultList: 'all', notifications: { email: true } } });
    h.world.orgSubs.push(orgSub('u-crit', acme, { newCritical: true }));
    await h.run(raised(acme), acme);
    await h.run(raised(acme), acme);
    expect({ inbox: h.inbox.length, pushes: h.pushes.length, mails: h.mails.length }).toEqual({ inbox: 1, pushes: 1, mails: 1 });
  });

  it('NOTE-1: a device whose endpoint SNS reports disabled is removed, with its endpoint', async () => {
    const h = harness();
    h.person('u-crit', designated('ORG-ACME'));
    h.world.orgSubs.push(orgSub('u-crit', acme, { newCritical: true }));
    h.world.disabled.add('arn:endpoint/u-crit');
    await h.run(raised(acme), acme);
    expect(h.world.devices).toEqual([]);
    expect(h.deletedEndpoints).toEqual(['arn:endpoint/u-crit']);
    expect(h.recipients()).toEqual(['u-crit']);
  });

  it('PRIV-2: a FedRAMP organisation\u2019s events are never pushed; its inbox items are not served to mobile tokens', async () => {
    const h = harness();
    h.person('u-fred', designated('ORG-INITECH'));
    h.world.orgSubs.push(orgSub('u-fred', initech, { newCritical: true }));
    await h.run(raised(initech), initech);
    expect(h.pushes).toEqual([]);
    expect(h.recipients()).toEqual(['u-fred']);
    const as = (client: 'web' | 'mobile') =>
      caller({ id: 'u-fred', client, orgs: [initech], memberships: designated('ORG-INITECH') });
    expect((await listNotifications(h.deps, as('web'), { limit: 25 })).items).toHaveLength(1);
    expect((await listNotifications(h.deps, as('mobile'), { limit: 25 })).items).toEqual([]);
  });

  it('NOTE-3: the inbox serves the last three days only, and nothing of an organisation the caller can no longer see', async () => {
    const h = harness();
    h.person('u-crit', designated('ORG-ACME'));
    h.world.orgSubs.push(orgSub('u-crit', acme, { newCritical: true }));
    await h.run(raised(acme), acme);
    const dana = caller({ id: 'u-crit', orgs: [acme], memberships: designated('ORG-ACME') });
    expect((await listNotifications(h.deps, dana, { limit: 25 })).items).toHaveLength(1);
    expect((await listNotifications(h.deps, caller({ id: 'u-crit' }), { limit: 25 })).items).toEqual([]);
    h.setNow(new Date('2026-12-04T09:00:00.001Z'));
    expect((await listNotifications(h.deps, dana, { limit: 25 })).items).toEqual([]);
  });
});

describe('PRIV-1: the inbox item view', () => {
  it('PRIV-1: a restricted view keeps the title (numbers, enums, organisation) and drops the body and bookkeeping', () => {
    const item: InboxItem = {
      userId: 'u-1',
      notificationId: 'e1',
      eventType: 'case-created',
      at: 't',
      orgId: 'ORG-GLOBEX',
      caseNumber: '00000042',
      severity: 'critical',
      title: 'New critical case 00000042',
      body: 'Globex GmbH: Klaus Müller cannot log in',
      fedramp: false,
      keepUntil: 't2',
    };
    expect(viewFor('inboxItem', item, 'restricted')).toEqual({
      notificationId: 'e1',
      eventType: 'case-created',
      at: 't',
      orgId: 'ORG-GLOBEX',
      caseNumber: '00000042',
      severity: 'critical',
      title: 'New critical case 00000042',
      restricted: true,
    });
    const full = viewFor('inboxItem', item, 'write');
    expect(full.body).toBe(item.body);
    expect(Object.keys(full)).not.toEqual(expect.arrayContaining(['userId']));
    expect(full).not.toHaveProperty('fedramp');
    expect(full).not.toHaveProperty('keepUntil');
  });
});

describe('NOTE-1: staff are told too', () => {
  const globex = org('ORG-GLOBEX', { name: 'Globex GmbH', gdpr: true });
  const analyst = (region: string, groups = ['Cloud CX Support']) => ({
    staff: { role: 'analyst' as const, region, supportGroups: groups },
  });
  const manager = { staff: { role: 'manager' as const, region: 'US', supportGroups: [] } };
  const reply = (o: Org, extra: Partial<Case> = {}, authorKind: 'customer' | 'staff' = 'customer'): NotificationEvent => {
    const c = kase(o, { ownerId: 'u-alice', ...extra });
    return {
      eventId: `public-update#${c.caseNumber}#up1`,
      eventType: 'public-update',
      at: '2026-12-01T09:30:00.000Z',
      orgId: o.orgId,
      caseNumber: c.caseNumber,
      updateId: 'up1',
      authorKind,
      case: c,
      update: {
        caseNumber: c.caseNumber,
        updateId: 'up1',
        authorId: authorKind === 'customer' ? 'u-contact' : 'u-eric',
        authorName: 'x',
        authorKind,
        channel: authorKind === 'customer' ? 'portal' : 'portal',
        visibility: 'public',
        body: 'It still fails',
        attachments: [],
        createdAt: '2026-12-01T09:30:00.000Z',
      },
    };
  };

  it("NOTE-1: a customer's reply reaches the case's owner (inbox and push), not other analysts; a staff reply does not", async () => {
    const h = harness();
    h.person('u-alice', [], analyst('US'));
    h.person('u-eric', [], analyst('EU'));
    await h.run(reply(acme), acme);
    expect(h.recipients()).toEqual(['u-alice']);
    expect(h.pushedTo()).toEqual(['u-alice']);
    expect(h.inbox[0]).toMatchObject({ title: 'Update on case 00000042', body: 'Acme Corp: Agents cannot log in' });
    await h.run({ ...reply(acme, {}, 'staff'), eventId: 'public-update#00000042#up2' }, acme);
    expect(h.inbox).toHaveLength(1);
  });

  it('NOTE-1: a case raised to critical reaches the analysts of its support group, not those of another group nor managers', async () => {
    const h = harness();
    h.person('u-alice', [], analyst('US'));
    h.person('u-pat', [], analyst('US', ['PureConnect Support']));
    h.person('u-mona', [], manager);
    await h.run(raised(acme, { changedBy: 'u-mona' }), acme);
    expect(h.recipients()).toEqual(['u-alice']);
  });

  it('NOTE-1: the staff member who raised the case is not told of it', async () => {
    const h = harness();
    h.person('u-alice', [], analyst('US'));
    h.person('u-eric', [], analyst('EU'));
    await h.run(raised(acme, { changedBy: 'u-eric' }), acme);
    expect(h.recipients()).toEqual(['u-alice']);
  });

  it('NOTE-1: an escalation request reaches the group and the managers', async () => {
    const h = harness();
    h.person('u-alice', [], analyst('US'));
    h.person('u-mona', [], manager);
    const c = kase(acme, {
      escalation: { status: 'requested', reason: 'down', requestedBy: 'u-contact', requestedAt: '2026-12-01T09:00:00.000Z' },
    });
    await h.run(
      { eventId: 'escalation-requested#00000042#t', eventType: 'escalation-requested', at: '2026-12-01T09:00:00.000Z', case: c },
      acme,
    );
    expect(h.recipients()).toEqual(['u-alice', 'u-mona']);
  });

  it('CHAT-1, NOTE-1: a waiting chat reaches the owner and the group; the customer hears nothing of it', async () => {
    const h = harness();
    h.person('u-contact', designated('ORG-ACME'), { settings: { defaultList: 'all', notifications: { personalCases: true } } });
    h.person('u-owner', [], analyst('US', ['Engage Support']));
    h.person('u-eric', [], analyst('EU'));
    h.person('u-mona', [], manager);
    const c = kase(acme, { ownerId: 'u-owner' });
    await h.run({ eventId: 'chat-waiting#ch1', eventType: 'chat-waiting', at: c.updatedAt, orgId: 'ORG-ACME', case: c }, acme);
    expect(h.recipients()).toEqual(['u-eric', 'u-owner']);
    expect(h.inbox[0].title).toBe('A chat is waiting on case 00000042');
  });

  it('CHAT-2: a callback reaches the managers in the inbox and by push, never a second mail (the alert mail carries the number)', async () => {
    const h = harness();
    h.person('u-mona', [], { ...manager, settings: { defaultList: 'all', notifications: { email: true } } });
    h.person('u-alice', [], analyst('US'));
    const c = kase(acme, { callbackPhone: '+1 555 0100', callbackRequestedAt: '2026-12-01T09:00:00.000Z' });
    await h.run({ eventId: 'chat-callback#00000042#t', eventType: 'chat-callback', at: c.updatedAt, case: c }, acme);
    expect(h.recipients()).toEqual(['u-mona']);
    expect(h.pushedTo()).toEqual(['u-mona']);
    expect(h.mails).toEqual([]);
    expect(JSON.stringify(h.inbox)).not.toContain('555');
  });

  it('NOTE-1, NOTE-4: staff choose their channels with the same settings (email on, push off)', async () => {
    const h = harness();
    h.person('u-alice', [], { ...analyst('US'), settings: { defaultList: 'all', notifications: { email: true, push: false } } });
    await h.run(reply(acme), acme);
    expect(h.recipients()).toEqual(['u-alice']);
    expect(h.pushes).toEqual([]);
    expect(h.mails.map((m) => m.to)).toEqual([['u-alice@example.com']]);
    expect(h.mails[0].subject).toContain('[Case 00000042]');
  });

  it('NOTE-1: a replayed event tells staff once (inbox, push and email claimed)', async () => {
    const h = harness();
    h.person('u-alice', [], { ...analyst('US'), settings: { defaultList: 'all', notifications: { email: true } } });
    await h.run(reply(acme), acme);
    await h.run(reply(acme), acme);
    expect(h.inbox).toHaveLength(1);
    expect(h.pushes).toHaveLength(1);
    expect(h.mails).toHaveLength(1);
  });

  it('NOTE-1: re-checked at send time: an analyst the group index still names but who left the group is not told', async () => {
    const h = harness();
    h.person('u-alice', [], analyst('US', ['Engage Support']));
    h.world.users.get('u-alice')!.user.staff!.supportGroups = ['Engage Support'];
    const deps = h.deps as unknown as { notes: { staffOfGroup: (g: string) => Promise<string[]> } };
    deps.notes.staffOfGroup = async () => ['u-alice'];
    await h.run(raised(acme), acme);
    expect(h.inbox).toEqual([]);
  });

  it('PRIV-1: a US analyst is told of an EU/EEA case without its personal data (inbox, push and mail)', async () => {
    const h = harness({ orgs: [globex] });
    h.person('u-alice', [], { ...analyst('US'), settings: { defaultList: 'all', notifications: { email: true } } });
    await h.run(raised(globex, { subject: 'Klaus Müller cannot log in' }), globex);
    expect(h.recipients()).toEqual(['u-alice']);
    expect(h.pushes[0].message.title).toBe('Case 00000042 raised to Critical');
    expect(JSON.stringify([h.pushes, h.mails])).not.toContain('Klaus');
    const alice = { ...caller({ id: 'u-alice', staff: analyst('US').staff }) };
    const listed = (await listNotifications(h.deps, alice, { limit: 25 })).items;
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain('Klaus');
  });

  it('PRIV-1: a US analyst is not called to a chat waiting on an EU/EEA case (they may not chat on it)', async () => {
    const h = harness({ orgs: [globex] });
    h.person('u-alice', [], analyst('US'));
    h.person('u-eric', [], analyst('EU'));
    const c = kase(globex, { ownerId: 'u-alice' });
    await h.run({ eventId: 'chat-waiting#ch1', eventType: 'chat-waiting', at: c.updatedAt, case: c }, globex);
    expect(h.recipients()).toEqual(['u-eric']);
  });

  it('PRIV-2: staff are never pushed a FedRAMP case, and a mobile token is not served its inbox item', async () => {
    const h = harness();
    h.person('u-alice', [], analyst('US'));
    await h.run(raised(initech), initech);
    expect(h.recipients()).toEqual(['u-alice']);
    expect(h.pushes).toEqual([]);
    const onPhone = caller({ id: 'u-alice', client: 'mobile', staff: analyst('US').staff });
    expect((await listNotifications(h.deps, onPhone, { limit: 25 })).items).toEqual([]);
    const onWeb = caller({ id: 'u-alice', staff: analyst('US').staff });
    expect((await listNotifications(h.deps, onWeb, { limit: 25 })).items).toHaveLength(1);
  });
});

describe('NOTE-1, NOTE-2: fan-out in chunks, each recipient told once', () => {
  const opts = () => ({ leaseUntil: new Date('2026-12-01T10:01:00.000Z'), claimId: `run-${Math.random()}` });

  it('NOTE-2: an event to 120 subscribers is queued as chunks of at most 50, the actor left out, nobody checked yet', async () => {
    const h = harness();
    for (let i = 0; i < 120; i++) {
      h.person(`u-${i}`, designated('ORG-ACME'));
      h.world.orgSubs.push(orgSub(`u-${i}`, acme, { newCritical: true }));
    }
    const queued: DeliveryChunk[] = [];
    h.deps.deliveryQueue = { enqueue: async (chunks) => void queued.push(...chunks) };
    const e = raised(acme, { changedBy: 'u-7' });
    // 119 subscribers and the case's contact, who is checked (and left out) at send time.
    expect(await fanOut(h.deps, e, acme)).toBe(120);
    expect(queued.map((c) => c.recipients.length)).toEqual([50, 50, 20]);
    expect(queued.flatMap((c) => c.recipients.map((r) => r.userId))).not.toContain('u-7');
    // The message carries the case's subject for the inbox, never its description.
    expect(queued[0].event.case?.description).toBe('');
    expect(h.inbox).toEqual([]);
    for (const c of queued) await deliverChunk(h.deps, c, opts());
    expect(h.recipients()).toHaveLength(119);
  });

  it('NOTE-1: a chunk whose push failed for one recipient fails; its retry pushes that recipient alone, and a third delivery nobody', async () => {
    const h = harness();
    for (const id of ['u-a', 'u-b', 'u-c']) {
      h.person(id, designated('ORG-ACME'));
      h.world.orgSubs.push(orgSub(id, acme, { newCritical: true }));
    }
    const queued: DeliveryChunk[] = [];
    h.deps.deliveryQueue = { enqueue: async (chunks) => void queued.push(...chunks) };
    await fanOut(h.deps, raised(acme), acme);
    const publish = h.deps.push.publish;
    let fail = true;
    h.deps.push = {
      ...h.deps.push,
      publish: async (arn, platform, message) => {
        if (fail && arn.endsWith('/u-b')) throw new Error('push service unavailable');
        return publish(arn, platform, message);
      },
    };
    await expect(deliverChunk(h.deps, queued[0], opts())).rejects.toThrow('push service unavailable');
    expect(h.pushedTo()).toEqual(['u-a', 'u-c']);
    fail = false;
    await deliverChunk(h.deps, queued[0], opts());
    await deliverChunk(h.deps, queued[0], opts());
    expect(h.pushedTo()).toEqual(['u-a', 'u-b', 'u-c']);
    expect(h.recipients()).toEqual(['u-a', 'u-b', 'u-c']);
  });

  it('NOTE-1: a recipient another delivery holds is left to it: the chunk tells the others, then fails so it comes back', async () => {
    const h = harness();
    for (const id of ['u-a', 'u-b']) {
      h.person(id, designated('ORG-ACME'));
      h.world.orgSubs.push(orgSub(id, acme, { newCritical: true }));
    }
    const queued: DeliveryChunk[] = [];
    h.deps.deliveryQueue = { enqueue: async (chunks) => void queued.push(...chunks) };
    const e = raised(acme);
    await fanOut(h.deps, e, acme);
    await h.deps.outbox.claim(deliveryKey(e.eventId, 'u-b'), 'other-run', 'x', 'y');
    await expect(deliverChunk(h.deps, queued[0], opts())).rejects.toThrow(/claimed by another run/);
    expect(h.pushedTo()).toEqual(['u-a']);
  });
});

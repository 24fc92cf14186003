/**
 * The demo data of API.md, seeded by `npm start` and by the integration and end-to-end tests.
 * The directory goes through the data module's own functions; the cases through the domain
 * functions requests call, so the demo is stored exactly as production data would be, history
 * included.
 */
import { depsFor } from '../lambdas/adapters/deps-for';
import { defaultTable, type TableRef } from '../lambdas/data/client';
import { getOrg, putMembership, putUser } from '../lambdas/data/directory-repo';
import { ingestDirectory } from '../lambdas/domain/access/directory';
import { resolveCaller } from '../lambdas/domain/kernel/caller';
import {
  addUpdate,
  decideEscalation,
  patchCase,
  requestClosure,
  requestEscalation,
  type PatchInput,
} from '../lambdas/domain/cases/case-changes';
import { CURRENT_TERMS } from '../lambdas/domain/kernel/catalogue';
import { createCase } from '../lambdas/domain/cases/cases';
import {
  ingestAlarms,
  ingestIncidents,
  ingestMaintenance,
  type AlarmInput,
  type IncidentInput,
  type MaintenanceInput,
} from '../lambdas/domain/monitoring/monitoring';
import { INGEST_SCOPE, type Caller } from '../lambdas/domain/kernel/policy';
import type { Membership, Org, Severity, User } from '../lambdas/domain/kernel/types';

const HOUR = 3600_000;

const ORGS: Org[] = [
  {
    orgId: 'ORG-ACME',
    name: 'Acme Corp',
    type: 'customer',
    region: 'US',
    timeZone: 'America/New_York',
    gdpr: false,
    fedramp: false,
    alarmMonitoring: true,
    deployments: [
      { productLine: 'Genesys Cloud CX', hosting: 'cloud' },
      { productLine: 'Engage On-Premise', hosting: 'on_premises' },
    ],
  },
  {
    orgId: 'ORG-GLOBEX',
    name: 'Globex GmbH',
    type: 'customer',
    region: 'EU',
    timeZone: 'Europe/Berlin',
    gdpr: true,
    fedramp: false,
    alarmMonitoring: false,
    deployments: [{ productLine: 'Genesys Cloud CX', hosting: 'cloud' }],
  },
  {
    orgId: 'ORG-INITECH',
    name: 'Initech Federal',
    type: 'customer',
    region: 'US',
    timeZone: 'America/Chicago',
    gdpr: false,
    fedramp: true,
    alarmMonitoring: false,
    deployments: [{ productLine: 'Genesys Cloud CX', hosting: 'cloud' }],
  },
  {
    orgId: 'ORG-NORTHWIND',
    name: 'Northwind Partners',
    type: 'partner',
    region: 'US',
    timeZone: 'America/Los_Angeles',
    gdpr: false,
    fedramp: false,
    alarmMonitoring: false,
    deployments: [],
  },
  {
    orgId: 'ORG-UMBRELLA',
    name: 'Umbrella Ltd',
    type: 'customer',
    region: 'EU',
    timeZone: 'Europe/London',
    gdpr: false,
    fedramp: false,
    alarmMonitoring: true,
    managedBy: 'ORG-NORTHWIND',
    deployments: [{ productLine: 'PureConnect On-Premises', hosting: 'on_premises' }],
  },
];

interface DemoUser {
  email: string;
  userId: string;
  name: string;
  role: string;
  timeZone: string;
  staff?: User['staff'];
  acceptedTerms: boolean;
  memberships: Omit<Membership, 'userId'>[];
}

const direct = (orgId: string, level: Membership['level'], approver = false): Omit<Membership, 'userId'> => ({
  orgId,
  soldToOrgId: orgId,
  level,
  via: 'direct',
  ...(approver ? { approver } : {}),
});

const USERS: DemoUser[] = [
  {
    email: 'dana@acme.example',
    userId: 'u-dana',
    name: 'Dana Scott',
    role: 'Designated Contact and Designated Approver of Acme',
    timeZone: 'America/New_York',
    acceptedTerms: true,
    memberships: [direct('ORG-ACME', 'designated', true)],
  },
  {
    email: 'dave@acme.example',
    userId: 'u-dave',
    name: 'Dave Miller',
    role: 'Designated Contact of Acme',
    timeZone: 'America/New_York',
    acceptedTerms: true,
    memberships: [direct('ORG-ACME', 'designated')],
  },
  {
    email: 'tina@acme.example',
    userId: 'u-tina',
    name: 'Tina Brooks',
    role: 'Designated Contact of Acme, has not accepted the Terms',
    timeZone: 'America/New_York',
    acceptedTerms: false,
    memberships: [direct('ORG-ACME', 'designated')],
  },
  {
    email: 'rita@acme.example',
    userId: 'u-rita',
    name: 'Rita Gomez',
    role: 'read-only at Acme',
    timeZone: 'America/New_York',
    acceptedTerms: true,
    memberships: [direct('ORG-ACME', 'read_only')],
  },
  {
    email: 'bob@acme.example',
    userId: 'u-bob',
    name: 'Bob Stone',
    role: 'basic at Acme',
    timeZone: 'America/New_York',
    acceptedTerms: true,
    memberships: [direct('ORG-ACME', 'basic')],
  },
  {
    email: 'greta@globex.example',
    userId: 'u-greta',
    name: 'Greta Vogel',
    role: 'Designated Contact of Globex',
    timeZone: 'Europe/Berlin',
    acceptedTerms: true,
    memberships: [direct('ORG-GLOBEX', 'designated')],
  },
  {
    email: 'fred@initech.example',
    userId: 'u-fred',
    name: 'Fred Lumbergh',
    role: 'Designated Contact of Initech (FedRAMP)',
    timeZone: 'America/Chicago',
    acceptedTerms: true,
    memberships: [direct('ORG-INITECH', 'designated')],
  },
  {
    email: 'paula@northwind.example',
    userId: 'u-paula',
    name: 'Paula Reyes',
    role: "Northwind's Designated Contact for Umbrella and Designated Approver",
    timeZone: 'America/Los_Angeles',
    acceptedTerms: true,
    memberships: [
      { orgId: 'ORG-UMBRELLA', soldToOrgId: 'ORG-NORTHWIND', level: 'designated', via: 'partner', partnerOrgId: 'ORG-NORTHWIND' },
      direct('ORG-NORTHWIND', 'designated', true),
    ],
  },
  {
    email: 'uma@umbrella.example',
    userId: 'u-uma',
    name: 'Uma Thurston',
    role: 'read-only at Umbrella',
    timeZone: 'Europe/London',
    acceptedTerms: true,
    memberships: [{ orgId: 'ORG-UMBRELLA', soldToOrgId: 'ORG-NORTHWIND', level: 'read_only', via: 'direct' }],
  },
  {
    email: 'alice@vendor.example',
    userId: 'u-alice',
    name: 'Alice Chen',
    role: 'analyst, region US, owner of Acme cases',
    timeZone: 'America/New_York',
    acceptedTerms: true,
    staff: { role: 'analyst', region: 'US', supportGroups: ['Cloud CX Support', 'Engage Support'] },
    memberships: [],
  },
  {
    email: 'eric@vendor.example',
    userId: 'u-eric',
    name: 'Eric Janssen',
    role: 'analyst, region EU',
    timeZone: 'Europe/Amsterdam',
    acceptedTerms: true,
    staff: { role: 'analyst', region: 'EU', supportGroups: ['Cloud CX Support', 'PureConnect Support'] },
    memberships: [],
  },
  {
    email: 'mona@vendor.example',
    userId: 'u-mona',
    name: 'Mona Patel',
    role: 'manager, region US',
    timeZone: 'America/New_York',
    acceptedTerms: true,
    staff: { role: 'manager', region: 'US', supportGroups: [] },
    memberships: [],
  },
  {
    email: 'adam@vendor.example',
    userId: 'u-adam',
    name: 'Adam Novak',
    role: 'portal admin (region EU)',
    timeZone: 'Europe/Prague',
    acceptedTerms: true,
    staff: { role: 'admin', region: 'EU', supportGroups: [] },
    memberships: [],
  },
];

export const DEMO_USERS = USERS.map(({ email, userId, name, role }) => ({ email, userId, name, role }));

/**
 * One thing that happens to a demo case, `hoursAgo` before the seed's "now", done by `as`
 * through the same domain function a request would call.
 */
type Step =
  | { hoursAgo: number; as: string; patch: PatchInput }
  | { hoursAgo: number; as: string; update: string; visibility?: 'public' | 'internal' }
  | { hoursAgo: number; as: string; escalate: string }
  | { hoursAgo: number; as: string; decide: boolean; comment: string }
  | { hoursAgo: number; as: string; requestClosure: string };

interface DemoCase {
  orgId: string;
  /** The contact who opens it (a Designated Contact, as a customer opens a case). */
  contact: string;
  subject: string;
  /** As opened: customers open at most `high` (CASE-3); staff raise it later. */
  severity: Exclude<Severity, 'critical'>;
  productLine: string;
  ageHours: number;
  /** In time order, each after `ageHours`. */
  steps: Step[];
}

const triage = (hoursAgo: number, as: string, patch: PatchInput = {}): Step => ({
  hoursAgo,
  as,
  patch: { ownerId: as, status: 'open', ...patch },
});
const note = (
  hoursAgo: number,
  as: string,
  body = 'Checked the logs; looks like a configuration drift after the last upgrade.',
): Step => ({
  hoursAgo,
  as,
  update: body,
  visibility: 'internal',
});
/** Support asks the customer for something and waits on them (CASE-8's clock starts). */
const askCustomer = (hoursAgo: number, as: string, body = 'Could you send us the logs from the affected server?'): Step[] => [
  { hoursAgo, as, update: body },
  { hoursAgo, as, patch: { status: 'awaiting_info' } },
];

const CASES: DemoCase[] = [
  {
    orgId: 'ORG-ACME',
    contact: 'u-dana',
    subject: 'Licence count mismatch',
    severity: 'low',
    productLine: 'Genesys Cloud CX',
    ageHours: 400,
    steps: [
      triage(399, 'u-alice'),
      { hoursAgo: 380, as: 'u-alice', update: 'The licence server was resynchronised; the counts should match now.' },
      { hoursAgo: 380, as: 'u-alice', patch: { status: 'solution_proposed' } },
      { hoursAgo: 370, as: 'u-dana', requestClosure: 'Counts match, thank you.' },
      { hoursAgo: 369, as: 'u-alice', patch: { status: 'closed' } },
    ],
  },
  {
    orgId: 'ORG-INITECH',
    contact: 'u-fred',
    subject: 'Audit log retention question',
    severity: 'low',
    productLine: 'Genesys Cloud CX',
    ageHours: 90,
    // Initech's cases wait in the queue: the manager triages them, nobody owns them yet.
    steps: [
      { hoursAgo: 89, as: 'u-mona', patch: { status: 'open' } },
      ...askCustomer(40, 'u-mona', 'Which retention period does your audit policy require?'),
    ],
  },
  {
    orgId: 'ORG-UMBRELLA',
    contact: 'u-paula',
    subject: 'Voicemail transcription fails',
    severity: 'medium',
    productLine: 'PureConnect On-Premises',
    ageHours: 80,
    steps: [triage(79, 'u-eric'), note(78, 'u-eric'), ...askCustomer(26, 'u-eric')],
  },
  {
    orgId: 'ORG-ACME',
    contact: 'u-dana',
    subject: 'IVR prompts play in the wrong language',
    severity: 'medium',
    productLine: 'Genesys Cloud CX',
    ageHours: 72,
    steps: [triage(71.75, 'u-alice'), note(71.5, 'u-alice'), ...askCustomer(30, 'u-alice')],
  },
  {
    orgId: 'ORG-GLOBEX',
    contact: 'u-greta',
    subject: 'Callback numbers shown unmasked',
    severity: 'medium',
    productLine: 'Genesys Cloud CX',
    ageHours: 60,
    steps: [triage(59.5, 'u-eric'), note(59, 'u-eric'), ...askCustomer(28, 'u-eric', 'Which queues show the numbers unmasked?')],
  },
  {
    orgId: 'ORG-ACME',
    contact: 'u-dave',
    subject: 'Report export times out',
    severity: 'low',
    productLine: 'Genesys Cloud CX',
    ageHours: 48,
    steps: [
      triage(47.5, 'u-alice'),
      note(47, 'u-alice', 'Export runs into the 30 s gateway timeout for ranges over a month.'),
      { hoursAgo: 3, as: 'u-alice', update: 'Please export month by month until the fix ships; that stays under the timeout.' },
      { hoursAgo: 3, as: 'u-alice', patch: { status: 'solution_proposed' } },
    ],
  },
  {
    orgId: 'ORG-UMBRELLA',
    contact: 'u-paula',
    subject: 'Interaction Center service restarts nightly',
    severity: 'high',
    productLine: 'PureConnect On-Premises',
    ageHours: 30,
    steps: [
      triage(29.5, 'u-eric'),
      ...askCustomer(28, 'u-eric', 'Could you send the Windows event log of the last restart?'),
      // CASE-4: the partner's reply hands the case back to support.
      { hoursAgo: 20, as: 'u-paula', update: 'Event log attached to the portal; the restart was at 02:00.' },
      note(19, 'u-eric', 'Watchdog restarts the service after a memory threshold; checking the leak.'),
    ],
  },
  {
    orgId: 'ORG-GLOBEX',
    contact: 'u-greta',
    subject: 'Queue statistics missing for Hamburg site',
    severity: 'high',
    productLine: 'Genesys Cloud CX',
    ageHours: 20,
    steps: [triage(19.5, 'u-eric'), note(19, 'u-eric')],
  },
  {
    orgId: 'ORG-INITECH',
    contact: 'u-fred',
    subject: 'SSO certificate rotation',
    severity: 'high',
    productLine: 'Genesys Cloud CX',
    ageHours: 10,
    steps: [{ hoursAgo: 9.5, as: 'u-mona', patch: { status: 'open' } }],
  },
  {
    orgId: 'ORG-ACME',
    contact: 'u-dana',
    subject: 'Outbound campaigns stopped dialing',
    severity: 'high',
    productLine: 'Genesys Cloud CX',
    ageHours: 5,
    steps: [
      triage(4.75, 'u-alice'),
      // CASE-3: opened as High; dana called and staff raised it, recording a number reachable at all times.
      { hoursAgo: 4.5, as: 'u-alice', patch: { severity: 'critical', contactPhone: '+1 212 555 0100' } },
      note(4.5, 'u-alice', 'Dialer pods crash-looping since the 03:00 deploy.'),
      { hoursAgo: 4, as: 'u-dana', escalate: 'Our whole outbound operation is down.' },
      { hoursAgo: 3.75, as: 'u-alice', decide: true, comment: 'Raised to the duty manager.' },
    ],
  },
  {
    orgId: 'ORG-ACME',
    contact: 'u-dave',
    subject: 'Agents cannot log in to Engage desktop',
    severity: 'high',
    productLine: 'Engage On-Premise',
    ageHours: 2,
    // Still new: assigned to its owner, not yet worked.
    steps: [{ hoursAgo: 1.75, as: 'u-alice', patch: { ownerId: 'u-alice' } }],
  },
];

/**
 * ALARM-1, ALARM-2: what monitoring has sent, `hoursAgo` before the seed's "now". Acme and
 * Umbrella have Remote Alarm Monitoring; Globex a cloud deployment with an incident.
 */
const ALARMS: (Omit<AlarmInput, 'modifiedAt'> & { hoursAgo: number })[] = [
  {
    id: 'ALM-ACME-1001',
    orgId: 'ORG-ACME',
    severity: 'critical',
    server: 'acme-pbx-01',
    appName: 'Engage On-Premise',
    origin: 'SNMP',
    description: 'Trunk group 3 is out of service',
    status: 'active',
    hoursAgo: 0.5,
  },
  {
    id: 'ALM-ACME-1002',
    orgId: 'ORG-ACME',
    severity: 'major',
    server: 'acme-media-02',
    appName: 'Media Server',
    origin: 'Syslog',
    description: 'Disk usage above 90%',
    status: 'active',
    hoursAgo: 3,
  },
  {
    id: 'ALM-ACME-1003',
    orgId: 'ORG-ACME',
    severity: 'minor',
    server: 'acme-pbx-01',
    appName: 'Engage On-Premise',
    origin: 'SNMP',
    description: 'Licence usage above 80%',
    status: 'closed',
    hoursAgo: 26,
  },
  {
    id: 'ALM-UMB-2001',
    orgId: 'ORG-UMBRELLA',
    severity: 'critical',
    server: 'umb-ic-01',
    appName: 'PureConnect Server',
    origin: 'Interaction Center',
    description: 'Switched over to the backup server',
    status: 'active',
    hoursAgo: 1,
  },
  {
    id: 'ALM-UMB-2002',
    orgId: 'ORG-UMBRELLA',
    severity: 'minor',
    server: 'umb-ic-02',
    appName: 'PureConnect Server',
    origin: 'Windows Event Log',
    description: 'Certificate expires in 30 days',
    status: 'closed',
    hoursAgo: 10,
  },
];

const INCIDENTS: (Omit<IncidentInput, 'modifiedAt'> & { hoursAgo: number })[] = [
  {
    id: 'INC-GC-501',
    orgId: 'ORG-GLOBEX',
    title: 'Degraded call recording playback in EU regions',
    status: 'monitoring',
    productLine: 'Genesys Cloud CX',
    hoursAgo: 2,
  },
];

const MAINTENANCE: (Omit<MaintenanceInput, 'modifiedAt' | 'window'> & { hoursAgo: number; startsInHours: number })[] = [
  {
    id: 'MNT-GC-2026-12',
    orgIds: ['ORG-ACME', 'ORG-GLOBEX', 'ORG-INITECH'],
    title: 'Genesys Cloud CX platform upgrade',
    status: 'scheduled',
    hoursAgo: 20,
    startsInHours: 96,
  },
];

const allStored = (what: string, report: { received: number; stored: number; results: unknown[] }): void => {
  if (report.stored !== report.received) throw new Error(`Demo ${what} not stored: ${JSON.stringify(report.results)}`);
};

/** Seeding notifies nobody: the demo's mail store starts empty, as after a fresh deploy. */
const noMail = { send: async () => {} };

export const seedDemo = async (options: { now?: Date; ref?: TableRef } = {}): Promise<{ seeded: boolean }> => {
  const now = options.now ?? new Date();
  const ref = options.ref ?? defaultTable();
  // --persist keeps earlier data: seed once.
  if (await getOrg(ref, 'ORG-ACME')) return { seeded: false };

  // Organisations, combinations and contracts as the CRM sends them (POST /ingest/directory);
  // people and their levels are an operator's to write (README, Known limits).
  const depsNow = depsFor(ref, { clock: { now: () => now }, mailer: noMail });
  const crm = await resolveCaller(depsNow, { sub: 'demo-crm', client: 'machine', scopes: [INGEST_SCOPE] });
  const pairs = new Map<string, { endUserOrgId: string; soldToOrgId: string }>();
  for (const u of USERS)
    for (const m of u.memberships)
      pairs.set(`${m.orgId}|${m.soldToOrgId}`, { endUserOrgId: m.orgId, soldToOrgId: m.soldToOrgId });
  const modifiedAt = now.toISOString();
  const listed = <T>(values: T[], idOf: (v: T) => string) => values.map((value, index) => ({ index, id: idOf(value), value }));
  allStored(
    'directory',
    await ingestDirectory(depsNow, crm!, {
      organisations: listed(
        ORGS.map((o) => ({ ...o, modifiedAt })),
        (o) => o.orgId,
      ),
      combinations: listed(
        [...pairs.values()].map((c) => ({ ...c, modifiedAt })),
        (c) => `${c.endUserOrgId}/${c.soldToOrgId}`,
      ),
      contracts: listed(
        [...pairs.values()].map((c) => ({
          ...c,
          contractId: `CT-${c.endUserOrgId}-${c.soldToOrgId}`,
          status: 'active' as const,
          modifiedAt,
        })),
        (c) => c.contractId,
      ),
    }),
  );
  for (const u of USERS) {
    await putUser(ref, {
      userId: u.userId,
      email: u.email,
      name: u.name,
      timeZone: u.timeZone,
      ...(u.staff ? { staff: u.staff } : {}),
      ...(u.acceptedTerms ? { termsVersion: CURRENT_TERMS.version } : {}),
      settings: { defaultList: 'all', notifications: {} },
    });
    for (const m of u.memberships) await putMembership(ref, { ...m, userId: u.userId });
  }

  // Cases go through the domain functions a request calls, acting as the demo people at the
  // times below, so every seeded case has the updates and audit events (CASE-9) real ones have.
  // Each step gets ports whose clock reads the step's time.
  const depsAt = (hoursAgo: number) =>
    depsFor(ref, { clock: { now: () => new Date(now.getTime() - hoursAgo * HOUR) }, mailer: noMail });
  const callers = new Map<string, Caller>();
  await Promise.all(
    USERS.map(async (u) => {
      const caller = await resolveCaller(depsAt(0), { sub: u.userId, client: 'web', scopes: [] });
      if (!caller) throw new Error(`Demo user ${u.userId} was not written`);
      callers.set(u.userId, caller);
    }),
  );
  const as = (userId: string): Caller => callers.get(userId)!;
  const userById = new Map(USERS.map((u) => [u.userId, u]));

  // Opened one after another, oldest first, so that case numbers rise with creation time as in
  // production; then each case's own history, the cases side by side.
  const opened: { d: DemoCase; caseNumber: string }[] = [];
  for (const d of [...CASES].sort((a, b) => b.ageHours - a.ageHours)) {
    const contact = userById.get(d.contact)!;
    const created = await createCase(depsAt(d.ageHours), as(d.contact), {
      kind: 'support',
      subject: d.subject,
      description: `${d.subject}. Reported by ${contact.name} (${contact.email}).`,
      severity: d.severity,
      orgId: d.orgId,
      productLine: d.productLine,
    });
    opened.push({ d, caseNumber: created.body.caseNumber });
  }
  await Promise.all(
    opened.map(async ({ d, caseNumber: n }) => {
      for (const s of d.steps) {
        const deps = depsAt(s.hoursAgo);
        const caller = as(s.as);
        if ('patch' in s) await patchCase(deps, caller, n, s.patch);
        else if ('update' in s) await addUpdate(deps, caller, n, { body: s.update, visibility: s.visibility ?? 'public' });
        else if ('escalate' in s) await requestEscalation(deps, caller, n, s.escalate);
        else if ('decide' in s) await decideEscalation(deps, caller, n, s.decide, s.comment);
        else await requestClosure(deps, caller, n, s.requestClosure);
      }
    }),
  );

  // What monitoring sent, through the same domain functions POST /ingest/* calls.
  const iso = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * HOUR).toISOString();
  const monitor = await resolveCaller(depsAt(0), { sub: 'demo-monitoring', client: 'machine', scopes: [INGEST_SCOPE] });
  const entries = <T extends { id: string }>(values: T[]) => values.map((value, index) => ({ index, id: value.id, value }));
  allStored(
    'alarms',
    await ingestAlarms(depsAt(0), monitor!, entries(ALARMS.map(({ hoursAgo, ...a }) => ({ ...a, modifiedAt: iso(hoursAgo) })))),
  );
  allStored(
    'incidents',
    await ingestIncidents(
      depsAt(0),
      monitor!,
      entries(INCIDENTS.map(({ hoursAgo, ...i }) => ({ ...i, modifiedAt: iso(hoursAgo) }))),
    ),
  );
  allStored(
    'maintenance',
    await ingestMaintenance(
      depsAt(0),
      monitor!,
      entries(
        MAINTENANCE.map(({ hoursAgo, startsInHours, ...m }) => ({
          ...m,
          modifiedAt: iso(hoursAgo),
          window: { start: iso(-startsInHours), end: iso(-startsInHours - 4) },
        })),
      ),
    ),
  );
  return { seeded: true };
};

/**
 * The demo data of API.md, seeded by `npm start` and by the end-to-end tests. It goes through the
 * data module's own functions, so the demo is stored exactly as production data would be.
 */
import { caseRepo } from '../../lambdas/data/case-repo';
import { defaultTable, type TableRef } from '../../lambdas/data/client';
import { getOrg, putCombination, putMembership, putOrg, putUser } from '../../lambdas/data/directory-repo';
import { systemIds } from '../../lambdas/adapters/ids';
import { CURRENT_TERMS, productLine } from '../../lambdas/domain/catalogue';
import { formatCaseNumber } from '../../lambdas/domain/cases';
import type { Case, CaseUpdate, Membership, Org, Severity, Status, User } from '../../lambdas/domain/types';

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

interface DemoCase {
  orgId: string;
  contact: string;
  subject: string;
  severity: Severity;
  status: Status;
  productLine: string;
  ageHours: number;
  /** Hours since support began waiting on the customer. */
  waitingHours?: number;
  owner?: string;
  phone?: string;
}

const CASES: DemoCase[] = [
  {
    orgId: 'ORG-ACME',
    contact: 'u-dana',
    subject: 'Outbound campaigns stopped dialing',
    severity: 'critical',
    status: 'open',
    productLine: 'Genesys Cloud CX',
    ageHours: 5,
    owner: 'u-alice',
    phone: '+1 212 555 0100',
  },
  {
    orgId: 'ORG-ACME',
    contact: 'u-dave',
    subject: 'Agents cannot log in to Engage desktop',
    severity: 'high',
    status: 'new',
    productLine: 'Engage On-Premise',
    ageHours: 2,
    owner: 'u-alice',
  },
  {
    orgId: 'ORG-ACME',
    contact: 'u-dana',
    subject: 'IVR prompts play in the wrong language',
    severity: 'medium',
    status: 'awaiting_info',
    productLine: 'Genesys Cloud CX',
    ageHours: 72,
    waitingHours: 30,
    owner: 'u-alice',
  },
  {
    orgId: 'ORG-ACME',
    contact: 'u-dave',
    subject: 'Report export times out',
    severity: 'low',
    status: 'solution_proposed',
    productLine: 'Genesys Cloud CX',
    ageHours: 48,
    waitingHours: 3,
    owner: 'u-alice',
  },
  {
    orgId: 'ORG-ACME',
    contact: 'u-dana',
    subject: 'Licence count mismatch',
    severity: 'low',
    status: 'closed',
    productLine: 'Genesys Cloud CX',
    ageHours: 400,
    owner: 'u-alice',
  },
  {
    orgId: 'ORG-GLOBEX',
    contact: 'u-greta',
    subject: 'Queue statistics missing for Hamburg site',
    severity: 'high',
    status: 'open',
    productLine: 'Genesys Cloud CX',
    ageHours: 20,
    owner: 'u-eric',
  },
  {
    orgId: 'ORG-GLOBEX',
    contact: 'u-greta',
    subject: 'Callback numbers shown unmasked',
    severity: 'medium',
    status: 'awaiting_info',
    productLine: 'Genesys Cloud CX',
    ageHours: 60,
    waitingHours: 28,
    owner: 'u-eric',
  },
  {
    orgId: 'ORG-INITECH',
    contact: 'u-fred',
    subject: 'SSO certificate rotation',
    severity: 'high',
    status: 'open',
    productLine: 'Genesys Cloud CX',
    ageHours: 10,
  },
  {
    orgId: 'ORG-INITECH',
    contact: 'u-fred',
    subject: 'Audit log retention question',
    severity: 'low',
    status: 'awaiting_info',
    productLine: 'Genesys Cloud CX',
    ageHours: 90,
    waitingHours: 40,
  },
  {
    orgId: 'ORG-UMBRELLA',
    contact: 'u-paula',
    subject: 'Interaction Center service restarts nightly',
    severity: 'high',
    status: 'open',
    productLine: 'PureConnect On-Premises',
    ageHours: 30,
    owner: 'u-eric',
  },
  {
    orgId: 'ORG-UMBRELLA',
    contact: 'u-paula',
    subject: 'Voicemail transcription fails',
    severity: 'medium',
    status: 'awaiting_info',
    productLine: 'PureConnect On-Premises',
    ageHours: 80,
    waitingHours: 26,
    owner: 'u-eric',
  },
];

const iso = (now: Date, hoursAgo: number) => new Date(now.getTime() - hoursAgo * HOUR).toISOString();

export const seedDemo = async (options: { now?: Date; ref?: TableRef } = {}): Promise<{ seeded: boolean }> => {
  const now = options.now ?? new Date();
  const ref = options.ref ?? defaultTable();
  // --persist keeps earlier data: seed once.
  if (await getOrg(ref, 'ORG-ACME')) return { seeded: false };

  for (const org of ORGS) await putOrg(ref, org);
  const combinations = new Map<string, { endUserOrgId: string; soldToOrgId: string }>();
  for (const u of USERS)
    for (const m of u.memberships)
      combinations.set(`${m.orgId}|${m.soldToOrgId}`, { endUserOrgId: m.orgId, soldToOrgId: m.soldToOrgId });
  for (const c of combinations.values()) {
    await putCombination(ref, { ...c, contracts: [{ contractId: `CT-${c.endUserOrgId}-${c.soldToOrgId}`, status: 'active' }] });
  }
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

  const repo = caseRepo(ref);
  const userById = new Map(USERS.map((u) => [u.userId, u]));
  const orgById = new Map(ORGS.map((o) => [o.orgId, o]));
  for (const d of CASES) {
    const contact = userById.get(d.contact)!;
    const org = orgById.get(d.orgId)!;
    const membership = contact.memberships.find((m) => m.orgId === d.orgId)!;
    const createdAt = iso(now, d.ageHours);
    const c: Case = {
      caseNumber: formatCaseNumber(await repo.nextCaseNumber()),
      referenceId: systemIds.referenceId(),
      kind: 'support',
      subject: d.subject,
      description: `${d.subject}. Reported by ${contact.name} (${contact.email}).`,
      severity: d.severity,
      status: d.status,
      orgId: d.orgId,
      soldToOrgId: membership.soldToOrgId,
      orgName: org.name,
      productLine: d.productLine,
      supportGroup: productLine(d.productLine)!.supportGroup,
      ...(d.owner ? { ownerId: d.owner } : {}),
      contactId: contact.userId,
      contactName: contact.name,
      contactEmail: contact.email,
      ...(d.phone ? { contactPhone: d.phone } : {}),
      createdAt,
      updatedAt: createdAt,
      version: 1,
      needsAction: false,
      ...(d.waitingHours !== undefined ? { waitingSince: iso(now, d.waitingHours) } : {}),
    };
    await repo.createCase(c);
    const owner = d.owner ? userById.get(d.owner) : undefined;
    if (!owner) continue;
    const updates: Omit<CaseUpdate, 'caseNumber' | 'updateId'>[] = [
      {
        authorId: owner.userId,
        authorName: owner.name,
        authorKind: 'staff',
        channel: 'portal',
        visibility: 'internal',
        body: 'Checked the logs; looks like a configuration drift after the last upgrade.',
        attachments: [],
        createdAt: iso(now, d.ageHours - 0.5),
      },
      {
        authorId: owner.userId,
        authorName: owner.name,
        authorKind: 'staff',
        channel: 'email',
        visibility: 'public',
        subject: `Re: ${d.subject}`,
        body: 'Could you send us the logs from the affected server?',
        attachments: [],
        createdAt: iso(now, d.waitingHours ?? d.ageHours - 1),
      },
    ];
    let current = c;
    for (const u of updates) {
      const touched = await repo.appendUpdate({ ...u, caseNumber: c.caseNumber, updateId: systemIds.next() }, current);
      current = touched ?? current;
    }
  }
  return { seeded: true };
};

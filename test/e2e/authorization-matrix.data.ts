/**
 * The authorization matrix, as data: for every route of the route table, the answer each persona
 * gets. Routes that address a case list four cells, one per target (a fresh case of each
 * organisation for that route):
 *   acme     — the own organisation of Acme's people (a direct customer, US)
 *   globex   — another direct customer (EU/EEA: GDPR, PRIV-1)
 *   initech  — a FedRAMP customer (PRIV-2)
 *   umbrella — an end user managed by the partner Northwind (ACC-7)
 * POST /cases addresses the same four organisations through its orgId.
 *
 * A cell is `status` or `status:problem`, where `problem` is the problem type after `/problems/`.
 * Without one, 400 means `validation`, 401 `unauthorized`, 403 `forbidden` and 404 `not-found`; a
 * 409 always names its problem. Within a route the personas run in the order below, against the
 * same targets: the first Designated Contact to escalate a case gets 201, the next one 409
 * `escalation-pending` (which shows it passed authorization). The expectations come from
 * PRODUCT.md, API.md and the README's choices; a route missing here fails the suite.
 */
import type { Combination, Membership } from '../../lambdas/domain/kernel/types';

/**
 * Personas beyond API.md's demo users, written into the directory by the test's setup (they are
 * not demo data). Their contracts and levels are what the matrix is about:
 * - mixed: designated at Acme, read-only at Globex (ACC-2 levels are per combination);
 * - lapsed: designated at Acme through a combination (Acme sold by Northwind) whose only contract
 *   is terminated, and nothing else: ACC-4, every contract terminated, falls to read-only;
 * - partial: the same terminated Acme combination, and designated at Globex on an active one.
 *   ACC-4 read per combination: designated on Globex, read-only on Acme. (A policy that keeps
 *   designated everywhere while any one contract is active fails partial's Acme cells.)
 */
export const EXTRA_PERSONAS: Record<
  'mixed' | 'lapsed' | 'partial',
  { userId: string; email: string; name: string; memberships: Omit<Membership, 'userId'>[] }
> = {
  mixed: {
    userId: 'u-matrix-mixed',
    email: 'max.mixed@acme.example',
    name: 'Max Mixed',
    memberships: [
      { orgId: 'ORG-ACME', soldToOrgId: 'ORG-ACME', level: 'designated', via: 'direct' },
      { orgId: 'ORG-GLOBEX', soldToOrgId: 'ORG-GLOBEX', level: 'read_only', via: 'direct' },
    ],
  },
  lapsed: {
    userId: 'u-matrix-lapsed',
    email: 'lara.lapsed@acme.example',
    name: 'Lara Lapsed',
    memberships: [{ orgId: 'ORG-ACME', soldToOrgId: 'ORG-NORTHWIND', level: 'designated', via: 'direct' }],
  },
  partial: {
    userId: 'u-matrix-partial',
    email: 'pia.partial@acme.example',
    name: 'Pia Partial',
    memberships: [
      { orgId: 'ORG-ACME', soldToOrgId: 'ORG-NORTHWIND', level: 'designated', via: 'direct' },
      { orgId: 'ORG-GLOBEX', soldToOrgId: 'ORG-GLOBEX', level: 'designated', via: 'direct' },
    ],
  },
};

/** The combination only the extra personas hold: Acme sold through Northwind, its contract ended. */
export const EXTRA_COMBINATIONS: Combination[] = [
  {
    endUserOrgId: 'ORG-ACME',
    soldToOrgId: 'ORG-NORTHWIND',
    contracts: [{ contractId: 'CT-ACME-NORTHWIND-2019', status: 'terminated' }],
  },
];

/** The effective level `GET /me` must show for each extra persona's memberships (ACC-2, ACC-4). */
export const EXTRA_LEVELS: Record<keyof typeof EXTRA_PERSONAS, Record<string, string>> = {
  mixed: { 'ORG-ACME': 'designated', 'ORG-GLOBEX': 'read_only' },
  lapsed: { 'ORG-ACME': 'read_only' },
  partial: { 'ORG-ACME': 'read_only', 'ORG-GLOBEX': 'designated' },
};

export const PERSONAS = {
  anon: { email: undefined },
  machine: { email: undefined },
  dana: { email: 'dana@acme.example' },
  dave: { email: 'dave@acme.example' },
  tina: { email: 'tina@acme.example' },
  rita: { email: 'rita@acme.example' },
  bob: { email: 'bob@acme.example' },
  greta: { email: 'greta@globex.example' },
  fred: { email: 'fred@initech.example' },
  fredMobile: { email: 'fred@initech.example', client: 'mobile' as const },
  paula: { email: 'paula@northwind.example' },
  uma: { email: 'uma@umbrella.example' },
  alice: { email: 'alice@vendor.example' },
  eric: { email: 'eric@vendor.example' },
  mona: { email: 'mona@vendor.example' },
  adam: { email: 'adam@vendor.example' },
  // Staff on the mobile app. PRIV-2 holds for the mobile app whoever uses it:
  // a FedRAMP organisation (Initech) and its cases do not exist for them (404, PRIV-3); everything
  // else is as for the same person on the web (ACC-8 roles, PRIV-1 regions).
  aliceMobile: { email: 'alice@vendor.example', client: 'mobile' as const },
  adamMobile: { email: 'adam@vendor.example', client: 'mobile' as const },
  mixed: { email: EXTRA_PERSONAS.mixed.email },
  lapsed: { email: EXTRA_PERSONAS.lapsed.email },
  partial: { email: EXTRA_PERSONAS.partial.email },
} as const;

export type Persona = keyof typeof PERSONAS;
export const TARGETS = ['acme', 'globex', 'initech', 'umbrella'] as const;
export type Target = (typeof TARGETS)[number];
/** One cell for routes without a target, four (in TARGETS order) for routes with one. */
export type Row = Record<Persona, string>;

const everyone = (cell: string): Row => Object.fromEntries(Object.keys(PERSONAS).map((p) => [p, cell])) as Row;
const times = (cell: string, n: number) => Array(n).fill(cell).join(' ');

/**
 * Signed-in routes: without a token 401; a machine client on a user route 403; tina, who has not
 * accepted the Terms, 403 `terms-not-accepted` on case data (ACC-9). One cell per target, as `cell`.
 */
const signedIn = (cell: string, caseData = false): Row => {
  const n = cell.split(' ').length;
  return {
    ...everyone(cell),
    anon: times('401', n),
    machine: times('403', n),
    ...(caseData ? { tina: times('403:terms-not-accepted', n) } : {}),
  };
};

/** Case lists: everyone who reads cases (ACC-2: read-only and up; staff, ACC-8); basic bob is refused. */
const readers = (): Row => ({ ...signedIn('200', true), bob: '403' });

/** Case reads: own organisation 200, anything else 404 (PRIV-3); staff see all. */
const caseRead: Row = {
  ...signedIn('404 404 404 404', true),
  bob: '403 403 403 403',
  dana: '200 404 404 404',
  dave: '200 404 404 404',
  rita: '200 404 404 404',
  greta: '404 200 404 404',
  fred: '404 404 200 404',
  fredMobile: '404 404 404 404',
  paula: '404 404 404 200',
  uma: '404 404 404 200',
  alice: '200 200 200 200',
  eric: '200 200 200 200',
  mona: '200 200 200 200',
  adam: '200 200 200 200',
  aliceMobile: '200 200 404 200',
  adamMobile: '200 200 404 200',
  mixed: '200 200 404 404',
  lapsed: '200 404 404 404',
  partial: '200 200 404 404',
};

/** CASE-6: customers never see internal updates (404 as for none, PRIV-3); staff do. */
export const INTERNAL_UPDATE: Row = {
  ...caseRead,
  dana: '404 404 404 404',
  dave: '404 404 404 404',
  rita: '404 404 404 404',
  greta: '404 404 404 404',
  fred: '404 404 404 404',
  paula: '404 404 404 404',
  uma: '404 404 404 404',
  mixed: '404 404 404 404',
  lapsed: '404 404 404 404',
  partial: '404 404 404 404',
};

/**
 * Designated-only actions (CASE-7) on fresh cases: people who are read-only everywhere are
 * refused at the door (403 on every target); designated people are refused on a case they only
 * read (403) and do not see (404); staff get 403 (it is the customer's to ask). `first` is the
 * answer of the first Designated Contact on a case, `again` that of the next one.
 */
const designatedAction = (first: string, again: string): Row => ({
  ...caseRead,
  rita: '403 403 403 403',
  uma: '403 403 403 403',
  lapsed: '403 403 403 403',
  dana: `${first} 404 404 404`,
  dave: `${again} 404 404 404`,
  greta: `404 ${first} 404 404`,
  fred: `404 404 ${first} 404`,
  paula: `404 404 404 ${first}`,
  alice: '403 403 403 403',
  eric: '403 403 403 403',
  mona: '403 403 403 403',
  adam: '403 403 403 403',
  // The customer's to ask (403), but from the phone Initech's case does not exist for them
  // (PRIV-2, and API.md: 404 for what the caller may not see, 403 for what they see but may not change).
  aliceMobile: '403 403 404 403',
  adamMobile: '403 403 404 403',
  mixed: `${again} 403 404 404`,
  partial: `403 ${again} 404 404`,
});

/** Staff-only actions: customers 403 at the door (tina too: the permission comes before the Terms); US staff 403 on EU cases (PRIV-1). */
const staffOnly = (cells: Partial<Row>): Row => ({ ...signedIn('403 403 403 403'), ...cells });

export const MATRIX: Record<string, Row> = {
  'GET /health': everyone('200'),
  'GET /openapi.json': everyone('200'),
  'GET /terms': everyone('200'),
  // A stale version: proves the caller got past authorization without accepting anything.
  'POST /me/terms': signedIn('400'),
  'GET /me': signedIn('200'),
  'PATCH /me/settings': signedIn('200'),
  'GET /cases': readers(),
  'GET /search': readers(),
  'POST /cases': {
    ...signedIn('403 403 403 403', true),
    rita: '403 403 403 403',
    bob: '403 403 403 403',
    uma: '403 403 403 403',
    lapsed: '403 403 403 403',
    dana: '201 400 400 400',
    dave: '201 400 400 400',
    greta: '400 201 400 400',
    fred: '400 400 201 400',
    fredMobile: '400 400 400 400',
    paula: '400 400 400 201',
    alice: '201 403 201 201',
    mona: '201 403 201 201',
    eric: '201 201 201 201',
    adam: '201 201 201 201',
    // PRIV-2: from the phone, Initech is no organisation a case can be opened for (as for fredMobile).
    aliceMobile: '201 403 400 201',
    adamMobile: '201 201 400 201',
    mixed: '201 400 400 400',
    partial: '400 201 400 400',
  },
  'GET /cases/{caseNumber}': caseRead,
  'GET /cases/{caseNumber}/updates': caseRead,
  'GET /cases/{caseNumber}/updates/{updateId}': caseRead,
  'GET /cases/{caseNumber}/history': caseRead,
  // Staff see each mail of a case and its delivery; customers are refused at the door
  // (the permission comes before the Terms). US staff read EU/EEA cases' rows restricted (PRIV-1:
  // no recipient), as they read the history.
  'GET /cases/{caseNumber}/mail': staffOnly({
    alice: '200 200 200 200',
    eric: '200 200 200 200',
    mona: '200 200 200 200',
    adam: '200 200 200 200',
    // PRIV-2, PRIV-3: from the phone, Initech (FedRAMP) is not there; the rest as on the web.
    aliceMobile: '200 200 404 200',
    adamMobile: '200 200 404 200',
  }),
  'POST /cases/{caseNumber}/updates': {
    ...caseRead,
    rita: '403 403 403 403',
    uma: '403 403 403 403',
    lapsed: '403 403 403 403',
    dana: '201 404 404 404',
    dave: '201 404 404 404',
    greta: '404 201 404 404',
    fred: '404 404 201 404',
    paula: '404 404 404 201',
    alice: '201 403 201 201',
    mona: '201 403 201 201',
    eric: '201 201 201 201',
    adam: '201 201 201 201',
    aliceMobile: '201 403 404 201',
    adamMobile: '201 201 404 201',
    mixed: '201 403 404 404',
    partial: '403 201 404 404',
  },
  // MAIL-2, CASE-6: attaching a file is writing to the case, as posting an update is (US staff on
  // an EU/EEA case: 403, PRIV-1); reading files is reading the case. A restricted reader's
  // download carries no link (checked on the body).
  'POST /cases/{caseNumber}/attachments': {
    ...caseRead,
    rita: '403 403 403 403',
    uma: '403 403 403 403',
    lapsed: '403 403 403 403',
    dana: '201 404 404 404',
    dave: '201 404 404 404',
    greta: '404 201 404 404',
    fred: '404 404 201 404',
    paula: '404 404 404 201',
    alice: '201 403 201 201',
    mona: '201 403 201 201',
    eric: '201 201 201 201',
    adam: '201 201 201 201',
    aliceMobile: '201 403 404 201',
    adamMobile: '201 201 404 201',
    mixed: '201 403 404 404',
    partial: '403 201 404 404',
  },
  'GET /cases/{caseNumber}/attachments': caseRead,
  'GET /cases/{caseNumber}/attachments/{attachmentId}': caseRead,
  'PATCH /cases/{caseNumber}': staffOnly({
    alice: '200 403 200 200',
    mona: '200 403 200 200',
    eric: '200 200 200 200',
    adam: '200 200 200 200',
    aliceMobile: '200 403 404 200',
    adamMobile: '200 200 404 200',
  }),
  // CASE-7: one pending escalation at a time (README: 409 otherwise).
  'POST /cases/{caseNumber}/escalation': designatedAction('201', '409:escalation-pending'),
  // Each target has a pending escalation: the first staff member to decide settles it.
  'POST /cases/{caseNumber}/escalation/decision': staffOnly({
    alice: '200 403 200 200',
    eric: '409:no-escalation-pending 200 409:no-escalation-pending 409:no-escalation-pending',
    mona: '409:no-escalation-pending 403 409:no-escalation-pending 409:no-escalation-pending',
    adam: times('409:no-escalation-pending', 4),
    aliceMobile: '409:no-escalation-pending 403 404 409:no-escalation-pending',
    adamMobile: '409:no-escalation-pending 409:no-escalation-pending 404 409:no-escalation-pending',
  }),
  'POST /cases/{caseNumber}/closure-request': designatedAction('201', '409:closure-pending'),
  // CASE-7: each target has a pending closure request: the first staff member to decide
  // (a decline) settles it; the next finds none pending. US staff may not decide EU cases (PRIV-1).
  'POST /cases/{caseNumber}/closure-request/decision': staffOnly({
    alice: '200 403 200 200',
    eric: '409:no-closure-pending 200 409:no-closure-pending 409:no-closure-pending',
    mona: '409:no-closure-pending 403 409:no-closure-pending 409:no-closure-pending',
    adam: times('409:no-closure-pending', 4),
    aliceMobile: '409:no-closure-pending 403 404 409:no-closure-pending',
    adamMobile: '409:no-closure-pending 409:no-closure-pending 404 409:no-closure-pending',
  }),
  // Each target is closed: the first Designated Contact reopens it (README: 200); the next is told
  // the case is already open (409 not-closed, not a transition error).
  'POST /cases/{caseNumber}/reopen': designatedAction('200', '409:not-closed'),
  // Rita's level set to what it is: proves access without changing anyone's.
  'PUT /admin/orgs/{orgId}/members/{userId}': { ...signedIn('403'), adam: '200', adamMobile: '200' },
  // ACC-4: Acme's contract set to the status it has (active): proves access without changing anyone's level.
  'PUT /admin/contracts/{contractId}': { ...signedIn('403'), adam: '200', adamMobile: '200' },
  // The body is checked too: Initech (one Designated Contact) is listed on the web, never on the phone (PRIV-2).
  'GET /admin/orgs/shortfall': {
    ...signedIn('403'),
    alice: '200',
    eric: '200',
    mona: '200',
    adam: '200',
    aliceMobile: '200',
    adamMobile: '200',
  },
  // MAIL-4: the outcome of every inbound message is for staff only.
  'GET /admin/inbound-mail': {
    ...signedIn('403'),
    alice: '200',
    eric: '200',
    mona: '200',
    adam: '200',
    aliceMobile: '200',
    adamMobile: '200',
  },
  // MAIL-4: releasing held mail is staff's; a message that is not held does not exist for it.
  'POST /admin/inbound-mail/{id}/release': {
    ...signedIn('403'),
    alice: '404',
    eric: '404',
    mona: '404',
    adam: '404',
    aliceMobile: '404',
    adamMobile: '404',
  },
};

/**
 * Accounts, subscriptions and favorites (NOTE-2, LIST-5). Untargeted routes address ORG-ACME
 * (favorites: `account/ORG-ACME`). Subscriptions are the Designated Contacts' (ACC-2): read-only
 * people and staff are refused with 403 once they may see the subject, 404 before (PRIV-3).
 * Removing one's own favorite reads nothing of its subject: every signed-in user may.
 */
const NOTIFY_MATRIX: Record<string, Row> = {
  'GET /accounts': signedIn('200'),
  'GET /accounts/{orgId}': {
    ...signedIn('404'),
    dana: '200',
    dave: '200',
    tina: '200',
    rita: '200',
    bob: '200',
    alice: '200',
    eric: '200',
    mona: '200',
    adam: '200',
    aliceMobile: '200',
    adamMobile: '200',
    mixed: '200',
    lapsed: '200',
    partial: '200',
  },
  'PUT /accounts/{orgId}/subscription': {
    ...signedIn('404'),
    tina: '403:terms-not-accepted',
    rita: '403',
    bob: '403',
    uma: '403',
    dana: '200',
    dave: '200',
    // ACC-4: designated only where the membership's own combination has an active contract.
    mixed: '200',
    lapsed: '403',
    partial: '403',
    alice: '403',
    eric: '403',
    mona: '403',
    adam: '403',
    aliceMobile: '403',
    adamMobile: '403',
  },
  // Idempotent: on and off again answer the same (NOTE-2).
  'PUT /cases/{caseNumber}/subscription': designatedAction('200', '200'),
  'DELETE /cases/{caseNumber}/subscription': designatedAction('204', '204'),
  // Reading one's subscription is the Designated Contacts' too (API.md), and changes nothing.
  'GET /cases/{caseNumber}/subscription': designatedAction('200', '200'),
  'GET /favorites': { ...signedIn('200'), tina: '403:terms-not-accepted' },
  'PUT /favorites/{kind}/{id}': {
    ...signedIn('404'),
    tina: '403:terms-not-accepted',
    // Each persona favorites the account once: new, so 201 (LIST-5).
    dana: '201',
    dave: '201',
    rita: '201',
    bob: '201',
    alice: '201',
    eric: '201',
    mona: '201',
    adam: '201',
    // The same people as alice and adam, who favorited ORG-ACME from the web just before: no new favorite.
    aliceMobile: '200',
    adamMobile: '200',
    mixed: '201',
    lapsed: '201',
    partial: '201',
  },
  'DELETE /favorites/{kind}/{id}': signedIn('204'),
  // NOTE-3: everyone's own inbox; it is case data (ACC-9).
  'GET /notifications': signedIn('200', true),
  // NOTE-1: anyone signed in registers their own device; the Terms gate case data, not devices.
  'POST /devices': signedIn('201'),
  // Owner only: a device that is not the caller's answers as one that does not exist (PRIV-3).
  'DELETE /devices/{deviceId}': signedIn('404'),
  // Everyone lists their own devices (none is case data).
  'GET /devices': signedIn('200'),
};
Object.assign(MATRIX, NOTIFY_MATRIX);

/**
 * Alarms, cloud incidents and maintenance alerts (ALARM-1, ALARM-2). The alarm list addresses
 * ORG-ACME (Remote Alarm Monitoring): its members at any level and staff read it, as they read
 * the organisation itself; anyone else gets 404 (PRIV-3). Ingestion is the machine client's
 * (scope casework/ingest): a user's token lacks the scope, so the gateway answers 403.
 */
const ingest: Row = { ...everyone('403'), anon: '401', machine: '200' };
const MONITORING_MATRIX: Record<string, Row> = {
  'GET /accounts/{orgId}/alarms': {
    ...signedIn('404'),
    dana: '200',
    dave: '200',
    tina: '200',
    rita: '200',
    bob: '200',
    alice: '200',
    eric: '200',
    mona: '200',
    adam: '200',
    aliceMobile: '200',
    adamMobile: '200',
    mixed: '200',
    lapsed: '200',
    partial: '200',
  },
  // Incidents and maintenance alerts are read as alarms are (ORG-ACME has a cloud deployment).
  'GET /accounts/{orgId}/incidents': {
    ...signedIn('404'),
    dana: '200',
    dave: '200',
    tina: '200',
    rita: '200',
    bob: '200',
    alice: '200',
    eric: '200',
    mona: '200',
    adam: '200',
    aliceMobile: '200',
    adamMobile: '200',
    mixed: '200',
    lapsed: '200',
    partial: '200',
  },
  'POST /ingest/alarms': ingest,
  'POST /ingest/incidents': ingest,
  'POST /ingest/maintenance': ingest,
  // ACC-1, ACC-4: the CRM's directory; the entry sent is older than the stored one, so nothing changes.
  'POST /ingest/directory': ingest,
};
MONITORING_MATRIX['GET /accounts/{orgId}/maintenance'] = MONITORING_MATRIX['GET /accounts/{orgId}/incidents'];
Object.assign(MATRIX, MONITORING_MATRIX);

/**
 * Access requests (ACC-6). Asking needs no account: every persona, token or not, gets 201 (each
 * for an address of its own). Confirming a request with its right code answers 200 once (the
 * first persona, anon); after that every confirmation, right code or not, is 409 (no
 * oracle, no full request). Approvers (dana of Acme, paula of Northwind) and the portal
 * admin list; the request decided is Acme's: dana decides it first (200), paula does not see it
 * (404, PRIV-3), and adam then finds it decided (409).
 */
const ACCESS_MATRIX: Record<string, Row> = {
  'POST /access-requests': everyone('201'),
  'POST /access-requests/{id}/confirm': { ...everyone('409:access-request-confirmed'), anon: '200' },
  'GET /access-requests': { ...signedIn('403'), dana: '200', paula: '200', adam: '200', adamMobile: '200' },
  'POST /access-requests/{id}/decision': {
    ...signedIn('403'),
    dana: '200',
    paula: '404',
    adam: '409:access-request-decided',
    adamMobile: '409:access-request-decided',
  },
};
Object.assign(MATRIX, ACCESS_MATRIX);
/** A chat ticket is any signed-in person's (chat itself checks Terms, levels and PRIV-1 at `start`). */
Object.assign(MATRIX, { 'POST /chat/tickets': signedIn('201') });

/**
 * The authorization matrix, as data: for every route of the route table, the status each demo
 * persona gets. Routes that address a case list four cells, one per target:
 *   acme     — the persona's own organisation for Acme's people (a direct customer, US)
 *   globex   — another direct customer (EU/EEA: GDPR, PRIV-1)
 *   initech  — a FedRAMP customer (PRIV-2)
 *   umbrella — an end user managed by the partner Northwind (ACC-7)
 * POST /cases addresses the same four organisations through its orgId.
 * `ok` means authorization passed: 2xx, or 409 when the case's state refuses the action.
 * A route missing here fails the suite.
 */
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
} as const;

export type Persona = keyof typeof PERSONAS;
export const TARGETS = ['acme', 'globex', 'initech', 'umbrella'] as const;
export type Target = (typeof TARGETS)[number];
export type Expect = number | 'ok';
/** One cell for routes without a target, four (in TARGETS order) for routes with one. */
export type Row = Record<Persona, string>;

const everyone = (cell: string): Row => Object.fromEntries(Object.keys(PERSONAS).map((p) => [p, cell])) as Row;

/** Without a token: 401; a machine client on a user route: 403. One cell per target, as `cell` has. */
const signedIn = (cell: string): Row => {
  const n = cell.split(' ').length;
  return { ...everyone(cell), anon: Array(n).fill('401').join(' '), machine: Array(n).fill('403').join(' ') };
};

const readers = (): Row => ({ ...signedIn('200'), tina: '403', bob: '403' });

/** Case reads: own organisation 200, anything else 404 (PRIV-3); staff see all. */
const caseRead: Row = {
  ...signedIn('404 404 404 404'),
  tina: '403 403 403 403',
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
};

/** Designated-only actions (CASE-7): read-only people 403 at the door, staff 403 on the case. */
const designatedAction: Row = {
  ...caseRead,
  rita: '403 403 403 403',
  uma: '403 403 403 403',
  dana: 'ok 404 404 404',
  dave: 'ok 404 404 404',
  greta: '404 ok 404 404',
  fred: '404 404 ok 404',
  paula: '404 404 404 ok',
  alice: '403 403 403 403',
  eric: '403 403 403 403',
  mona: '403 403 403 403',
  adam: '403 403 403 403',
};

/** Staff-only actions: US staff are refused on EU cases (PRIV-1). */
const staffAction: Row = {
  ...signedIn('403 403 403 403'),
  alice: 'ok 403 ok ok',
  mona: 'ok 403 ok ok',
  eric: 'ok ok ok ok',
  adam: 'ok ok ok ok',
};

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
    ...signedIn('403 403 403 403'),
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
  },
  'GET /cases/{caseNumber}': caseRead,
  'GET /cases/{caseNumber}/updates': caseRead,
  'GET /cases/{caseNumber}/updates/{updateId}': caseRead,
  'GET /cases/{caseNumber}/history': caseRead,
  'POST /cases/{caseNumber}/updates': {
    ...caseRead,
    rita: '403 403 403 403',
    uma: '403 403 403 403',
    dana: '201 404 404 404',
    dave: '201 404 404 404',
    greta: '404 201 404 404',
    fred: '404 404 201 404',
    paula: '404 404 404 201',
    alice: '201 403 201 201',
    mona: '201 403 201 201',
    eric: '201 201 201 201',
    adam: '201 201 201 201',
  },
  'PATCH /cases/{caseNumber}': staffAction,
  'POST /cases/{caseNumber}/escalation': designatedAction,
  'POST /cases/{caseNumber}/escalation/decision': staffAction,
  'POST /cases/{caseNumber}/closure-request': designatedAction,
  'POST /cases/{caseNumber}/reopen': designatedAction,
  // Rita's level set to what it is: proves access without changing anyone's.
  'PUT /admin/orgs/{orgId}/members/{userId}': { ...signedIn('403'), adam: '200' },
  'GET /admin/orgs/shortfall': {
    ...signedIn('403'),
    alice: '200',
    eric: '200',
    mona: '200',
    adam: '200',
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
  },
  'PUT /accounts/{orgId}/subscription': {
    ...signedIn('404'),
    tina: '403',
    rita: '403',
    bob: '403',
    uma: '403',
    dana: '200',
    dave: '200',
    alice: '403',
    eric: '403',
    mona: '403',
    adam: '403',
  },
  'PUT /cases/{caseNumber}/subscription': designatedAction,
  'DELETE /cases/{caseNumber}/subscription': designatedAction,
  'GET /favorites': { ...signedIn('200'), tina: '403' },
  'PUT /favorites/{kind}/{id}': {
    ...signedIn('404'),
    tina: '403',
    dana: 'ok',
    dave: 'ok',
    rita: 'ok',
    bob: 'ok',
    alice: 'ok',
    eric: 'ok',
    mona: 'ok',
    adam: 'ok',
  },
  'DELETE /favorites/{kind}/{id}': signedIn('204'),
};
Object.assign(MATRIX, NOTIFY_MATRIX);

/**
 * The one route table. CDK builds the HTTP API's routes and functions from it
 * (lib/constructs/http-api.ts), local mode serves it (lib/local/gateway.ts), the OpenAPI document
 * is generated from it (lambdas/http/openapi.ts) and the authorization matrix test walks it.
 * To change who may call a route, change its `permission`.
 */
import type { z } from 'zod';
import type { RoutePermission } from '../domain/policy';
import type { WritePattern } from '../data/writes';
import type { RateLimitName } from '../domain/rate-limits';
import { ProblemSchema } from '../schemas/common';
import {
  CaseListSchema,
  CaseNumberParams,
  CaseSchema,
  CreateCaseBody,
  CreateUpdateBody,
  EscalationBody,
  EscalationDecisionBody,
  HistorySchema,
  ListCasesQuery,
  PatchCaseBody,
  ReasonBody,
  SearchQuery,
  SearchResultSchema,
  PageQuery,
  UpdateListSchema,
  UpdateParams,
  UpdateSchema,
} from '../schemas/cases';
import {
  HealthSchema,
  MeSchema,
  MemberLevelBody,
  MemberLevelSchema,
  MemberParams,
  SettingsBody,
  ShortfallListSchema,
} from '../schemas/me';
import { InboundMailListSchema } from '../schemas/mail';
import {
  AccessDecisionBody,
  AccessRequestListSchema,
  AccessRequestParams,
  AccessRequestSchema,
  AccessRequestsQuery,
  ConfirmAccessRequestBody,
  CreateAccessRequestBody,
} from '../schemas/access-requests';
import { ChatTicketSchema } from '../schemas/chat';
import { AcceptTermsBody, TermsAcceptedSchema, TermsSchema } from '../schemas/terms';
import {
  AccountListSchema,
  AccountSchema,
  AccountsQuery,
  CaseSubscriptionSchema,
  EmptyBody,
  FavoriteListSchema,
  FavoriteParams,
  FavoriteSchema,
  OrgParams,
  OrgSubscriptionBody,
  OrgSubscriptionSchema,
} from '../schemas/accounts';
import {
  AlarmBatch,
  AlarmListSchema,
  AlarmsQuery,
  IncidentBatch,
  IngestReportSchema,
  MaintenanceBatch,
} from '../schemas/monitoring';
import { DeviceBody, DeviceParams, DeviceSchema, NotificationListSchema } from '../schemas/notifications';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDef {
  method: Method;
  /** API Gateway path syntax: `/cases/{caseNumber}`. */
  path: string;
  /** Handler module under lambdas/http, without extension; it exports `handler`. */
  handler: string;
  /** Who may call it (lambdas/domain/policy.ts). `public` routes get no authorizer. */
  permission: RoutePermission;
  /** Table access the function is granted: least privilege per route. */
  table: 'none' | 'read' | 'write';
  /**
   * The data module's write access patterns the route uses (lambdas/data/writes.ts): its IAM
   * write grants, per action and key prefix. Given exactly when `table` is 'write'. The ACC-10
   * session touch of authenticated routes is added by writesOf, not listed here.
   */
  writes?: readonly WritePattern[];
  /** Serves case data: blocked until the current Terms are accepted (ACC-9). */
  caseData: boolean;
  /** Sends case mail (MAIL-1): the function gets the mailer and the reply-token keyring. */
  sendsMail?: boolean;
  /** Manages push endpoints (NOTE-1): the function gets the push binding. */
  push?: boolean;
  /** Sends mail that is not case mail (ACC-6 codes and decisions): the mailer only, no reply keys. */
  sendsNotices?: boolean;
  /** Per-user rate limits it counts against (lambdas/domain/rate-limits.ts); `mail` comes with sendsMail. */
  rateLimits?: readonly RateLimitName[];
  /** Creates or updates sign-ins (ACC-6 approvals): the function gets the userPool binding. */
  grantsAccounts?: boolean;
  summary: string;
  request?: { params?: z.ZodObject; query?: z.ZodObject; body?: z.ZodType; bodyOptional?: boolean };
  /** Success status and body schema; errors are always problem+json. */
  success: { status: number; schema?: z.ZodType };
}

export const ROUTES = [
  {
    method: 'GET',
    path: '/health',
    handler: 'get-health',
    permission: 'public',
    table: 'none',
    caseData: false,
    summary: 'Liveness',
    success: { status: 200, schema: HealthSchema },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    handler: 'get-openapi',
    permission: 'public',
    table: 'none',
    caseData: false,
    summary: 'OpenAPI 3.1 document generated from the route table',
    success: { status: 200 },
  },
  {
    method: 'GET',
    path: '/terms',
    handler: 'get-terms',
    permission: 'public',
    table: 'none',
    caseData: false,
    summary: 'The Terms and Conditions in force (ACC-9)',
    success: { status: 200, schema: TermsSchema },
  },
  {
    method: 'POST',
    path: '/me/terms',
    handler: 'accept-terms',
    permission: 'signedIn',
    table: 'write',
    writes: ['acceptTerms'],
    caseData: false,
    summary: 'Accept the current Terms (ACC-9)',
    request: { body: AcceptTermsBody },
    success: { status: 200, schema: TermsAcceptedSchema },
  },
  {
    method: 'GET',
    path: '/me',
    handler: 'get-me',
    permission: 'signedIn',
    table: 'read',
    caseData: false,
    summary: 'The caller: profile, memberships, staff role, Terms, settings',
    success: { status: 200, schema: MeSchema },
  },
  {
    method: 'PATCH',
    path: '/me/settings',
    handler: 'update-settings',
    permission: 'signedIn',
    table: 'write',
    writes: ['updateSettings', 'settingsMirror'],
    caseData: false,
    summary: 'Notification toggles and default list (NOTE-4); name, email, time zone are not editable',
    request: { body: SettingsBody },
    success: { status: 200 },
  },
  {
    method: 'GET',
    path: '/cases',
    handler: 'list-cases',
    permission: 'readCases',
    table: 'read',
    caseData: true,
    summary: 'Cases the caller may see (LIST-1..3)',
    request: { query: ListCasesQuery },
    success: { status: 200, schema: CaseListSchema },
  },
  {
    method: 'POST',
    path: '/cases',
    handler: 'create-case',
    permission: 'createCases',
    table: 'write',
    writes: ['nextCaseNumber', 'createCase'],
    rateLimits: ['cases'],
    caseData: true,
    summary: 'Open a case (CASE-1..3); honours Idempotency-Key',
    request: { body: CreateCaseBody },
    success: { status: 201, schema: CaseSchema },
  },
  {
    method: 'GET',
    path: '/cases/{caseNumber}',
    handler: 'get-case',
    permission: 'readCases',
    table: 'read',
    caseData: true,
    summary: 'One case (CASE-5)',
    request: { params: CaseNumberParams },
    success: { status: 200, schema: CaseSchema },
  },
  {
    method: 'GET',
    path: '/cases/{caseNumber}/updates',
    handler: 'list-updates',
    permission: 'readCases',
    table: 'read',
    caseData: true,
    summary: 'Updates, newest first; email updates carry their subject only (CASE-6)',
    request: { params: CaseNumberParams, query: PageQuery },
    success: { status: 200, schema: UpdateListSchema },
  },
  {
    method: 'POST',
    path: '/cases/{caseNumber}/updates',
    handler: 'create-update',
    permission: 'updateCases',
    table: 'write',
    writes: ['appendUpdate', 'saveCase', 'idempotencyRecord'],
    rateLimits: ['updates'],
    caseData: true,
    sendsMail: true,
    summary: 'Add an update; internal visibility is for staff (CASE-6)',
    request: { params: CaseNumberParams, body: CreateUpdateBody },
    success: { status: 201, schema: UpdateSchema },
  },
  {
    method: 'GET',
    path: '/cases/{caseNumber}/updates/{updateId}',
    handler: 'get-update',
    permission: 'readCases',
    table: 'read',
    caseData: true,
    summary: 'One update in full',
    request: { params: UpdateParams },
    success: { status: 200, schema: UpdateSchema },
  },
  {
    method: 'PATCH',
    path: '/cases/{caseNumber}',
    handler: 'patch-case',
    permission: 'staff',
    table: 'write',
    writes: ['saveCase'],
    rateLimits: ['updates'],
    caseData: true,
    sendsMail: true,
    summary: 'Staff change status, sub-status, severity, owner, support group (CASE-3, CASE-4); If-Match: version',
    request: { params: CaseNumberParams, body: PatchCaseBody },
    success: { status: 200, schema: CaseSchema },
  },
  {
    method: 'GET',
    path: '/cases/{caseNumber}/history',
    handler: 'list-history',
    permission: 'readCases',
    table: 'read',
    caseData: true,
    summary: 'Audit events: who, when, from, to (CASE-9)',
    request: { params: CaseNumberParams, query: PageQuery },
    success: { status: 200, schema: HistorySchema },
  },
  {
    method: 'POST',
    path: '/cases/{caseNumber}/escalation',
    handler: 'request-escalation',
    permission: 'updateCases',
    table: 'write',
    writes: ['saveCase', 'idempotencyRecord'],
    caseData: true,
    summary: 'A Designated Contact requests escalation with a reason (CASE-7)',
    request: { params: CaseNumberParams, body: EscalationBody },
    success: { status: 201, schema: CaseSchema },
  },
  {
    method: 'POST',
    path: '/cases/{caseNumber}/escalation/decision',
    handler: 'decide-escalation',
    permission: 'staff',
    table: 'write',
    writes: ['saveCase', 'idempotencyRecord'],
    caseData: true,
    summary: 'Staff accept or decline the pending escalation (CASE-7)',
    request: { params: CaseNumberParams, body: EscalationDecisionBody },
    success: { status: 200, schema: CaseSchema },
  },
  {
    method: 'POST',
    path: '/cases/{caseNumber}/closure-request',
    handler: 'request-closure',
    permission: 'updateCases',
    table: 'write',
    writes: ['saveCase', 'idempotencyRecord'],
    caseData: true,
    summary: 'A Designated Contact asks to close the case (CASE-7)',
    request: { params: CaseNumberParams, body: ReasonBody, bodyOptional: true },
    success: { status: 201, schema: CaseSchema },
  },
  {
    method: 'POST',
    path: '/cases/{caseNumber}/reopen',
    handler: 'reopen-case',
    permission: 'updateCases',
    table: 'write',
    writes: ['saveCase', 'idempotencyRecord'],
    caseData: true,
    summary: 'A Designated Contact reopens a closed case (CASE-7)',
    request: { params: CaseNumberParams, body: ReasonBody, bodyOptional: true },
    success: { status: 200, schema: CaseSchema },
  },
  {
    method: 'GET',
    path: '/search',
    handler: 'search-cases',
    permission: 'readCases',
    table: 'read',
    caseData: true,
    summary: 'Cases by number and organisations by name prefix, created within from/to (default: past year) (LIST-4)',
    request: { query: SearchQuery },
    success: { status: 200, schema: SearchResultSchema },
  },
  {
    method: 'GET',
    path: '/admin/orgs/shortfall',
    handler: 'list-shortfall',
    permission: 'staff',
    table: 'read',
    caseData: false,
    summary: 'Organisations with fewer than two Designated Contacts (ACC-5)',
    success: { status: 200, schema: ShortfallListSchema },
  },
  {
    method: 'PUT',
    path: '/admin/orgs/{orgId}/members/{userId}',
    handler: 'set-member-level',
    permission: 'admin',
    table: 'write',
    writes: ['saveMembership', 'memberCount'],
    caseData: false,
    summary: "A portal admin changes a contact's level; falling under two Designated Contacts records a shortfall event (ACC-5)",
    request: { params: MemberParams, body: MemberLevelBody },
    success: { status: 200, schema: MemberLevelSchema },
  },
  {
    method: 'GET',
    path: '/admin/inbound-mail',
    handler: 'list-inbound-mail',
    permission: 'staff',
    table: 'read',
    caseData: false,
    summary: 'Every inbound message with its outcome: attached, duplicate or rejected with a reason (MAIL-4)',
    request: { query: PageQuery },
    success: { status: 200, schema: InboundMailListSchema },
  },
  // Accounts, subscriptions and favorites (NOTE-2, LIST-5).
  {
    method: 'GET',
    path: '/accounts',
    handler: 'list-accounts',
    permission: 'signedIn',
    table: 'read',
    caseData: false,
    summary: 'Organisations the caller may see; q keeps names starting with it (case-insensitive)',
    request: { query: AccountsQuery },
    success: { status: 200, schema: AccountListSchema },
  },
  {
    method: 'GET',
    path: '/accounts/{orgId}',
    handler: 'get-account',
    permission: 'signedIn',
    table: 'read',
    caseData: false,
    summary: "One organisation (members and staff), with a Designated Contact's own subscription",
    request: { params: OrgParams },
    success: { status: 200, schema: AccountSchema },
  },
  {
    method: 'PUT',
    path: '/accounts/{orgId}/subscription',
    handler: 'put-account-subscription',
    permission: 'updateCases',
    table: 'write',
    writes: ['orgSubscription'],
    caseData: true,
    summary: 'Designated Contacts choose new escalations, new critical, new high, cloud incidents (NOTE-2)',
    request: { params: OrgParams, body: OrgSubscriptionBody },
    success: { status: 200, schema: OrgSubscriptionSchema },
  },
  {
    method: 'PUT',
    path: '/cases/{caseNumber}/subscription',
    handler: 'put-case-subscription',
    permission: 'updateCases',
    table: 'write',
    writes: ['caseSubscription'],
    caseData: true,
    summary: "Turn a case's notifications on (NOTE-2); idempotent",
    request: { params: CaseNumberParams, body: EmptyBody, bodyOptional: true },
    success: { status: 200, schema: CaseSubscriptionSchema },
  },
  {
    method: 'DELETE',
    path: '/cases/{caseNumber}/subscription',
    handler: 'delete-case-subscription',
    permission: 'updateCases',
    table: 'write',
    writes: ['caseSubscription'],
    caseData: true,
    summary: "Turn a case's notifications off, however they were turned on (NOTE-2); idempotent",
    request: { params: CaseNumberParams, body: EmptyBody, bodyOptional: true },
    success: { status: 204 },
  },
  {
    method: 'GET',
    path: '/favorites',
    handler: 'list-favorites',
    permission: 'signedIn',
    table: 'read',
    caseData: true,
    summary: 'Favorite cases and accounts (LIST-5), as the caller may see them now',
    request: { query: PageQuery },
    success: { status: 200, schema: FavoriteListSchema },
  },
  {
    method: 'PUT',
    path: '/favorites/{kind}/{id}',
    handler: 'put-favorite',
    permission: 'signedIn',
    table: 'write',
    writes: ['addFavorite'],
    caseData: true,
    summary: 'Add a favorite (201; 200 if it already was one); at most 20: 409 /problems/favorites-limit (LIST-5)',
    request: { params: FavoriteParams, body: EmptyBody, bodyOptional: true },
    success: { status: 201, schema: FavoriteSchema },
  },
  {
    method: 'DELETE',
    path: '/favorites/{kind}/{id}',
    handler: 'delete-favorite',
    permission: 'signedIn',
    table: 'write',
    writes: ['removeFavorite'],
    caseData: false,
    summary: 'Remove a favorite and the case subscription it made, only that (LIST-5); idempotent',
    request: { params: FavoriteParams, body: EmptyBody, bodyOptional: true },
    success: { status: 204 },
  },
  // Alarms, cloud incidents and maintenance alerts (ALARM-1, ALARM-2).
  {
    method: 'GET',
    path: '/accounts/{orgId}/alarms',
    handler: 'list-alarms',
    permission: 'signedIn',
    table: 'read',
    caseData: false,
    summary:
      "An organisation's alarms, newest modified first: type all|active|closed, severity, from/to, excludeOrigins (ALARM-1); members and staff",
    request: { params: OrgParams, query: AlarmsQuery },
    success: { status: 200, schema: AlarmListSchema },
  },
  {
    method: 'POST',
    path: '/ingest/alarms',
    handler: 'ingest-alarms',
    permission: 'ingest',
    table: 'write',
    writes: ['monitoringRecord'],
    caseData: false,
    summary: "Monitoring sends up to 100 alarms; idempotent by source id; 200 with each entry's outcome (ALARM-1)",
    request: { body: AlarmBatch },
    success: { status: 200, schema: IngestReportSchema },
  },
  {
    method: 'POST',
    path: '/ingest/incidents',
    handler: 'ingest-incidents',
    permission: 'ingest',
    table: 'write',
    writes: ['monitoringRecord'],
    caseData: false,
    summary: "Monitoring sends up to 100 cloud incidents; idempotent by source id; 200 with each entry's outcome (ALARM-2)",
    request: { body: IncidentBatch },
    success: { status: 200, schema: IngestReportSchema },
  },
  {
    method: 'POST',
    path: '/ingest/maintenance',
    handler: 'ingest-maintenance',
    permission: 'ingest',
    table: 'write',
    writes: ['monitoringRecord'],
    caseData: false,
    summary: "Monitoring sends up to 100 maintenance alerts; idempotent by source id; 200 with each entry's outcome (ALARM-2)",
    request: { body: MaintenanceBatch },
    success: { status: 200, schema: IngestReportSchema },
  },
  // The inbox and push devices (NOTE-1, NOTE-3).
  {
    method: 'GET',
    path: '/notifications',
    handler: 'list-notifications',
    permission: 'signedIn',
    table: 'read',
    caseData: true,
    summary: 'The inbox of the last 3 days, newest first (NOTE-3); mobile: no FedRAMP organisation (PRIV-2)',
    request: { query: PageQuery },
    success: { status: 200, schema: NotificationListSchema },
  },
  {
    method: 'POST',
    path: '/devices',
    handler: 'register-device',
    permission: 'signedIn',
    table: 'write',
    writes: ['registerDevice'],
    push: true,
    caseData: false,
    summary: 'Register a device for push (an SNS platform endpoint for APNs or FCM); the same token again is the same device',
    request: { body: DeviceBody },
    success: { status: 201, schema: DeviceSchema },
  },
  {
    method: 'DELETE',
    path: '/devices/{deviceId}',
    handler: 'delete-device',
    permission: 'signedIn',
    table: 'write',
    writes: ['removeDevice'],
    push: true,
    caseData: false,
    summary: "Remove one of the caller's devices and its platform endpoint; anyone else's is 404",
    request: { params: DeviceParams },
    success: { status: 204 },
  },
  // Access requests (ACC-6): anyone asks, with a mailed code; approvers and portal admins decide.
  {
    method: 'POST',
    path: '/access-requests',
    handler: 'create-access-request',
    permission: 'public',
    table: 'write',
    writes: ['openAccessRequest'],
    caseData: false,
    sendsNotices: true,
    summary:
      'Anyone with an individual corporate address (ACC-3) asks for a level on combinations of one organisation; a one-time code is mailed (ACC-6); rate-limited per address and source IP',
    request: { body: CreateAccessRequestBody },
    success: { status: 201, schema: AccessRequestSchema },
  },
  {
    method: 'POST',
    path: '/access-requests/{id}/confirm',
    handler: 'confirm-access-request',
    permission: 'public',
    table: 'write',
    writes: ['confirmAccessRequest', 'nextCaseNumber'],
    caseData: false,
    sendsNotices: true,
    summary:
      'The mailed code proves the address (15 minutes, 5 attempts); the request opens an admin case and goes to the approvers (ACC-6)',
    request: { params: AccessRequestParams, body: ConfirmAccessRequestBody },
    success: { status: 200, schema: AccessRequestSchema },
  },
  {
    method: 'GET',
    path: '/access-requests',
    handler: 'list-access-requests',
    permission: 'approve',
    table: 'read',
    caseData: false,
    summary: "Requests the caller decides: an approver's companies' (pending and decided), every one for portal admins (ACC-6)",
    request: { query: AccessRequestsQuery },
    success: { status: 200, schema: AccessRequestListSchema },
  },
  {
    method: 'POST',
    path: '/access-requests/{id}/decision',
    handler: 'decide-access-request',
    permission: 'approve',
    table: 'write',
    writes: ['decideAccessRequest'],
    caseData: false,
    sendsNotices: true,
    grantsAccounts: true,
    summary: 'An approver of that company or a portal admin approves (grants the level) or rejects; once only (ACC-6)',
    request: { params: AccessRequestParams, body: AccessDecisionBody },
    success: { status: 200, schema: AccessRequestSchema },
  },
  {
    method: 'POST',
    path: '/chat/tickets',
    handler: 'create-chat-ticket',
    permission: 'signedIn',
    table: 'write',
    writes: ['issueChatTicket'],
    // Chat itself checks the Terms (and everything else) when a chat starts.
    caseData: false,
    summary:
      'A single-use ticket (60 s) for the chat WebSocket: connect with ?ticket= (CHAT-1). Each call issues a new one; ' +
      'Idempotency-Key is not honoured (a ticket is stored only hashed, so it cannot be replayed)',
    request: { body: EmptyBody, bodyOptional: true },
    success: { status: 201, schema: ChatTicketSchema },
  },
] as const satisfies readonly RouteDef[];

export type RouteKey = `${(typeof ROUTES)[number]['method']} ${(typeof ROUTES)[number]['path']}`;

export const routeKey = (r: Pick<RouteDef, 'method' | 'path'>): string => `${r.method} ${r.path}`;

/** The per-user rate limits a request of the route counts against, in the order they are checked. */
export const rateLimitsOf = (route: Pick<RouteDef, 'rateLimits' | 'sendsMail'>): RateLimitName[] => [
  ...(route.rateLimits ?? []),
  ...(route.sendsMail ? (['mail'] as const) : []),
];

/**
 * Everything a route's function writes: its declared patterns and, for every route a user may
 * call, the ACC-10 session touch the middleware makes before the handler runs.
 */
export const writesOf = (route: Pick<RouteDef, 'permission' | 'writes' | 'sendsMail' | 'rateLimits'>): WritePattern[] => [
  ...(route.writes ?? []),
  ...(rateLimitsOf(route).length ? (['rateLimit'] as const) : []),
  // MAIL-1: the id SES gives each case mail is recorded against the case.
  ...(route.sendsMail ? (['recordOutboundMail'] as const) : []),
  ...(route.permission === 'public' || route.permission === 'ingest' ? [] : (['touchSession'] as const)),
];

export const findRoute = (key: string): RouteDef => {
  const route = (ROUTES as readonly RouteDef[]).find((r) => routeKey(r) === key);
  if (!route) throw new Error(`No route ${key} in the route table`);
  return route;
};

export { ProblemSchema };

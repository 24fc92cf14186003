/**
 * The one route table. CDK builds the HTTP API's routes and functions from it
 * (lib/constructs/http-api.ts), local mode serves it (local/gateway.ts), the OpenAPI document
 * is generated from it (lambdas/http/openapi.ts) and the authorization matrix test walks it.
 * To change who may call a route, change its `permission`.
 *
 * Each route is declared in its own module, ./routes/<handler>.ts (`export const route`), which
 * its handler imports, and nothing else of the table: a function's bundle then carries its own
 * route's schemas only. A new route: add ./routes/<handler>.ts and list it below.
 */
import { ProblemSchema } from '../schemas/common';
import type { RouteDef } from './route-def';
import { route as getHealth } from './routes/get-health';
import { route as getOpenapi } from './routes/get-openapi';
import { route as getTerms } from './routes/get-terms';
import { route as acceptTerms } from './routes/accept-terms';
import { route as getMe } from './routes/get-me';
import { route as updateSettings } from './routes/update-settings';
import { route as listCases } from './routes/list-cases';
import { route as createCase } from './routes/create-case';
import { route as getCase } from './routes/get-case';
import { route as listUpdates } from './routes/list-updates';
import { route as createUpdate } from './routes/create-update';
import { route as getUpdate } from './routes/get-update';
import { route as createAttachment } from './routes/create-attachment';
import { route as listAttachments } from './routes/list-attachments';
import { route as getAttachment } from './routes/get-attachment';
import { route as patchCase } from './routes/patch-case';
import { route as listHistory } from './routes/list-history';
import { route as listCaseMail } from './routes/list-case-mail';
import { route as requestEscalation } from './routes/request-escalation';
import { route as decideEscalation } from './routes/decide-escalation';
import { route as requestClosure } from './routes/request-closure';
import { route as decideClosure } from './routes/decide-closure';
import { route as reopenCase } from './routes/reopen-case';
import { route as searchCases } from './routes/search-cases';
import { route as listShortfall } from './routes/list-shortfall';
import { route as setMemberLevel } from './routes/set-member-level';
import { route as setContractStatus } from './routes/set-contract-status';
import { route as listInboundMail } from './routes/list-inbound-mail';
import { route as releaseInboundMail } from './routes/release-inbound-mail';
import { route as listAccounts } from './routes/list-accounts';
import { route as getAccount } from './routes/get-account';
import { route as putAccountSubscription } from './routes/put-account-subscription';
import { route as putCaseSubscription } from './routes/put-case-subscription';
import { route as deleteCaseSubscription } from './routes/delete-case-subscription';
import { route as getCaseSubscription } from './routes/get-case-subscription';
import { route as listFavorites } from './routes/list-favorites';
import { route as putFavorite } from './routes/put-favorite';
import { route as deleteFavorite } from './routes/delete-favorite';
import { route as listAlarms } from './routes/list-alarms';
import { route as listIncidents } from './routes/list-incidents';
import { route as listMaintenance } from './routes/list-maintenance';
import { route as ingestAlarms } from './routes/ingest-alarms';
import { route as ingestDirectory } from './routes/ingest-directory';
import { route as ingestIncidents } from './routes/ingest-incidents';
import { route as ingestMaintenance } from './routes/ingest-maintenance';
import { route as listNotifications } from './routes/list-notifications';
import { route as registerDevice } from './routes/register-device';
import { route as deleteDevice } from './routes/delete-device';
import { route as listDevices } from './routes/list-devices';
import { route as createAccessRequest } from './routes/create-access-request';
import { route as confirmAccessRequest } from './routes/confirm-access-request';
import { route as listAccessRequests } from './routes/list-access-requests';
import { route as decideAccessRequest } from './routes/decide-access-request';
import { route as createChatTicket } from './routes/create-chat-ticket';

export const ROUTES = [
  getHealth,
  getOpenapi,
  getTerms,
  acceptTerms,
  getMe,
  updateSettings,
  listCases,
  createCase,
  getCase,
  listUpdates,
  createUpdate,
  getUpdate,
  // A case's files (MAIL-2, CASE-6): presigned uploads and downloads.
  createAttachment,
  listAttachments,
  getAttachment,
  patchCase,
  listHistory,
  listCaseMail,
  requestEscalation,
  decideEscalation,
  requestClosure,
  decideClosure,
  reopenCase,
  searchCases,
  listShortfall,
  setMemberLevel,
  setContractStatus,
  listInboundMail,
  releaseInboundMail,
  // Accounts, subscriptions and favorites (NOTE-2, LIST-5).
  listAccounts,
  getAccount,
  putAccountSubscription,
  putCaseSubscription,
  deleteCaseSubscription,
  getCaseSubscription,
  listFavorites,
  putFavorite,
  deleteFavorite,
  // Alarms, cloud incidents and maintenance alerts (ALARM-1, ALARM-2).
  listAlarms,
  listIncidents,
  listMaintenance,
  ingestAlarms,
  ingestDirectory,
  ingestIncidents,
  ingestMaintenance,
  // The inbox and push devices (NOTE-1, NOTE-3).
  listNotifications,
  registerDevice,
  deleteDevice,
  listDevices,
  // Access requests (ACC-6): anyone asks, with a mailed code; approvers and portal admins decide.
  createAccessRequest,
  confirmAccessRequest,
  listAccessRequests,
  decideAccessRequest,
  createChatTicket,
] as const satisfies readonly RouteDef[];

export { rateLimitsOf, routeKey, writesOf } from './route-def';
export type { Method, RouteDef } from './route-def';

export type RouteKey = `${(typeof ROUTES)[number]['method']} ${(typeof ROUTES)[number]['path']}`;

export const findRoute = (key: string): RouteDef => {
  const route = (ROUTES as readonly RouteDef[]).find((r) => `${r.method} ${r.path}` === key);
  if (!route) throw new Error(`No route ${key} in the route table`);
  return route;
};

export { ProblemSchema };

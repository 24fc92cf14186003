/**
 * ALARM-1, ALARM-2: what monitoring sends Casework (alarms, cloud incidents, maintenance alerts)
 * and how it is stored and read. Pure rules; the monitoring repository stores them.
 *
 * Ingestion is idempotent by the source's own id: a resend of an alarm replaces the stored one
 * only when its modified time is later (active -> closed), so resends never duplicate it and a
 * stale or repeated resend changes nothing (and derives no notification). A batch is judged entry
 * by entry: the good entries are stored, each bad one is answered with its index, id and reason.
 */
import { mapLimit } from '../kernel/concurrency';
import { forbidden, notFound, type FieldError } from '../kernel/errors';
import { loadAccount } from '../access/accounts';
import { INGEST_SCOPE, type Caller } from '../kernel/policy';
import type { Deps } from '../kernel/deps';
import type { Page, PageRequest } from '../kernel/ports';
import { hasCloudDeployment } from '../notifications/subscriptions';
import type { Org } from '../kernel/types';
import { viewFor, type View } from '../kernel/views';
import type { Alarm, CloudIncident, MaintenanceAlert, StoreResult, AlarmFilter } from './ports';

/** Why an entry was not stored. */
export type RejectReason =
  'invalid' | 'unknown-organisation' | 'no-alarm-monitoring' | 'no-cloud-deployment' | 'product-line-not-deployed';

export interface EntryResult {
  index: number;
  id?: string;
  outcome: 'created' | 'updated' | 'unchanged' | 'rejected';
  /** rejected: why; unchanged: `not-newer`. */
  reason?: RejectReason | 'not-newer';
  detail?: string;
  errors?: FieldError[];
}

export interface IngestReport {
  received: number;
  stored: number;
  unchanged: number;
  rejected: number;
  results: EntryResult[];
}

/** One entry of a batch as the HTTP layer parsed it: a valid value, or its field errors. */
export type ParsedEntry<T> = { index: number; id?: string } & ({ value: T } | { errors: FieldError[] });

export type AlarmInput = Omit<Alarm, 'receivedAt'>;
export type IncidentInput = Omit<CloudIncident, 'receivedAt'>;
export type MaintenanceInput = Omit<MaintenanceAlert, 'receivedAt'>;

/** One place that says whether an entry may be stored for its organisation(s), or why not. */
const rejection = (reason: RejectReason, detail: string): Omit<EntryResult, 'index'> => ({ outcome: 'rejected', reason, detail });

export const alarmRejection = (org: Org | undefined, orgId: string) => {
  if (!org || org.type === 'vendor') return rejection('unknown-organisation', `${orgId} is not a known organisation`);
  // ALARM-1: alarms exist only for organisations with Remote Alarm Monitoring.
  if (!org.alarmMonitoring) return rejection('no-alarm-monitoring', `${orgId} has no Remote Alarm Monitoring`);
  return undefined;
};

export const incidentRejection = (org: Org | undefined, input: Pick<IncidentInput, 'orgId' | 'productLine'>) => {
  if (!org || org.type === 'vendor') return rejection('unknown-organisation', `${input.orgId} is not a known organisation`);
  // ALARM-2: cloud incidents only for organisations with a cloud deployment.
  if (!hasCloudDeployment(org)) return rejection('no-cloud-deployment', `${input.orgId} has no cloud deployment`);
  if (
    input.productLine !== undefined &&
    !org.deployments.some((d) => d.hosting === 'cloud' && d.productLine === input.productLine)
  ) {
    return rejection('product-line-not-deployed', `${input.orgId} has no cloud deployment of ${input.productLine}`);
  }
  return undefined;
};

export const maintenanceRejection = (orgs: Map<string, Org>, orgIds: string[]) => {
  const unknown = orgIds.filter((id) => {
    const org = orgs.get(id);
    return !org || org.type === 'vendor';
  });
  if (unknown.length) return rejection('unknown-organisation', `not known organisations: ${unknown.join(', ')}`);
  return undefined;
};

/** The outcome a store result means. */
export const outcomeOf = (r: StoreResult): Pick<EntryResult, 'outcome' | 'reason' | 'detail'> =>
  r === 'not-newer'
    ? { outcome: 'unchanged', reason: 'not-newer', detail: 'the stored version is as recent or more recent' }
    : { outcome: r };

/**
 * A modified time this far ahead of our clock is refused: stored, it would make every later
 * resend of the record look stale until that time came.
 */
export const FUTURE_SKEW_MS = 5 * 60_000;

export const tooNew = (modifiedAt: string, now: Date, path: string) =>
  Date.parse(modifiedAt) > now.getTime() + FUTURE_SKEW_MS
    ? invalid([{ path, message: `is more than ${FUTURE_SKEW_MS / 60_000} minutes in the future` }])
    : undefined;

/** Writes in flight at once: a batch of 100 does not burst the table's capacity. */
const STORE_CONCURRENCY = 8;

interface Plan<T> {
  index: number;
  id?: string;
  /** Entries naming the same record are stored one after another, in batch order. */
  group: string;
  value?: T;
  result?: Omit<EntryResult, 'index' | 'id'>;
}

const runPlans = async <T>(plans: Plan<T>[], store: (value: T) => Promise<StoreResult>): Promise<IngestReport> => {
  const groups = new Map<string, Plan<T>[]>();
  for (const p of plans) if (p.value !== undefined) groups.set(p.group, [...(groups.get(p.group) ?? []), p]);
  await mapLimit([...groups.values()], STORE_CONCURRENCY, async (group) => {
    for (const p of group) p.result = outcomeOf(await store(p.value!));
  });
  return ingestReport(
    plans.map((p) => ({
      index: p.index,
      ...(p.id !== undefined ? { id: p.id } : {}),
      ...p.result!,
    })),
  );
};

/** Every ingest's answer: its entries' outcomes, counted. */
export const ingestReport = <R extends { outcome: EntryResult['outcome'] }>(results: R[]) => {
  const count = (o: EntryResult['outcome'][]) => results.filter((r) => o.includes(r.outcome)).length;
  return {
    received: results.length,
    stored: count(['created', 'updated']),
    unchanged: count(['unchanged']),
    rejected: count(['rejected']),
    results,
  };
};

export const machineOnly = (caller: Caller) => {
  // The route's permission already demands it; the domain does not rely on the route table alone.
  if (caller.kind !== 'machine' || !caller.scopes.includes(INGEST_SCOPE))
    throw forbidden(`Ingestion needs the ${INGEST_SCOPE} scope.`);
};

export const invalid = (errors: FieldError[]) => ({
  outcome: 'rejected' as const,
  reason: 'invalid' as const,
  detail: 'invalid entry',
  errors,
});

const orgsOf = async (deps: Pick<Deps, 'directory'>, orgIds: string[]): Promise<Map<string, Org>> => {
  const unique = [...new Set(orgIds)];
  const orgs = unique.length ? await deps.directory.getOrgs(unique) : [];
  return new Map(orgs.map((o) => [o.orgId, o]));
};

const valueOf = <T>(e: ParsedEntry<T>): T | undefined => ('value' in e ? e.value : undefined);

/**
 * Alarms and incidents are judged alike: each valid entry against its organisation, then stored
 * by its source id within it (`field` names the batch's array in the field errors).
 */
const ingestPerOrg = async <I extends { id: string; orgId: string; modifiedAt: string }, R>(
  deps: Pick<Deps, 'directory' | 'monitoring' | 'clock'>,
  caller: Caller,
  entries: ParsedEntry<I>[],
  field: 'alarms' | 'incidents',
  refuse: (org: Org | undefined, v: I) => ReturnType<typeof alarmRejection>,
  put: (record: R) => ReturnType<Deps['monitoring']['putAlarm']>,
): Promise<IngestReport> => {
  machineOnly(caller);
  const orgs = await orgsOf(
    deps,
    entries.flatMap((e) => (valueOf(e) ? [valueOf(e)!.orgId] : [])),
  );
  const now = deps.clock.now();
  const receivedAt = now.toISOString();
  const plans = entries.map((e): Plan<R> => {
    const v = valueOf(e);
    if (!v) return { index: e.index, id: e.id, group: '', result: invalid('errors' in e ? e.errors : []) };
    const refused = tooNew(v.modifiedAt, now, `${field}.${e.index}.modifiedAt`) ?? refuse(orgs.get(v.orgId), v);
    if (refused) return { index: e.index, id: v.id, group: '', result: refused };
    return { index: e.index, id: v.id, group: `${v.orgId}#${v.id}`, value: { ...v, receivedAt } as unknown as R };
  });
  return runPlans(plans, put);
};

/** POST /ingest/alarms (ALARM-1). */
export const ingestAlarms = (
  deps: Pick<Deps, 'directory' | 'monitoring' | 'clock'>,
  caller: Caller,
  entries: ParsedEntry<AlarmInput>[],
): Promise<IngestReport> =>
  ingestPerOrg<AlarmInput, Alarm>(
    deps,
    caller,
    entries,
    'alarms',
    (org, v) => alarmRejection(org, v.orgId),
    (a) => deps.monitoring.putAlarm(a),
  );

/** POST /ingest/incidents (ALARM-2). */
export const ingestIncidents = (
  deps: Pick<Deps, 'directory' | 'monitoring' | 'clock'>,
  caller: Caller,
  entries: ParsedEntry<IncidentInput>[],
): Promise<IngestReport> =>
  ingestPerOrg<IncidentInput, CloudIncident>(deps, caller, entries, 'incidents', incidentRejection, (i) =>
    deps.monitoring.putIncident(i),
  );

/** POST /ingest/maintenance (ALARM-2). */
export const ingestMaintenance = async (
  deps: Pick<Deps, 'directory' | 'monitoring' | 'clock'>,
  caller: Caller,
  entries: ParsedEntry<MaintenanceInput>[],
): Promise<IngestReport> => {
  machineOnly(caller);
  const orgs = await orgsOf(
    deps,
    entries.flatMap((e) => valueOf(e)?.orgIds ?? []),
  );
  const now = deps.clock.now();
  const receivedAt = now.toISOString();
  const plans = entries.map((e): Plan<MaintenanceAlert> => {
    const v = valueOf(e);
    if (!v) return { index: e.index, id: e.id, group: '', result: invalid('errors' in e ? e.errors : []) };
    const refused = tooNew(v.modifiedAt, now, `maintenance.${e.index}.modifiedAt`) ?? maintenanceRejection(orgs, v.orgIds);
    if (refused) return { index: e.index, id: v.id, group: '', result: refused };
    return { index: e.index, id: v.id, group: v.id, value: { ...v, orgIds: [...new Set(v.orgIds)].sort(), receivedAt } };
  });
  return runPlans(plans, (m) => deps.monitoring.putMaintenance(m));
};

/**
 * GET /accounts/{orgId}/alarms (ALARM-1): one organisation at a time, from the path (a partner
 * picks one of its organisations: multiview). Members at any level and staff read it; anyone else,
 * and the mobile app on a FedRAMP organisation, gets 404 (PRIV-2, PRIV-3), as does an organisation
 * without Remote Alarm Monitoring, which has no alarms.
 */
export const listAlarms = async (
  deps: Pick<Deps, 'directory' | 'monitoring'>,
  caller: Caller,
  orgId: string,
  filter: AlarmFilter,
  page: PageRequest,
): Promise<Page<View<'alarm'>>> => {
  const { org, access } = await loadAccount(deps, caller, orgId);
  if (!org.alarmMonitoring) throw notFound();
  const found = await deps.monitoring.listAlarms(org.orgId, filter, page);
  return { items: found.items.map((a) => viewFor('alarm', a, access)), next: found.next };
};

/**
 * GET /accounts/{orgId}/incidents (ALARM-2): the access rules of the alarm list. An
 * organisation without a cloud deployment has no cloud incidents: 404, as alarms without Remote
 * Alarm Monitoring.
 */
export const listIncidents = async (
  deps: Pick<Deps, 'directory' | 'monitoring'>,
  caller: Caller,
  orgId: string,
  range: { from?: string; to?: string },
  page: PageRequest,
): Promise<Page<View<'incident'>>> => {
  const { org, access } = await loadAccount(deps, caller, orgId);
  if (!hasCloudDeployment(org)) throw notFound();
  const found = await deps.monitoring.listIncidents(org.orgId, range, page);
  return { items: found.items.map((i) => viewFor('incident', i, access)), next: found.next };
};

/**
 * GET /accounts/{orgId}/maintenance (ALARM-2): the alerts naming the organisation, each
 * with its window; the access rules of the alarm list. `orgIds` is cut to the organisation asked
 * about: the other organisations an alert names are not this caller's business.
 */
export const listMaintenance = async (
  deps: Pick<Deps, 'directory' | 'monitoring'>,
  caller: Caller,
  orgId: string,
  range: { from?: string; to?: string },
  page: PageRequest,
): Promise<Page<View<'maintenance'>>> => {
  const { org, access } = await loadAccount(deps, caller, orgId);
  const found = await deps.monitoring.listMaintenance(org.orgId, range, page);
  return {
    items: found.items.map((m) => viewFor('maintenance', { ...m, orgIds: [org.orgId] }, access)),
    next: found.next,
  };
};

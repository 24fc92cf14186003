/**
 * ALARM-1, ALARM-2: ingest batches and the alarm list. A batch body is checked as a whole (an
 * array of 1-100 entries under its one field: anything else is 400 naming the field); each entry
 * is then checked on its own, so one bad entry does not turn the good ones away.
 */
import type { FieldError } from '../domain/kernel/errors';
import {
  ALARM_SEVERITIES,
  ALARM_STATUSES,
  EXCLUDED_ORIGINS_MAX,
  INGEST_BATCH_MAX,
  MAINTENANCE_ORGS_MAX,
} from '../domain/monitoring/ports';
import type { AlarmInput, IncidentInput, MaintenanceInput, ParsedEntry } from '../domain/monitoring/monitoring';
import * as z from 'zod/mini';
import { CursorSchema, FromSchema, int, LimitSchema, meta, pageOf, str, ToSchema } from './common';

/** The source's own id: it is part of the record's key, so a restricted alphabet. */
const SourceId = str().check(z.regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 letters, digits, ".", "_", ":" or "-"'));
const OrgId = str().check(z.minLength(1), z.maxLength(64));
/** Any ISO 8601 time with an offset, stored as UTC with milliseconds so stored times compare as strings. */
export const Time = z.pipe(
  z.iso.datetime({ offset: true }),
  z.transform((t: string) => new Date(t).toISOString()),
);
const Text = (max: number) => str().check(z.trim(), z.minLength(1), z.maxLength(max));
/** A source's status word for incidents and maintenance (investigating, resolved, scheduled...). */
const StatusToken = str().check(z.regex(/^[a-z][a-z_-]{0,39}$/, 'must be a lower-case status word'));

export const AlarmEntry = meta(
  z.strictObject({
    id: SourceId,
    orgId: OrgId,
    severity: z.enum(ALARM_SEVERITIES),
    server: Text(255),
    appName: Text(255),
    origin: Text(100),
    description: Text(4000),
    status: z.enum(ALARM_STATUSES),
    modifiedAt: Time,
  }),
  { id: 'AlarmEntry' },
);

export const IncidentEntry = meta(
  z.strictObject({
    id: SourceId,
    orgId: OrgId,
    title: Text(500),
    status: StatusToken,
    productLine: z.optional(Text(100)),
    modifiedAt: Time,
  }),
  { id: 'IncidentEntry' },
);

export const MaintenanceEntry = meta(
  z.pipe(
    z
      .strictObject({
        id: SourceId,
        /** One organisation, or several in orgIds (exactly one of the two). */
        orgId: z.optional(OrgId),
        orgIds: z.optional(z.array(OrgId).check(z.minLength(1), z.maxLength(MAINTENANCE_ORGS_MAX))),
        title: Text(500),
        status: z._default(StatusToken, 'scheduled'),
        window: z
          .strictObject({ start: Time, end: Time })
          .check(z.refine((w) => w.start <= w.end, { message: 'must not end before it starts', path: ['end'] })),
        modifiedAt: Time,
      })
      .check(
        z.refine((m) => (m.orgId === undefined) !== (m.orgIds === undefined), {
          message: 'give exactly one of orgId and orgIds',
          path: ['orgIds'],
        }),
      ),
    z.transform(({ orgId, orgIds, ...rest }): MaintenanceInput => ({ ...rest, orgIds: orgIds ?? [orgId!] })),
  ),
  { id: 'MaintenanceEntry' },
);

const batchOf = (field: string, entry: string) =>
  meta(
    z.strictObject({
      [field]: meta(z.array(z.unknown()).check(z.minLength(1), z.maxLength(INGEST_BATCH_MAX)), {
        description: `1-${INGEST_BATCH_MAX} entries, each a ${entry}; each entry is checked on its own`,
      }),
    }),
    { id: `${entry}Batch` },
  );

export const AlarmBatch = batchOf('alarms', 'AlarmEntry');
export const IncidentBatch = batchOf('incidents', 'IncidentEntry');
export const MaintenanceBatch = batchOf('maintenance', 'MaintenanceEntry');

export const IngestReportSchema = meta(
  z.object({
    received: int(),
    stored: int(),
    unchanged: int(),
    rejected: int(),
    results: z.array(
      z.object({
        index: int(),
        id: z.optional(str()),
        outcome: z.enum(['created', 'updated', 'unchanged', 'rejected']),
        reason: z.optional(str()),
        detail: z.optional(str()),
        errors: z.optional(z.array(z.object({ path: str(), message: str() }))),
      }),
    ),
  }),
  { id: 'IngestReport' },
);

/** Each entry against its schema; field errors carry the entry's place (`alarms.3.severity`). */
export const parseEntries = <T>(
  schema: z.ZodMiniType<T>,
  entries: unknown[],
  field: string,
  /** The entry's own id (monitoring's `id`; the directory's orgId, contractId...), as given. */
  idOf: (entry: Record<string, unknown>) => unknown = (e) => e.id,
): ParsedEntry<T>[] =>
  entries.map((raw, index) => {
    const res = schema.safeParse(raw);
    if (res.success) return { index, id: String(idOf(res.data as Record<string, unknown>)), value: res.data };
    const claimed = raw !== null && typeof raw === 'object' ? idOf(raw as Record<string, unknown>) : undefined;
    const errors: FieldError[] = res.error.issues.flatMap((issue) => {
      const base = [field, String(index), ...issue.path.map(String)].join('.');
      return issue.code === 'unrecognized_keys'
        ? issue.keys.map((k) => ({ path: `${base}.${k}`, message: 'is not a field of this entry' }))
        : [{ path: base, message: issue.message }];
    });
    return { index, ...(typeof claimed === 'string' && claimed.length <= 128 ? { id: claimed } : {}), errors };
  });

export const parseAlarms = (entries: unknown[]) => parseEntries<AlarmInput>(AlarmEntry, entries, 'alarms');
export const parseIncidents = (entries: unknown[]) => parseEntries<IncidentInput>(IncidentEntry, entries, 'incidents');
export const parseMaintenance = (entries: unknown[]) => parseEntries<MaintenanceInput>(MaintenanceEntry, entries, 'maintenance');

/** `a,b,c` -> ['a', 'b', 'c'], each checked. */
const csv = <T extends z.ZodMiniType<unknown, string>>(item: T, max: number) =>
  z.pipe(
    z.pipe(
      str().check(z.maxLength(2000)),
      z.transform((v: string) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    ),
    z.array(item).check(z.minLength(1), z.maxLength(max)),
  );

export const AlarmsQuery = z
  .strictObject({
    type: z._default(z.enum(['all', 'active', 'closed']), 'all'),
    /** One severity or several, comma-separated: `critical` or `critical,major`. */
    severity: z.optional(csv(z.enum(ALARM_SEVERITIES), ALARM_SEVERITIES.length)),
    from: z.optional(Time),
    to: z.optional(Time),
    /** Origins to leave out, comma-separated, compared case-insensitively. */
    excludeOrigins: z.optional(csv(str().check(z.minLength(1), z.maxLength(100)), EXCLUDED_ORIGINS_MAX)),
    limit: LimitSchema,
    cursor: CursorSchema,
  })
  .check(z.refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before from', path: ['to'] }));
export type AlarmsQuery = z.infer<typeof AlarmsQuery>;

export const AlarmSchema = meta(
  z.object({
    id: str(),
    orgId: str(),
    severity: z.enum(ALARM_SEVERITIES),
    status: z.enum(ALARM_STATUSES),
    server: str(),
    appName: str(),
    origin: str(),
    // Free text: absent from the restricted view (PRIV-1).
    description: z.optional(str()),
    modifiedAt: str(),
    receivedAt: str(),
    restricted: z.optional(z.boolean()),
  }),
  { id: 'Alarm' },
);

export const AlarmListSchema = pageOf(AlarmSchema, 'AlarmList');

/** ALARM-2: incidents and maintenance alerts of one organisation, newest modified first. */
export const MonitoringRangeQuery = z
  .strictObject({ from: z.optional(FromSchema), to: z.optional(ToSchema), limit: LimitSchema, cursor: CursorSchema })
  .check(z.refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'must not be before from', path: ['to'] }));
export type MonitoringRangeQuery = z.infer<typeof MonitoringRangeQuery>;

export const IncidentSchema = meta(
  z.object({
    id: str(),
    orgId: str(),
    // Free text: absent from the restricted view (PRIV-1).
    title: z.optional(str()),
    status: str(),
    productLine: z.optional(str()),
    modifiedAt: str(),
    receivedAt: str(),
    restricted: z.optional(z.boolean()),
  }),
  { id: 'CloudIncident' },
);
export const IncidentListSchema = pageOf(IncidentSchema, 'CloudIncidentList');

export const MaintenanceSchema = meta(
  z.object({
    id: str(),
    /** The organisation asked about (an alert's other organisations are not shown). */
    orgIds: z.array(str()),
    title: z.optional(str()),
    status: str(),
    window: z.object({ start: str(), end: str() }),
    modifiedAt: str(),
    receivedAt: str(),
    restricted: z.optional(z.boolean()),
  }),
  { id: 'MaintenanceAlert' },
);
export const MaintenanceListSchema = pageOf(MaintenanceSchema, 'MaintenanceAlertList');

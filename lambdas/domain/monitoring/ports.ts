/** ALARM-1, ALARM-2: what monitoring stores and the repository that stores it. */
import type { Page, PageRequest } from '../kernel/ports';

export const ALARM_SEVERITIES = ['critical', 'major', 'minor'] as const;
export type AlarmSeverity = (typeof ALARM_SEVERITIES)[number];
export const ALARM_STATUSES = ['active', 'closed'] as const;
export type AlarmStatus = (typeof ALARM_STATUSES)[number];

/** Entries of one ingest request, at most. */
export const INGEST_BATCH_MAX = 100;
/** Organisations one maintenance alert may name, at most. */
export const MAINTENANCE_ORGS_MAX = 100;
/** Origins one alarm list may leave out, at most. */
export const EXCLUDED_ORIGINS_MAX = 20;

/** ALARM-1: one alarm of an organisation with Remote Alarm Monitoring, as ingested. */
export interface Alarm {
  /** The monitoring source's own id: resends carry the same one. */
  id: string;
  orgId: string;
  severity: AlarmSeverity;
  server: string;
  appName: string;
  origin: string;
  description: string;
  status: AlarmStatus;
  /** The source's modified time: a resend wins only when it is later. */
  modifiedAt: string;
  /** When Casework stored this version. */
  receivedAt: string;
}

/** ALARM-2: a cloud incident of an organisation with a cloud deployment. */
export interface CloudIncident {
  id: string;
  orgId: string;
  title: string;
  /** The source's status token (investigating, identified, monitoring, resolved...). */
  status: string;
  productLine?: string;
  modifiedAt: string;
  receivedAt: string;
}

/** ALARM-2: a maintenance alert for one or more organisations. */
export interface MaintenanceAlert {
  id: string;
  orgIds: string[];
  title: string;
  status: string;
  window: { start: string; end: string };
  modifiedAt: string;
  receivedAt: string;
}

export type IngestKind = 'alarm' | 'incident' | 'maintenance';

/** How one stored write went: a new record, a later version, or nothing (not newer than the stored one). */
export type StoreResult = 'created' | 'updated' | 'not-newer';

export interface AlarmFilter {
  type: 'all' | 'active' | 'closed';
  severities?: AlarmSeverity[];
  /** modifiedAt >= from, <= to. */
  from?: string;
  to?: string;
  /** Origins to leave out, compared case-insensitively. */
  excludeOrigins?: string[];
}

export interface MonitoringRepo {
  /** Stores the alarm unless the stored one is at least as recent (by modifiedAt). */
  putAlarm(a: Alarm): Promise<StoreResult>;
  putIncident(i: CloudIncident): Promise<StoreResult>;
  putMaintenance(m: MaintenanceAlert): Promise<StoreResult>;
  getAlarm(orgId: string, id: string): Promise<Alarm | undefined>;
  /** An organisation's alarms, newest (modifiedAt) first, by Query. */
  listAlarms(orgId: string, filter: AlarmFilter, page: PageRequest): Promise<Page<Alarm>>;
  /** ALARM-2: an organisation's cloud incidents, newest (modifiedAt) first, by Query. */
  listIncidents(orgId: string, range: { from?: string; to?: string }, page: PageRequest): Promise<Page<CloudIncident>>;
  /** ALARM-2: the maintenance alerts that name the organisation, newest (modifiedAt) first, by Query. */
  listMaintenance(orgId: string, range: { from?: string; to?: string }, page: PageRequest): Promise<Page<MaintenanceAlert>>;
}

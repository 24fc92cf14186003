/**
 * ACC-1, ACC-4: the CRM's directory batches and a portal admin's contract change. A batch body is
 * checked as a whole (1-100 entries over its three sections: anything else is 400), then each
 * entry on its own, so one bad entry does not turn the good ones away.
 */
import * as z from 'zod/mini';
import type { CombinationInput, ContractInput, DirectoryBatch, OrganisationInput } from '../domain/access/directory';
import { combinationId, DIRECTORY_SECTIONS } from '../domain/access/directory';
import { INGEST_BATCH_MAX } from '../domain/monitoring/ports';
import { CONTRACT_STATUSES } from '../domain/kernel/types';
import { int, meta, str } from './common';
import { parseEntries, Time } from './monitoring';

/** Org IDs and contract ids are parts of keys: a restricted alphabet (no `#`, no `/`). */
const RecordId = str().check(z.regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1-64 letters, digits, ".", "_", ":" or "-"'));
const Text = (max: number) => str().check(z.trim(), z.minLength(1), z.maxLength(max));
const TimeZone = str().check(
  z.refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'must be an IANA time zone (Europe/Berlin)' },
  ),
);

export const OrganisationEntry = meta(
  z.strictObject({
    orgId: RecordId,
    name: Text(200),
    type: z.enum(['customer', 'partner']),
    region: Text(16),
    timeZone: TimeZone,
    gdpr: z.boolean(),
    fedramp: z.boolean(),
    alarmMonitoring: z.boolean(),
    deployments: z._default(
      z.array(z.strictObject({ productLine: Text(100), hosting: z.enum(['cloud', 'on_premises']) })).check(z.maxLength(50)),
      [],
    ),
    /** ACC-7: the partner that manages this end user. */
    managedBy: z.optional(RecordId),
    modifiedAt: Time,
  }),
  { id: 'OrganisationEntry' },
);

export const CombinationEntry = meta(z.strictObject({ endUserOrgId: RecordId, soldToOrgId: RecordId, modifiedAt: Time }), {
  id: 'CombinationEntry',
});

export const ContractEntry = meta(
  z.strictObject({
    contractId: RecordId,
    endUserOrgId: RecordId,
    soldToOrgId: RecordId,
    status: z.enum(CONTRACT_STATUSES),
    modifiedAt: Time,
  }),
  { id: 'ContractEntry' },
);

const section = (entry: string) =>
  meta(z.optional(z.array(z.unknown()).check(z.maxLength(INGEST_BATCH_MAX))), {
    description: `Each a ${entry}; each entry is checked on its own`,
  });

export const DirectoryBatchBody = meta(
  z
    .strictObject({
      organisations: section('OrganisationEntry'),
      combinations: section('CombinationEntry'),
      contracts: section('ContractEntry'),
    })
    .check(
      z.refine(
        (b) => {
          const n = DIRECTORY_SECTIONS.reduce((sum, s) => sum + (b[s]?.length ?? 0), 0);
          return n >= 1 && n <= INGEST_BATCH_MAX;
        },
        { message: `must hold 1-${INGEST_BATCH_MAX} entries in all` },
      ),
    ),
  { id: 'DirectoryBatch' },
);

export const parseDirectory = (body: z.infer<typeof DirectoryBatchBody>): DirectoryBatch => ({
  organisations: parseEntries<OrganisationInput>(
    OrganisationEntry as z.ZodMiniType<OrganisationInput>,
    body.organisations ?? [],
    'organisations',
    (e) => e.orgId,
  ),
  combinations: parseEntries<CombinationInput>(CombinationEntry, body.combinations ?? [], 'combinations', (e) =>
    typeof e.endUserOrgId === 'string' && typeof e.soldToOrgId === 'string'
      ? combinationId({ endUserOrgId: e.endUserOrgId, soldToOrgId: e.soldToOrgId })
      : undefined,
  ),
  contracts: parseEntries<ContractInput>(ContractEntry, body.contracts ?? [], 'contracts', (e) => e.contractId),
});

export const DirectoryReportSchema = meta(
  z.object({
    received: int(),
    stored: int(),
    unchanged: int(),
    rejected: int(),
    results: z.array(
      z.object({
        section: z.enum(DIRECTORY_SECTIONS),
        index: int(),
        id: z.optional(str()),
        outcome: z.enum(['created', 'updated', 'unchanged', 'rejected']),
        reason: z.optional(str()),
        detail: z.optional(str()),
        errors: z.optional(z.array(z.object({ path: str(), message: str() }))),
      }),
    ),
  }),
  { id: 'DirectoryIngestReport' },
);

export const ContractParams = z.strictObject({ contractId: RecordId });
export const ContractStatusBody = meta(z.strictObject({ status: z.enum(CONTRACT_STATUSES) }), { id: 'ContractStatus' });
export const ContractChangedSchema = meta(
  z.object({
    contract: z.object({
      contractId: str(),
      endUserOrgId: str(),
      soldToOrgId: str(),
      status: z.enum(CONTRACT_STATUSES),
      modifiedAt: z.optional(str()),
    }),
    /** ACC-5: the end-user organisation's effective Designated Contacts after the change. */
    designatedContacts: int(),
    shortfall: z.boolean(),
  }),
  { id: 'ContractChanged' },
);

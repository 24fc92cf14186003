/**
 * ACC-1, ACC-4, ACC-5: the directory as the vendor's CRM keeps it (organisations, combinations,
 * contracts), and a portal admin's termination or reinstatement of one contract.
 *
 * Ingestion is idempotent as monitoring's is (ALARM-1): each record is keyed by its own id and
 * replaced only by a later `modifiedAt`, so a resend changes nothing; a batch is judged entry by
 * entry, and each entry is answered with its outcome. Organisations are stored first, then
 * combinations, then contracts, so one batch may name an organisation and its contracts.
 *
 * Levels are never stored as a consequence: the policy derives them from the contracts on every
 * request (kernel/levels.ts), so a termination takes effect on the caller's next request. What a
 * change does store is what follows from it: the organisation's events (the contract's change and,
 * when it leaves a customer organisation under two Designated Contacts, the `designated-shortfall`
 * event the table stream carries to its approvers), in the same transaction, at the
 * organisation's membership version, as a member's level change is.
 */
import { mapLimit } from '../kernel/concurrency';
import type { Deps } from '../kernel/deps';
import { forbidden, notFound, type FieldError } from '../kernel/errors';
import { LOST_RACE, retryOptimistic, type Attempt } from '../kernel/optimistic';
import { accountAccess, staffOf, type Caller } from '../kernel/policy';
import { renderFor, type Rendered } from '../kernel/rendered';
import type { Combination, Contract, ContractStatus, Membership, Org, OrgEvent } from '../kernel/types';
import { ingestReport, invalid, machineOnly, tooNew, type ParsedEntry } from '../monitoring/monitoring';
import { countDesignated, MIN_DESIGNATED, membersCombinations, shortfallEvent } from './shortfall';

export type OrganisationInput = Org & { modifiedAt: string };

export interface CombinationInput {
  endUserOrgId: string;
  soldToOrgId: string;
  modifiedAt: string;
}

export interface ContractInput {
  contractId: string;
  endUserOrgId: string;
  soldToOrgId: string;
  status: ContractStatus;
  modifiedAt: string;
}

export const DIRECTORY_SECTIONS = ['organisations', 'combinations', 'contracts'] as const;
export type DirectorySection = (typeof DIRECTORY_SECTIONS)[number];

/** Why an entry was not stored. */
export type DirectoryRejectReason = 'invalid' | 'unknown-organisation' | 'unknown-partner' | 'contract-elsewhere' | 'type-change';

export interface DirectoryEntryResult {
  section: DirectorySection;
  /** The entry's place in its section's array. */
  index: number;
  /** orgId; `endUserOrgId/soldToOrgId`; contractId. */
  id?: string;
  outcome: 'created' | 'updated' | 'unchanged' | 'rejected';
  reason?: DirectoryRejectReason | 'not-newer';
  detail?: string;
  errors?: FieldError[];
}

export interface DirectoryReport {
  received: number;
  stored: number;
  unchanged: number;
  rejected: number;
  results: DirectoryEntryResult[];
}

export interface DirectoryBatch {
  organisations: ParsedEntry<OrganisationInput>[];
  combinations: ParsedEntry<CombinationInput>[];
  contracts: ParsedEntry<ContractInput>[];
}

type Outcome = Pick<DirectoryEntryResult, 'outcome' | 'reason' | 'detail' | 'errors'>;

const rejected = (reason: DirectoryRejectReason, detail: string): Outcome => ({ outcome: 'rejected', reason, detail });
const NOT_NEWER: Outcome = {
  outcome: 'unchanged',
  reason: 'not-newer',
  detail: 'the stored version is as recent or more recent',
};

export const combinationId = (c: { endUserOrgId: string; soldToOrgId: string }): string => `${c.endUserOrgId}/${c.soldToOrgId}`;

/** Writes in flight at once, as monitoring's ingest. */
const STORE_CONCURRENCY = 8;

/** A CRM names customers and partners; the vendor's own organisation is not the CRM's to change. */
const unknownOrg = (org: Org | undefined, orgId: string): Outcome | undefined =>
  !org || org.type === 'vendor' ? rejected('unknown-organisation', `${orgId} is not a known organisation`) : undefined;

/**
 * What a change does to the levels of one organisation's members: the Designated Contacts
 * before and after (each membership judged by the policy's own function, ACC-4, ACC-7), and the
 * ACC-5 event when the organisation falls under two.
 */
const levelEffects = async (
  deps: Pick<Deps, 'directory' | 'ids'>,
  change: {
    before: Org;
    after: Org;
    /** The combination as it will be stored, if the change is one. */
    combination?: Combination;
    actorId: string;
    at: string;
  },
): Promise<{ designatedContacts: number; events: OrgEvent[] }> => {
  const members: Membership[] = await deps.directory.listOrgMembers(change.before.orgId, { consistent: true });
  const combinations = await membersCombinations(deps, members, { consistent: true });
  const changed = change.combination;
  const next = changed
    ? [...combinations.filter((c) => c.endUserOrgId !== changed.endUserOrgId || c.soldToOrgId !== changed.soldToOrgId), changed]
    : combinations;
  const before = countDesignated(change.before, members, combinations);
  const after = countDesignated(change.after, members, next);
  const shortfall = shortfallEvent(deps, { org: change.after, members, before, after, actorId: change.actorId, at: change.at });
  return { designatedContacts: after, events: shortfall ? [shortfall] : [] };
};

/** ACC-1: one organisation, replaced only by a later version. */
const storeOrganisation = (
  deps: Pick<Deps, 'directory' | 'clock' | 'ids'>,
  actorId: string,
  input: OrganisationInput,
): Promise<Outcome> =>
  retryOptimistic('organisation', async (): Promise<Attempt<Outcome>> => {
    const membersVersion = await deps.directory.getMembersVersion(input.orgId);
    const [stored] = await deps.directory.getOrgs([input.orgId], { consistent: true });
    if (stored?.type === 'vendor' || input.type === 'vendor') return unknownOrg(undefined, input.orgId)!;
    if (stored?.modifiedAt && stored.modifiedAt >= input.modifiedAt) return NOT_NEWER;
    const at = deps.clock.now().toISOString();
    // A partner (ACC-7) changes whose people act for whom: its members' levels may move.
    const { events } = stored ? await levelEffects(deps, { before: stored, after: input, actorId, at }) : { events: [] };
    if (!(await deps.directory.saveOrganisation(input, events, { membersVersion }))) return LOST_RACE;
    return { outcome: stored ? 'updated' : 'created' };
  });

/** ACC-1: a combination, created with no contracts or its time moved on; its contracts are kept. */
const storeCombination = (deps: Pick<Deps, 'directory' | 'clock' | 'ids'>, input: CombinationInput): Promise<Outcome> =>
  retryOptimistic('organisation', async (): Promise<Attempt<Outcome>> => {
    const membersVersion = await deps.directory.getMembersVersion(input.endUserOrgId);
    const orgs = new Map(
      (await deps.directory.getOrgs([input.endUserOrgId, input.soldToOrgId], { consistent: true })).map((o) => [o.orgId, o]),
    );
    const refused =
      unknownOrg(orgs.get(input.endUserOrgId), input.endUserOrgId) ?? unknownOrg(orgs.get(input.soldToOrgId), input.soldToOrgId);
    if (refused) return refused;
    const [stored] = await deps.directory.getCombinations([input], { consistent: true });
    if (stored?.modifiedAt && stored.modifiedAt >= input.modifiedAt) return NOT_NEWER;
    const next: Combination = {
      endUserOrgId: input.endUserOrgId,
      soldToOrgId: input.soldToOrgId,
      contracts: stored?.contracts ?? [],
      modifiedAt: input.modifiedAt,
    };
    if (!(await deps.directory.saveCombination(next, [], { membersVersion }, []))) return LOST_RACE;
    return { outcome: stored ? 'updated' : 'created' };
  });

interface ContractChange {
  contract: Contract & { endUserOrgId: string; soldToOrgId: string };
  designatedContacts: number;
}

/**
 * ACC-4: sets one contract's status (creating the contract, and its combination, when new).
 * `ifNewer`: the CRM's rule, only a later modifiedAt replaces the stored one; without it (a
 * portal admin) the change is made now, and a status already held changes nothing.
 */
const changeContract = (
  deps: Pick<Deps, 'directory' | 'clock' | 'ids'>,
  actorId: string,
  input: ContractInput,
  opts: { ifNewer: boolean },
): Promise<{ outcome: Outcome; change?: ContractChange }> =>
  retryOptimistic('organisation', async (): Promise<Attempt<{ outcome: Outcome; change?: ContractChange }>> => {
    const { contractId, endUserOrgId, soldToOrgId } = input;
    const membersVersion = await deps.directory.getMembersVersion(endUserOrgId);
    const held = await deps.directory.findContract(contractId);
    if (held && (held.endUserOrgId !== endUserOrgId || held.soldToOrgId !== soldToOrgId)) {
      return { outcome: rejected('contract-elsewhere', `${contractId} belongs to ${combinationId(held)}`) };
    }
    const orgs = new Map(
      (await deps.directory.getOrgs([endUserOrgId, soldToOrgId], { consistent: true })).map((o) => [o.orgId, o]),
    );
    const org = orgs.get(endUserOrgId);
    const refused = unknownOrg(org, endUserOrgId) ?? unknownOrg(orgs.get(soldToOrgId), soldToOrgId);
    if (refused || !org) return { outcome: refused ?? rejected('unknown-organisation', `${endUserOrgId} is not known`) };
    const [stored] = await deps.directory.getCombinations([input], { consistent: true });
    const current = stored?.contracts.find((k) => k.contractId === contractId);
    if (opts.ifNewer && current?.modifiedAt && current.modifiedAt >= input.modifiedAt) return { outcome: NOT_NEWER };
    const contract: Contract = { contractId, status: input.status, modifiedAt: input.modifiedAt };
    const next: Combination = {
      ...(stored ?? { endUserOrgId, soldToOrgId }),
      contracts: [...(stored?.contracts ?? []).filter((k) => k.contractId !== contractId), contract],
    };
    const at = deps.clock.now().toISOString();
    // Taken first: event ids sort in the order taken, and the change comes before what follows it.
    const eventId = deps.ids.next();
    const effects = await levelEffects(deps, { before: org, after: org, combination: next, actorId, at });
    const unchanged = !opts.ifNewer && current?.status === input.status;
    const answer = (outcome: Outcome, kept: Contract) => ({
      outcome,
      change: { contract: { ...kept, endUserOrgId, soldToOrgId }, designatedContacts: effects.designatedContacts },
    });
    if (unchanged) return answer({ outcome: 'unchanged' }, current);
    // A new contract only adds access (no event, as the directory it arrives with records none);
    // a changed status is recorded, and what it leads to.
    const events: OrgEvent[] =
      !current || current.status === input.status
        ? []
        : [
            {
              orgId: endUserOrgId,
              eventId,
              at,
              type: 'contract-status-changed',
              actorId,
              contract: { contractId, soldToOrgId, from: current.status, to: input.status },
            },
            ...effects.events,
          ];
    if (!(await deps.directory.saveCombination(next, events, { membersVersion }, [contractId]))) return LOST_RACE;
    return answer({ outcome: current ? 'updated' : 'created' }, contract);
  });

interface Plan<T> {
  section: DirectorySection;
  index: number;
  id?: string;
  /** Entries on the same organisation are stored one after another, in batch order. */
  group: string;
  value?: T;
  result?: Outcome;
}

const runSection = async <T>(plans: Plan<T>[], store: (value: T) => Promise<Outcome>): Promise<void> => {
  const groups = new Map<string, Plan<T>[]>();
  for (const p of plans) if (p.value !== undefined) groups.set(p.group, [...(groups.get(p.group) ?? []), p]);
  await mapLimit([...groups.values()], STORE_CONCURRENCY, async (group) => {
    for (const p of group) p.result = await store(p.value!);
  });
};

/**
 * POST /ingest/directory (ACC-1, ACC-4): what the vendor's CRM sends, at most INGEST_BATCH_MAX
 * entries over the three sections. A bad entry is answered with its section, index, id and
 * reason; the others are stored. An organisation managed by a partner (ACC-7) must name one
 * that is stored, or sent in the same batch.
 */
export const ingestDirectory = async (
  deps: Pick<Deps, 'directory' | 'clock' | 'ids'>,
  caller: Caller,
  batch: DirectoryBatch,
): Promise<DirectoryReport> => {
  machineOnly(caller);
  const now = deps.clock.now();
  const valueOf = <T>(e: ParsedEntry<T>): T | undefined => ('value' in e ? e.value : undefined);
  const plan = <T extends { modifiedAt: string }>(
    section: DirectorySection,
    entries: ParsedEntry<T>[],
    groupOf: (v: T) => string,
    check: (v: T) => Outcome | undefined = () => undefined,
  ): Plan<T>[] =>
    entries.map((e) => {
      const v = valueOf(e);
      const base = { section, index: e.index, ...(e.id !== undefined ? { id: e.id } : {}) };
      if (!v) return { ...base, group: '', result: invalid('errors' in e ? e.errors : []) };
      const refused = tooNew(v.modifiedAt, now, `${section}.${e.index}.modifiedAt`) ?? check(v);
      return refused ? { ...base, group: '', result: refused } : { ...base, group: groupOf(v), value: v };
    });

  const named = batch.organisations.flatMap((e) => valueOf(e)?.managedBy ?? []);
  const storedPartners = named.length ? await deps.directory.getOrgs([...new Set(named)]) : [];
  const partners = new Set([
    ...storedPartners.filter((o) => o.type === 'partner').map((o) => o.orgId),
    ...batch.organisations.flatMap((e) => (valueOf(e)?.type === 'partner' ? [valueOf(e)!.orgId] : [])),
  ]);
  const orgPlans = plan(
    'organisations',
    batch.organisations,
    (v) => v.orgId,
    (v) =>
      v.managedBy !== undefined && (!partners.has(v.managedBy) || v.managedBy === v.orgId)
        ? rejected('unknown-partner', `${v.managedBy} is not a known partner`)
        : undefined,
  );
  const combinationPlans = plan('combinations', batch.combinations, (v) => v.endUserOrgId);
  const contractPlans = plan('contracts', batch.contracts, (v) => v.endUserOrgId);

  await runSection(orgPlans, (v) => storeOrganisation(deps, caller.id, v));
  await runSection(combinationPlans, (v) => storeCombination(deps, v));
  await runSection(contractPlans, async (v) => (await changeContract(deps, caller.id, v, { ifNewer: true })).outcome);

  return ingestReport(
    [...orgPlans, ...combinationPlans, ...contractPlans].map((p): DirectoryEntryResult => ({
      section: p.section,
      index: p.index,
      ...(p.id !== undefined ? { id: p.id } : {}),
      ...p.result!,
    })),
  );
};

/**
 * PUT /admin/contracts/{contractId} (ACC-4): a portal admin terminates or reinstates a contract.
 * The levels it gates follow on every member's next request; the answer says how many
 * Designated Contacts the organisation has now, and whether that is under two (ACC-5).
 */
export const setContractStatus = async (
  deps: Pick<Deps, 'directory' | 'clock' | 'ids'>,
  caller: Caller,
  contractId: string,
  status: ContractStatus,
): Promise<Rendered<ContractChange & { shortfall: boolean }>> => {
  if (staffOf(caller)?.role !== 'admin') throw forbidden('Only portal admins change contracts.');
  const held = await deps.directory.findContract(contractId);
  if (!held) throw notFound();
  const [org] = await deps.directory.getOrgs([held.endUserOrgId]);
  // PRIV-2 (and PRIV-3): an organisation the caller's client may not be shown does not exist for them.
  const access = org ? accountAccess(caller, org) : 'none';
  if (access === 'none') throw notFound();
  const [combination] = await deps.directory.getCombinations([held], { consistent: true });
  const current = combination?.contracts.find((k) => k.contractId === contractId);
  if (!current) throw notFound();
  const now = deps.clock.now().toISOString();
  // A later CRM record still wins over the admin's change; one as old as the stored does not.
  const modifiedAt = current.modifiedAt && current.modifiedAt > now ? current.modifiedAt : now;
  const { change } = await changeContract(deps, caller.id, { ...held, status, modifiedAt }, { ifNewer: false });
  // Moved or gone between the two reads: as if it had not been there.
  if (!change) throw notFound();
  return renderFor('http', access, { ...change, shortfall: change.designatedContacts < MIN_DESIGNATED });
};

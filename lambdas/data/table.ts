/**
 * The single table, described once. The CDK construct (lib/constructs/casework-table.ts) and local
 * mode (local/emulators.ts) both build the table from this object, so they cannot drift.
 * Every index here is named after the access patterns it serves; keys.ts builds the values.
 */
export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly purpose: string;
}

export const TABLE = {
  partitionKey: 'PK',
  sortKey: 'SK',
  /** DynamoDB TTL attribute (epoch seconds): idempotency records, sessions, inbox entries. */
  ttlAttribute: 'expiresAt',
  indexes: {
    /** Case lists by priority (severity, then most recently modified); org-name prefix search; user by email. */
    byPriority: {
      name: 'GSI1',
      partitionKey: 'GSI1PK',
      sortKey: 'GSI1SK',
      purpose: 'cases of an org (open|closed) by priority; organisations by name; users by email',
    },
    /** Case lists by last modified; an organisation's alarms by modified time (ALARM-1). */
    byModified: {
      name: 'GSI2',
      partitionKey: 'GSI2PK',
      sortKey: 'GSI2SK',
      purpose:
        'cases of an org (open|closed) by last modified; alarms of an org (active|closed) by modified time; members an org sold to',
    },
    /** Cases of an org by creation time: closed lists and search with a created-date range. */
    byCreated: {
      name: 'GSI3',
      partitionKey: 'GSI3PK',
      sortKey: 'GSI3SK',
      purpose: 'cases of an org by created time; members of an org',
    },
    /** Cases a contact opened ("mine") and cases a staff member owns; the push devices of a user (NOTE-1). */
    byPerson: {
      name: 'GSI4',
      partitionKey: 'GSI4PK',
      sortKey: 'GSI4SK',
      purpose: "cases by contact or by owner, last modified first; a user's push devices",
    },
    /** Sparse: only items that wait on a timer (cases awaiting the customer, pending access requests). */
    waiting: {
      name: 'GSI5',
      partitionKey: 'GSI5PK',
      sortKey: 'GSI5SK',
      purpose: 'items waiting since a time, for the scheduled sweep',
    },
  },
} as const satisfies {
  partitionKey: string;
  sortKey: string;
  ttlAttribute: string;
  indexes: Record<string, IndexDefinition>;
};

export type IndexName = keyof typeof TABLE.indexes;

export const indexList = (): IndexDefinition[] => Object.values(TABLE.indexes);

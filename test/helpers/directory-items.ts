/** Acme's directory items as the table stores them, for unit tests that mock DynamoDB's answers. */
import { org } from './demo-caller';

export const ACME_ORG_ITEM = { PK: 'ORG#ORG-ACME', SK: 'ORG', ...org('ORG-ACME', { name: 'Acme Corp' }) };

/** Acme sold to itself, under an active contract (ACC-4: designated access holds). */
export const ACME_COMBINATION_ITEM = {
  PK: 'ORG#ORG-ACME',
  SK: 'COMBINATION#ORG-ACME',
  endUserOrgId: 'ORG-ACME',
  soldToOrgId: 'ORG-ACME',
  contracts: [{ contractId: 'c', status: 'active' }],
};

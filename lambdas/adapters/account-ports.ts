/**
 * The sign-in accounts port (ACC-6 approvals): Cognito, or the directory in local mode
 * (./user-accounts). Imported only by the function that grants accounts, so the others' bundles
 * carry no Cognito client (lambdas/adapters/deps.ts, OwnPorts).
 */
import type { OwnPorts } from './deps';
import { userAccounts } from './user-accounts';

export const ACCOUNT_PORTS = { userAccounts } as const satisfies OwnPorts;

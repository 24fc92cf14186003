/** Binding `userPool` (ACC-6 approvals): Cognito, or the directory in local mode (../user-accounts). */
import { installPorts } from '../deps';
import { userAccounts } from '../user-accounts';

installPorts({ userAccounts });

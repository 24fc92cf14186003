/** ACC-9: Terms and Conditions. */
import { CURRENT_TERMS } from '../kernel/catalogue';
import { validation } from '../kernel/errors';
import type { Caller } from '../kernel/policy';
import type { Deps } from '../kernel/deps';

export const currentTerms = () => ({ version: CURRENT_TERMS.version, text: CURRENT_TERMS.text });

export const acceptTerms = async (deps: Pick<Deps, 'directory' | 'clock'>, caller: Caller, version: string) => {
  if (version !== CURRENT_TERMS.version) {
    throw validation([{ path: 'version', message: `is not the current version (${CURRENT_TERMS.version})` }]);
  }
  const acceptedAt = deps.clock.now().toISOString();
  await deps.directory.acceptTerms(caller.id, version, acceptedAt);
  return { version, acceptedAt, termsAccepted: true };
};

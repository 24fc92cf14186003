/**
 * The node test environment, remembering whether anything in the file failed: local mode keeps
 * its functions' logs and metrics to itself and prints them only then (test/helpers/local-mode.ts).
 */
import { TestEnvironment } from 'jest-environment-node';

export const FAILED = 'caseworkTestFailed';

export default class CaseworkEnvironment extends TestEnvironment {
  handleTestEvent = (event: { name: string }): void => {
    if (event.name === 'test_fn_failure' || event.name === 'hook_failure') this.global[FAILED] = true;
  };
}

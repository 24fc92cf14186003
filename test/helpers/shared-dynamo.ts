/**
 * jest globalSetup/globalTeardown of the integration and e2e tiers: one DynamoDB Local (one
 * JVM) for the whole run, which every test file shares with a table of its own
 * (test/helpers/local-mode.ts). The workers find it through the environment they inherit.
 */
import { startDynamo, type Emulator } from '../../local/emulators';

export const SHARED_DYNAMO_ENV = 'CASEWORK_TEST_DYNAMO_ENDPOINT';

const holder = globalThis as { caseworkSharedDynamo?: Emulator };

export const setup = async (): Promise<void> => {
  if (process.env[SHARED_DYNAMO_ENV]) return;
  holder.caseworkSharedDynamo = await startDynamo({ port: 0 });
  process.env[SHARED_DYNAMO_ENV] = holder.caseworkSharedDynamo.endpoint;
};

export const teardown = async (): Promise<void> => {
  await holder.caseworkSharedDynamo?.stop();
  delete holder.caseworkSharedDynamo;
  delete process.env[SHARED_DYNAMO_ENV];
};

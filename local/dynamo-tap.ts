/**
 * An HTTP tap in front of DynamoDB Local. Local mode runs every function in its own worker with
 * its own SDK client, so whatever must see the requests the functions really send (the capacity
 * meter of bench:capacity, the IAM drift test) sits on the wire between them and DynamoDB Local,
 * where it sees the low-level API exactly as DynamoDB receives it.
 */
import { createServer, request } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';

/**
 * Where a function's requests go when local mode names them (LocalOptions.namedFunctions): under
 * this path of the tap, which strips it before DynamoDB Local sees the request.
 */
export const functionPath = (name: string): string => `/fn/${name}`;
const FUNCTION_PATH = /^\/fn\/([\w-]+)(\/.*)?$/;

export interface TapHooks {
  /**
   * Sees each request (operation, e.g. `PutItem`, its JSON input, and the function that sent it
   * when local mode names them); may return a replacement input, or a refusal that DynamoDB Local
   * never sees.
   */
  onRequest?(operation: string, input: Record<string, unknown>, fn?: string): Record<string, unknown> | { refuse: string } | void;
  /** Sees each answer DynamoDB Local gave, with the function it went back to when local mode names them. */
  onResponse?(operation: string, output: unknown, fn?: string): void;
}

export interface DynamoTap {
  url: string;
  /** How many connections it has accepted so far, and how many requests it read on them. */
  seen(): { connections: number; requests: number };
  close(): Promise<void>;
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** `port`: where to listen (a free one by default). */
export const startDynamoTap = async (target: string, hooks: TapHooks, opts: { port?: number } = {}): Promise<DynamoTap> => {
  const upstream = new URL(target);
  let accepted = 0;
  let requests = 0;
  const http = createServer((req, res) => {
    requests++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
      let body = Buffer.concat(chunks);
      const named = FUNCTION_PATH.exec(req.url ?? '');
      const path = named ? (named[2] ?? '/') : req.url;
      // Read once per request: with no hook the tap only forwards, parsing nothing.
      const { onRequest, onResponse } = hooks;
      const decided = onRequest?.(operation, (parse(body.toString('utf8')) ?? {}) as Record<string, unknown>, named?.[1]);
      if (decided && 'refuse' in decided) {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#AccessDeniedException', message: decided.refuse }));
        return;
      }
      if (decided) body = Buffer.from(JSON.stringify(decided));
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          path,
          method: req.method,
          headers: { ...req.headers, 'content-length': body.length },
        },
        (up) => {
          res.writeHead(up.statusCode ?? 500, up.headers);
          if (!onResponse) {
            up.pipe(res);
            return;
          }
          const out: Buffer[] = [];
          up.on('data', (c: Buffer) => out.push(c));
          up.on('end', () => {
            const answer = Buffer.concat(out);
            onResponse(operation, parse(answer.toString('utf8')), named?.[1]);
            res.end(answer);
          });
        },
      );
      forward.on('error', (err) => {
        res.writeHead(502);
        res.end(String(err));
      });
      forward.end(body);
    });
  });
  // Every connection, to end at close: a client's keep-alive connection would otherwise hold
  // close() until it idles out (the stream poller's, 12 s in its test). Functions that nothing
  // watches do not come here at all: a jest worker's kept containers bypass the tap meanwhile
  // (local/function-worker.ts).
  const connections = new Set<Socket>();
  const server = createTcpServer((socket) => {
    connections.add(socket);
    accepted++;
    socket.on('close', () => connections.delete(socket));
    http.emit('connection', socket);
  });
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', failed);
      listening();
    });
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen: () => ({ connections: accepted, requests }),
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        for (const socket of connections) socket.destroy();
      }),
  };
};

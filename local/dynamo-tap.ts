/**
 * An HTTP tap in front of DynamoDB Local. Local mode runs every function in its own worker with
 * its own SDK client, so whatever must see the requests the functions really send (the capacity
 * meter of bench:capacity, the IAM drift test) sits on the wire between them and DynamoDB Local,
 * where it sees the low-level API exactly as DynamoDB receives it.
 */
import { createServer, request } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';

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
  /**
   * Ends the connections opened while there were no hooks, which pass the bytes through unread:
   * call it once hooks are set, so that every request after it is seen (a new connection is read
   * whenever there are hooks). Their clients open new connections: an idle keep-alive
   * connection's close is an ordinary event for an HTTP client.
   */
  dropUnwatched(): void;
  /** How many connections it has accepted so far, and how many requests it read on them (watched ones). */
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
  // A connection opened while nothing watches passes its bytes through unread: parsing and
  // writing each request again cost the authorization matrix, the e2e tier's busiest file, about
  // 6 % of its CPU. DynamoDB Local answers on any path, so a function's /fn/<name> prefix
  // (functionPath) needs no stripping there.
  const unwatched = new Set<Socket>();
  // Every connection, to end at close: a client's keep-alive connection would otherwise hold
  // close() until it idles out (the stream poller's, 12 s in its test).
  const connections = new Set<Socket>();
  const server = createTcpServer((socket) => {
    connections.add(socket);
    accepted++;
    socket.on('close', () => connections.delete(socket));
    if (hooks.onRequest || hooks.onResponse) {
      http.emit('connection', socket);
      return;
    }
    unwatched.add(socket);
    const up = connect(Number(upstream.port), upstream.hostname);
    const end = () => {
      unwatched.delete(socket);
      socket.destroy();
      up.destroy();
    };
    socket.on('error', end).on('close', end);
    up.on('error', end).on('close', end);
    socket.pipe(up).pipe(socket);
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
    dropUnwatched: () => {
      for (const socket of unwatched) socket.destroy();
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        for (const socket of connections) socket.destroy();
      }),
  };
};

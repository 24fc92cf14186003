/**
 * The local stand-in for the chat WebSocket API: a `ws` server that does what API
 * Gateway does and nothing more. `$connect` runs the REQUEST authorizer (the query string is its
 * identity source) and then the $connect route with the authorizer's context; each frame goes to
 * `$default` (the route selection expression `$request.body.action` names no other route);
 * a close is `$disconnect`. The same server answers the management API on the same port
 * (`POST`/`GET`/`DELETE /@connections/{id}`, 410 GoneException for an unknown id), so the SDK
 * client the functions use in AWS posts to connections here too.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOn } from './http-server';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { LocalHandler } from './functions';

/** API Gateway's WebSocket message limit (frames are 32 KB; a message may span frames). */
export const MAX_MESSAGE_BYTES = 128 * 1024;
/** API Gateway closes a connection idle for 10 minutes, and any connection after 2 hours. */
const IDLE_MS = 10 * 60_000;
const MAX_CONNECTION_MS = 2 * 60 * 60_000;

export interface ChatSocketServer {
  /** ws://127.0.0.1:<port> */
  url: string;
  /** The management API endpoint (CHAT_CONNECTIONS_URL): http://127.0.0.1:<port> */
  managementUrl: string;
  port: number;
  close(): Promise<void>;
}

interface Live {
  ws: WebSocket;
  connectedAt: number;
  lastActiveAt: number;
  sourceIp: string;
  userAgent: string;
  /** Frames of one connection are handled in order. */
  queue: Promise<void>;
  idle?: NodeJS.Timeout;
  max?: NodeJS.Timeout;
}

const connectionId = () => randomBytes(12).toString('base64url');

const headersOf = (req: IncomingMessage): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headersDistinct)) if (v) out[k] = v.join(',');
  return out;
};

export const startChatSocket = async (opts: {
  port: number;
  host?: string;
  region: string;
  /** chat-authorize and chat-socket, each in its worker (local/functions.ts). */
  authorizer: LocalHandler;
  socket: LocalHandler;
  log?: (m: string) => void;
}): Promise<ChatSocketServer> => {
  const log = opts.log ?? (() => {});
  const host = opts.host ?? '127.0.0.1';
  const live = new Map<string, Live>();
  const ctx = () => ({ awsRequestId: randomUUID(), getRemainingTimeInMillis: () => 29_000 });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  const requestContext = (id: string, routeKey: string, eventType: string, extra: Record<string, unknown> = {}) => ({
    routeKey,
    eventType,
    connectionId: id,
    messageDirection: 'IN',
    requestId: randomUUID(),
    requestTimeEpoch: Date.now(),
    connectedAt: live.get(id)?.connectedAt ?? Date.now(),
    domainName: host,
    stage: 'local',
    apiId: 'local',
    ...extra,
  });

  const refuse = (socket: Duplex, status: number, text: string) => {
    socket.write(`HTTP/1.1 ${status} ${text}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    socket.destroy();
  };

  const touch = (id: string) => {
    const c = live.get(id);
    if (!c) return;
    c.lastActiveAt = Date.now();
    if (c.idle) clearTimeout(c.idle);
    c.idle = setTimeout(() => c.ws.close(1001, 'Going away: idle'), IDLE_MS);
    c.idle.unref();
  };

  const onUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    const query = Object.fromEntries(url.searchParams);
    const headers = headersOf(req);
    const id = connectionId();
    const identity = {
      sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      userAgent: headers['user-agent'] ?? '',
    };
    let authorizer: Record<string, unknown>;
    try {
      const result = (await opts.authorizer(
        {
          type: 'REQUEST',
          methodArn: `arn:aws:execute-api:${opts.region}:000000000000:local/local/$connect`,
          headers,
          queryStringParameters: query,
          requestContext: requestContext(id, '$connect', 'CONNECT', { identity }),
        },
        ctx(),
      )) as { principalId: string; policyDocument: { Statement: { Effect: string }[] }; context?: Record<string, unknown> };
      if (!result.policyDocument.Statement.every((s) => s.Effect === 'Allow')) return refuse(socket, 403, 'Forbidden');
      authorizer = { principalId: result.principalId, ...result.context };
    } catch {
      return refuse(socket, 401, 'Unauthorized');
    }
    let connected: { statusCode?: number } | undefined;
    try {
      connected = (await opts.socket(
        {
          requestContext: requestContext(id, '$connect', 'CONNECT', { authorizer, identity }),
          headers,
          queryStringParameters: query,
          isBase64Encoded: false,
        },
        ctx(),
      )) as { statusCode?: number } | undefined;
    } catch (err) {
      log(`chat $connect failed: ${String(err)}`);
      return refuse(socket, 500, 'Internal Server Error');
    }
    const status = connected?.statusCode ?? 200;
    if (status < 200 || status > 299) return refuse(socket, status, 'Refused');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const c: Live = { ws, connectedAt: Date.now(), lastActiveAt: Date.now(), ...identity, queue: Promise.resolve() };
      live.set(id, c);
      touch(id);
      c.max = setTimeout(() => ws.close(1001, 'Going away: 2 hours'), MAX_CONNECTION_MS);
      c.max.unref();
      log(`chat: ${id} connected (${String(authorizer.principalId)})`);
      ws.on('message', (data, isBinary) => {
        touch(id);
        const body = isBinary ? Buffer.from(data as Buffer).toString('base64') : data.toString();
        c.queue = c.queue.then(async () => {
          try {
            await opts.socket(
              {
                requestContext: requestContext(id, '$default', 'MESSAGE', { messageId: randomUUID(), identity }),
                body,
                isBase64Encoded: isBinary,
              },
              ctx(),
            );
          } catch (err) {
            log(`chat $default failed: ${String(err)}`);
          }
        });
      });
      ws.on('close', () => {
        if (c.idle) clearTimeout(c.idle);
        if (c.max) clearTimeout(c.max);
        live.delete(id);
        // After the frames already in flight, as API Gateway delivers $disconnect last.
        c.queue = c.queue.then(async () => {
          try {
            await opts.socket(
              { requestContext: requestContext(id, '$disconnect', 'DISCONNECT', { identity }), isBase64Encoded: false },
              ctx(),
            );
          } catch (err) {
            log(`chat $disconnect failed: ${String(err)}`);
          }
        });
      });
    });
  };

  const gone = (res: ServerResponse) => {
    const body = JSON.stringify({ message: null });
    res.writeHead(410, {
      'content-type': 'application/json',
      'x-amzn-errortype': 'GoneException',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  };

  /** The management API: @connections (any stage prefix, as the SDK puts the endpoint's path first). */
  const manage = async (req: IncomingMessage, res: ServerResponse) => {
    const match = /\/@connections\/([^/?]+)$/.exec((req.url ?? '').split('?')[0]);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (!match) {
      res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'NotFoundException' });
      res.end(JSON.stringify({ message: 'Not Found' }));
      return;
    }
    const id = decodeURIComponent(match[1]);
    const c = live.get(id);
    if (!c || c.ws.readyState !== WebSocket.OPEN) return gone(res);
    if (req.method === 'POST') {
      const data = Buffer.concat(chunks);
      if (data.length > MAX_MESSAGE_BYTES) {
        res.writeHead(413, { 'content-type': 'application/json', 'x-amzn-errortype': 'PayloadTooLargeException' });
        res.end(JSON.stringify({ message: 'Message too long' }));
        return;
      }
      c.ws.send(data.toString('utf8'));
      res.writeHead(200, { 'content-length': 0 });
      res.end();
    } else if (req.method === 'GET') {
      const body = JSON.stringify({
        ConnectedAt: new Date(c.connectedAt).toISOString(),
        LastActiveAt: new Date(c.lastActiveAt).toISOString(),
        Identity: { SourceIp: c.sourceIp, UserAgent: c.userAgent },
      });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    } else if (req.method === 'DELETE') {
      c.ws.close(1000, 'Closed by the server');
      res.writeHead(204);
      res.end();
    } else {
      res.writeHead(405, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Method not allowed' }));
    }
  };

  const server = createServer((req, res) => {
    manage(req, res).catch((err: unknown) => {
      log(`chat management API failed: ${String(err)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.on('upgrade', (req, socket, head) => {
    onUpgrade(req, socket, head).catch((err: unknown) => {
      log(`chat upgrade failed: ${String(err)}`);
      socket.destroy();
    });
  });
  const port = await listenOn(server, opts.port, host);
  let closing: Promise<void> | undefined;
  return {
    url: `ws://${host}:${port}`,
    managementUrl: `http://${host}:${port}`,
    port,
    close: () =>
      (closing ??= (async () => {
        for (const c of live.values()) c.ws.terminate();
        await Promise.all([...live.values()].map((c) => c.queue));
        wss.close();
        await new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        });
      })()),
  };
};

/**
 * Local mode's stand-in for SNS mobile push (fauxqs has no platform applications or endpoints).
 * It answers the SNS calls the push adapter makes (lambdas/adapters/sns-push.ts), over SNS's own
 * Query protocol, so the same adapter code runs locally as in AWS, and it behaves as SNS does:
 * - CreatePlatformEndpoint is idempotent for the same token and attributes; the same token with
 *   other attributes is InvalidParameter naming the existing endpoint's ARN;
 * - Publish to a disabled endpoint is EndpointDisabled; SetEndpointAttributes re-enables it;
 * - DeleteEndpoint is idempotent.
 *
 * `GET /` shows every push it took (device, platform, title, body, at) and its endpoints, as JSON;
 * `POST /disable` with `{"token": "..."}` disables that token's endpoints, as APNs or FCM does
 * when an app is uninstalled.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOn, readText } from './http-server';
import type { Emulator } from './emulators';

const ACCOUNT = '000000000000';

export interface LocalPushEndpoint {
  endpointArn: string;
  platform: 'APNS' | 'GCM';
  application: string;
  token: string;
  attributes: Record<string, string>;
  enabled: boolean;
}

export interface LocalPush {
  device: string;
  /** The endpoint's token: which phone it was. */
  token: string;
  platform: 'apns' | 'fcm';
  title: string;
  body: string;
  data: Record<string, string>;
  at: string;
}

export interface PushStandIn extends Emulator {
  url: string;
  /** The platform application ARNs to bind the functions to. */
  apps: { apns: string; fcm: string };
  pushes(): LocalPush[];
  endpoints(): LocalPushEndpoint[];
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const ok = (action: string, result = '') =>
  `<${action}Response xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><${action}Result>${result}</${action}Result>` +
  `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;

class SnsError extends Error {
  public constructor(
    public readonly code: string,
    message: string,
    public readonly status = 400,
  ) {
    super(message);
  }
}

/** `Attributes.entry.N.key` / `.value` pairs of the Query protocol. */
const attributesOf = (form: URLSearchParams): Record<string, string> => {
  const out: Record<string, string> = {};
  for (let i = 1; form.has(`Attributes.entry.${i}.key`); i++) {
    out[form.get(`Attributes.entry.${i}.key`)!] = form.get(`Attributes.entry.${i}.value`) ?? '';
  }
  return out;
};

const sameAttributes = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys({ ...a, ...b }).every((k) => (a[k] ?? '') === (b[k] ?? ''));

/** What the app would show: APNs' alert or FCM v1's notification, from the per-platform message. */
const shown = (message: string, platform: 'APNS' | 'GCM') => {
  const outer = JSON.parse(message) as Record<string, string>;
  if (platform === 'APNS') {
    const p = JSON.parse(outer.APNS ?? outer.APNS_SANDBOX ?? '{}') as { aps?: { alert?: { title?: string; body?: string } } };
    const { aps: _aps, ...data } = p as Record<string, unknown>;
    return {
      title: p.aps?.alert?.title ?? outer.default ?? '',
      body: p.aps?.alert?.body ?? '',
      data: data as Record<string, string>,
    };
  }
  const g = JSON.parse(outer.GCM ?? '{}') as {
    fcmV1Message?: { message?: { notification?: { title?: string; body?: string }; data?: Record<string, string> } };
  };
  const m = g.fcmV1Message?.message;
  return { title: m?.notification?.title ?? outer.default ?? '', body: m?.notification?.body ?? '', data: m?.data ?? {} };
};

export const startPushStandIn = async (opts: {
  port: number;
  region?: string;
  log?: (m: string) => void;
  /** The platform applications it answers for (tests give the ARNs their functions are bound to). */
  apps?: { apns: string; fcm: string };
}): Promise<PushStandIn> => {
  const region = opts.region ?? 'eu-west-1';
  const log = opts.log ?? (() => {});
  const apps = opts.apps ?? {
    apns: `arn:aws:sns:${region}:${ACCOUNT}:app/APNS/casework-local`,
    fcm: `arn:aws:sns:${region}:${ACCOUNT}:app/GCM/casework-local`,
  };
  const endpoints = new Map<string, LocalPushEndpoint>();
  const pushes: LocalPush[] = [];

  const handle = (form: URLSearchParams): string => {
    const action = form.get('Action') ?? '';
    switch (action) {
      case 'CreatePlatformEndpoint': {
        const application = form.get('PlatformApplicationArn') ?? '';
        const token = form.get('Token') ?? '';
        const platform = application === apps.apns ? 'APNS' : application === apps.fcm ? 'GCM' : undefined;
        if (!platform) throw new SnsError('NotFound', 'PlatformApplication does not exist', 404);
        if (!token) throw new SnsError('InvalidParameter', 'Invalid parameter: Token');
        const attributes = attributesOf(form);
        const existing = [...endpoints.values()].find((e) => e.application === application && e.token === token);
        if (existing) {
          if (!sameAttributes(existing.attributes, attributes)) {
            throw new SnsError(
              'InvalidParameter',
              `Invalid parameter: Token Reason: Endpoint ${existing.endpointArn} already exists with the same Token, but different attributes.`,
            );
          }
          return ok(action, `<EndpointArn>${xml(existing.endpointArn)}</EndpointArn>`);
        }
        const endpointArn = `arn:aws:sns:${region}:${ACCOUNT}:endpoint/${platform}/casework-local/${randomUUID()}`;
        endpoints.set(endpointArn, { endpointArn, platform, application, token, attributes, enabled: true });
        return ok(action, `<EndpointArn>${xml(endpointArn)}</EndpointArn>`);
      }
      case 'SetEndpointAttributes': {
        const e = endpoints.get(form.get('EndpointArn') ?? '');
        if (!e) throw new SnsError('NotFound', 'Endpoint does not exist', 404);
        const { Token, Enabled, ...rest } = attributesOf(form);
        if (Token) e.token = Token;
        if (Enabled !== undefined) e.enabled = Enabled === 'true';
        Object.assign(e.attributes, rest);
        return ok(action);
      }
      case 'GetEndpointAttributes': {
        const e = endpoints.get(form.get('EndpointArn') ?? '');
        if (!e) throw new SnsError('NotFound', 'Endpoint does not exist', 404);
        const all = { ...e.attributes, Token: e.token, Enabled: String(e.enabled) };
        const entries = Object.entries(all)
          .map(([k, v]) => `<entry><key>${xml(k)}</key><value>${xml(v)}</value></entry>`)
          .join('');
        return ok(action, `<Attributes>${entries}</Attributes>`);
      }
      case 'DeleteEndpoint':
        endpoints.delete(form.get('EndpointArn') ?? '');
        return ok(action);
      case 'Publish': {
        const e = endpoints.get(form.get('TargetArn') ?? '');
        if (!e) throw new SnsError('NotFound', 'Endpoint does not exist', 404);
        if (!e.enabled) throw new SnsError('EndpointDisabled', 'Endpoint is disabled');
        const message = form.get('Message') ?? '';
        const { title, body, data } =
          form.get('MessageStructure') === 'json' ? shown(message, e.platform) : { title: message, body: '', data: {} };
        const push: LocalPush = {
          device: e.endpointArn,
          token: e.token,
          platform: e.platform === 'APNS' ? 'apns' : 'fcm',
          title,
          body,
          data,
          at: new Date().toISOString(),
        };
        pushes.push(push);
        log(`push to ${push.platform} ${e.token.slice(0, 12)}…: ${title}`);
        return ok(action, `<MessageId>${randomUUID()}</MessageId>`);
      }
      default:
        throw new SnsError('InvalidAction', `The push stand-in does not implement ${action}`);
    }
  };

  const respond = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ pushes, endpoints: [...endpoints.values()] }, null, 2));
      return;
    }
    const body = await readText(req);
    if (req.method === 'POST' && url.pathname === '/disable') {
      const { token } = JSON.parse(body || '{}') as { token?: string };
      let n = 0;
      for (const e of endpoints.values()) {
        if (e.token !== token) continue;
        e.enabled = false;
        n++;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ disabled: n }));
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(404).end();
      return;
    }
    try {
      const out = handle(new URLSearchParams(body));
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(out);
    } catch (err) {
      const e = err instanceof SnsError ? err : new SnsError('InternalError', 'Internal error', 500);
      res.writeHead(e.status, { 'content-type': 'text/xml' });
      res.end(
        `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type>` +
          `<Code>${xml(e.code)}</Code><Message>${xml(e.message)}</Message></Error>` +
          `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
      );
    }
  };

  const server: Server = createServer((req, res) => {
    respond(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const url = `http://127.0.0.1:${await listenOn(server, opts.port, '127.0.0.1')}`;
  return {
    url,
    endpoint: url,
    apps,
    pushes: () => [...pushes],
    endpoints: () => [...endpoints.values()],
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

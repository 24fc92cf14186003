/**
 * A TCP proxy on a fixed loopback port that a fault test can switch off (the port refuses
 * connections, as a stopped SES endpoint does) and on again, or pause (connections are accepted
 * and bytes held both ways, as with a SIGSTOPped server: nothing is refused, nothing answers) and
 * resume, without restarting what is behind it.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface SwitchableProxy {
  url: string;
  down(): Promise<void>;
  up(): Promise<void>;
  /** Holds every byte in either direction (new connections too) until `resume`. */
  pause(): void;
  /**
   * Pauses at the first request chunk that contains `marker` (e.g. `TransactWriteItems`):
   * `before` holds that chunk too (the write has not reached the server), `after` lets it through
   * and holds what follows, its answer included (the write commits; nobody hears of it yet).
   */
  pauseOn(marker: string, when: 'before' | 'after'): void;
  /** Whether the proxy is holding bytes now. */
  isPaused(): boolean;
  /** Delivers what was held, in order, and forwards as usual again. */
  resume(): void;
  stop(): Promise<void>;
}

export const startSwitchableProxy = async (target: string): Promise<SwitchableProxy> => {
  const to = new URL(target);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  let paused = false;
  let armed: { marker: string; when: 'before' | 'after' } | undefined;
  const held: (() => void)[] = [];
  const later = (act: () => void) => (paused ? held.push(act) : act());
  const forward = (from: Socket, into: Socket, requests: boolean) => {
    from.on('data', (chunk: Buffer) => {
      const trigger = requests && armed && !paused && chunk.includes(armed.marker) ? armed : undefined;
      if (trigger) {
        armed = undefined;
        if (trigger.when === 'before') paused = true;
        later(() => into.write(chunk));
        paused = true;
        return;
      }
      later(() => into.write(chunk));
    });
    from.on('end', () => later(() => into.end()));
  };
  const listen = async () => {
    const s = createServer((client) => {
      const upstream = connect(Number(to.port), to.hostname);
      for (const sock of [client, upstream]) {
        sockets.add(sock);
        sock.on('close', () => sockets.delete(sock));
        sock.on('error', () => undefined);
      }
      forward(client, upstream, true);
      forward(upstream, client, false);
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    port = (s.address() as AddressInfo).port;
    server = s;
  };
  const close = async () => {
    const s = server;
    server = undefined;
    for (const sock of sockets) sock.destroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    down: close,
    up: listen,
    pause: () => {
      paused = true;
    },
    pauseOn: (marker, when) => {
      armed = { marker, when };
    },
    isPaused: () => paused,
    resume: () => {
      armed = undefined;
      paused = false;
      for (const act of held.splice(0)) act();
    },
    stop: close,
  };
};

/**
 * A TCP proxy on a fixed loopback port that a fault test can switch off (the port refuses
 * connections, as a stopped SES endpoint does) and on again, without restarting what is behind it.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface SwitchableProxy {
  url: string;
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

export const startSwitchableProxy = async (target: string): Promise<SwitchableProxy> => {
  const to = new URL(target);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = async () => {
    const s = createServer((client) => {
      const upstream = connect(Number(to.port), to.hostname);
      for (const sock of [client, upstream]) {
        sockets.add(sock);
        sock.on('close', () => sockets.delete(sock));
        sock.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
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
  return { url: `http://127.0.0.1:${port}`, down: close, up: listen, stop: close };
};

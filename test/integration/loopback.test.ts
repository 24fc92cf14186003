/**
 * Every local service binds 127.0.0.1, never all interfaces. Read from the kernel's own
 * table of listening sockets (/proc/net/tcp and tcp6), not from what the emulator says.
 */
import { readFileSync } from 'node:fs';
import { startSesLocal } from '../../local/emulators';
import { startFauxqs } from '../../local/fauxqs';

/** The local addresses (hex as the kernel writes them) listening on `port`. */
const listeners = (port: number): string[] => {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((f) => {
    let text = '';
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      return [];
    }
    return (
      text
        .split('\n')
        .slice(1)
        .map((l) => l.trim().split(/\s+/))
        // st 0A is LISTEN.
        .filter((cols) => cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A')
        .map((cols) => cols[1].split(':')[0])
    );
  });
};

/** 127.0.0.1 as /proc/net/tcp writes it (little-endian). */
const LOOPBACK = '0100007F';

describe('local services listen on loopback only', () => {
  it('fauxqs (SQS, SNS, S3) listens on 127.0.0.1 alone, though fauxqs itself asks for 0.0.0.0', async () => {
    const f = await startFauxqs({ port: 0, buckets: ['loopback-check'], queues: ['loopback-check'] });
    try {
      expect(listeners(f.port)).toEqual([LOOPBACK]);
      await expect(fetch(`http://127.0.0.1:${f.port}/`).then((r) => r.status)).resolves.toBeLessThan(500);
    } finally {
      await f.stop();
    }
  });

  it('aws-ses-v2-local (the outbound mail store) listens on 127.0.0.1 alone', async () => {
    const probe = await startSesLocal({ port: 0 });
    try {
      const port = Number(new URL(probe.endpoint).port);
      expect(listeners(port)).toEqual([LOOPBACK]);
    } finally {
      await probe.stop();
    }
  });
});

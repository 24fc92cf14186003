/**
 * `npm run chat -- <email> [--client mobile]`: a terminal chat client for local mode.
 * Gets a ticket from POST /chat/tickets with the demo user's token, connects to the chat
 * WebSocket with `?ticket=`, prints every frame, and sends each line typed:
 *   start 00000012     send <text> (or just type text)     leaveNumber +1 555 0100
 *   end                available                            unavailable
 * A line starting with `{` is sent as it is.
 */
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';
import { signUserToken } from '../local/issuer';

const usage = 'Usage: npm run chat -- <email> [--client mobile]';

const main = async () => {
  const args = process.argv.slice(2);
  const email = args.find((a) => !a.startsWith('--'));
  if (!email) throw new Error(usage);
  const client = args.includes('--client') && args[args.indexOf('--client') + 1] === 'mobile' ? 'mobile' : 'web';
  const { DEMO_USERS } = await import('../local/demo-data');
  const user = DEMO_USERS.find((u) => u.email === email);
  if (!user) throw new Error(`No demo user ${email}\n${usage}`);
  const api = `http://127.0.0.1:${process.env.PORT || 3000}`;
  const chat = `ws://127.0.0.1:${process.env.CHAT_PORT || 3001}`;
  const token = signUserToken({ sub: user.userId, email: user.email, client });
  const res = await fetch(`${api}/chat/tickets`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 201)
    throw new Error(`POST /chat/tickets answered ${res.status}: ${await res.text()} (is npm start running?)`);
  const { ticket } = (await res.json()) as { ticket: string };
  const ws = new WebSocket(`${chat}?ticket=${encodeURIComponent(ticket)}`);
  ws.on('unexpected-response', (_req, r) => {
    console.error(`connect refused: ${r.statusCode}`);
    process.exit(1);
  });
  ws.on('open', () =>
    console.log(
      `connected to ${chat} as ${email}; type: start <caseNumber> | <text> | leaveNumber <phone> | end | available | unavailable`,
    ),
  );
  ws.on('message', (data) => console.log(`< ${data.toString()}`));
  ws.on('close', () => {
    console.log('disconnected');
    process.exit(0);
  });
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    const text = line.trim();
    if (!text) return;
    const [word, ...rest] = text.split(/\s+/);
    const arg = rest.join(' ');
    const frame = text.startsWith('{')
      ? text
      : JSON.stringify(
          word === 'start'
            ? { action: 'start', caseNumber: arg }
            : word === 'leaveNumber'
              ? { action: 'leaveNumber', phone: arg }
              : word === 'end' || word === 'available' || word === 'unavailable'
                ? { action: word }
                : { action: 'send', text: word === 'send' ? arg : text },
        );
    ws.send(frame);
  });
  rl.on('close', () => ws.close());
};

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

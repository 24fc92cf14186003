/**
 * MAIL-2's reply-text corpus (test/fixtures/mail-corpus) through the production parse path
 * (postal-mime, then the reply rules): the exact-match score per source and language, the known
 * misses, and the parse time per message, next to email-reply-parser alone (the library the
 * previous rules were built on) as a baseline. Part of `npm run bench:mail`.
 *   BENCH_MAIL_CORPUS_ROUNDS (default 5): timed passes over the corpus.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import EmailReplyParser from 'email-reply-parser';
import { parseMime } from '../lambdas/adapters/mime';
import { normalise, replyText } from '../lambdas/domain/mail/email-text';
import { htmlToText } from '../lambdas/domain/mail/reply-text/html';
import { envInt, median, percentile, type Section, table } from './lib';

interface Entry {
  file: string;
  source: string;
  client: string;
  lang: string;
  expected: string;
  knownFailure?: string;
}

const DIR = join(__dirname, '..', 'test', 'fixtures', 'mail-corpus');

export const runMailCorpus = async (): Promise<Omit<Section, 'seconds'>> => {
  const corpus = JSON.parse(readFileSync(join(DIR, 'corpus.json'), 'utf8')) as Entry[];
  const raws = corpus.map((e) => new Uint8Array(readFileSync(join(DIR, e.file))));
  const rounds = envInt('BENCH_MAIL_CORPUS_ROUNDS', 5);
  const times: number[] = [];
  const perMessage = new Map<string, number[]>();
  const got: string[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const [i, e] of corpus.entries()) {
      const t0 = performance.now();
      const body = replyText(await parseMime(raws[i])).body;
      const ms = performance.now() - t0;
      times.push(ms);
      perMessage.set(e.file, [...(perMessage.get(e.file) ?? []), ms]);
      if (r === 0) got.push(body);
    }
  }
  let exact = 0;
  let baseline = 0;
  const bySource = new Map<string, [number, number]>();
  const byLang = new Map<string, [number, number]>();
  const misses: string[][] = [];
  for (const [i, e] of corpus.entries()) {
    const ok = got[i] === e.expected;
    if (ok) exact++;
    for (const [map, key] of [
      [bySource, e.source],
      [byLang, e.lang],
    ] as const) {
      const [a, b] = map.get(key) ?? [0, 0];
      map.set(key, [a + (ok ? 1 : 0), b + 1]);
    }
    if (!ok) misses.push([e.file, e.knownFailure ?? 'NEW MISS (not in the known list)']);
    const m = await parseMime(raws[i]);
    const text = normalise(m.text?.trim() ? m.text : htmlToText(m.html ?? ''));
    const lib = (new EmailReplyParser().parseReply(text) ?? '').replace(/\s+$/g, '').replace(/^\s*\n/, '');
    if (lib === e.expected) baseline++;
  }
  const score = exact / corpus.length;
  const slowest = [...perMessage]
    .map(([file, t]) => [file, median(t)] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3);
  const rows = (map: Map<string, [number, number]>) =>
    [...map].sort(([a], [b]) => a.localeCompare(b)).map(([k, [a, b]]) => [k, `${a}/${b}`]);
  return {
    title: '6b. Inbound mail: reply-text corpus',
    goals: [
      {
        goal: '6b. reply-text corpus >= 97% exact new text',
        met: score >= 0.97,
        figure: `${exact}/${corpus.length} (${(100 * score).toFixed(1)}%); email-reply-parser alone ${baseline}/${corpus.length} (${((100 * baseline) / corpus.length).toFixed(1)}%); parse p50 ${median(times).toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms per message`,
      },
    ],
    markdown: [
      `${corpus.length} messages of test/fixtures/mail-corpus, each parsed by postal-mime and the reply rules (parseMime + replyText) ${rounds} times in this process. Exact new text: **${exact}/${corpus.length} (${(100 * score).toFixed(1)}%)**; email-reply-parser 2.3.9 alone on the same text parts: ${baseline}/${corpus.length}.`,
      '',
      `Parse time per message: p50 ${median(times).toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms, max ${Math.max(...times).toFixed(2)} ms. Slowest (median): ${slowest.map(([f, t]) => `${f} ${t.toFixed(2)} ms`).join(', ')}.`,
      '',
      table(['source', 'exact'], rows(bySource), ['l', 'r']),
      '',
      table(['language', 'exact'], rows(byLang), ['l', 'r']),
      '',
      misses.length ? table(['miss', 'reason'], misses, ['l', 'l']) : 'No misses.',
    ].join('\n'),
  };
};

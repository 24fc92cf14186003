/**
 * `npm run bench`: every benchmark of issue 13, one after the other, and BENCHMARKS.md written
 * from this run: the machine, the date, each goal met or not with its figure, then each
 * benchmark's table. Measurements only: nothing here fails on a number, only on an error.
 * Each benchmark is a module of its own (bench/<name>.ts), runnable alone with `npx tsx`.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { runBundles } from './bundles';
import { runCapacity } from './capacity';
import { runFanout } from './fanout';
import { machine, timed, type Section } from './lib';
import { runMail } from './mail';
import { runSweepBench } from './sweep';
import { runThroughput } from './throughput';
import { runWarm } from './warm';

const OUT = join(__dirname, '..', 'BENCHMARKS.md');

const main = async () => {
  const started = new Date();
  const load = loadavg();
  const t0 = performance.now();
  const sections: Section[] = [];
  // The bundle benchmark first: its child processes are judged on CPU time, but a quiet machine helps.
  sections.push(await timed('1. bundles and cold init', runBundles));
  sections.push(await timed('2. warm wrapper', runWarm));
  sections.push(await timed('3. throughput', runThroughput));
  sections.push(await timed('4. capacity per route', runCapacity));
  sections.push(await timed('5. sweep', runSweepBench));
  sections.push(await timed('6. inbound mail', runMail));
  sections.push(await timed('7. fan-out', runFanout));
  const total = (performance.now() - t0) / 1000;
  const goals = sections.flatMap((s) => s.goals);
  // Read now, not at start: the notes are prose that may be edited while a long run goes on.
  const { NOTES } = await import('./notes');
  const md = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` (bench/run.ts); figures from one run. Measurements, not tests: nothing fails on a number.`,
    '',
    `- Date: ${started.toISOString()}`,
    `- Machine: ${machine()}`,
    `- Load average before the run (1/5/15 min): ${load.map((l) => l.toFixed(2)).join(' / ')} — the cores are shared; every ratio below is measured side by side in this run`,
    `- Run time: ${total.toFixed(0)} s (${sections.map((s) => `${s.title.split('.')[0]}: ${s.seconds?.toFixed(0)} s`).join(', ')})`,
    '',
    '## Goals',
    '',
    '| goal | result | figure |',
    '|---|---|---|',
    ...goals.map((g) => `| ${g.goal} | ${g.met ? 'met' : '**not met**'} | ${g.figure} |`),
    '',
    ...sections.flatMap((s) => [`## ${s.title}`, '', s.markdown, '']),
    NOTES,
  ].join('\n');
  writeFileSync(OUT, md);
  console.log(md);
  console.error(`[bench] written to ${OUT} in ${total.toFixed(0)} s`);
};

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

/**
 * `npm run bench`: every benchmark, one after the other, and BENCHMARKS.md written
 * from this run: the machine, the date, each goal met or not with its figure, then each
 * benchmark's table. Measurements only: nothing here fails on a number, only on an error.
 * Each benchmark is a module of its own (bench/<name>.ts), runnable alone with `npx tsx`.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { machine, timed, type Section } from './lib';

const OUT = join(__dirname, '..', 'BENCHMARKS.md');

/** One benchmark module in a node process of its own (tsx, as this one runs), its Section back. */
const inChild = (module: string) => (): Promise<Omit<Section, 'seconds'>> =>
  new Promise((ok, fail) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', join(__dirname, `${module}.ts`), '--json'],
      { maxBuffer: 64 * 1024 * 1024, env: process.env },
      (err, stdout) => {
        // A module that finished its section but missed its bound (the soak exits 1) still reports it.
        const at = stdout.lastIndexOf('@@SECTION@@');
        if (at < 0) return fail(new Error(`bench/${module}.ts printed no section${err ? `: ${err.message}` : ''}`));
        ok(JSON.parse(stdout.slice(at + '@@SECTION@@'.length)) as Omit<Section, 'seconds'>);
      },
    );
    child.stderr?.pipe(process.stderr);
  });

const main = async () => {
  const started = new Date();
  const load = loadavg();
  const t0 = performance.now();
  const sections: Section[] = [];
  // The bundle benchmark first: its child processes are judged on CPU time, but a quiet machine helps.
  sections.push(await timed('1. bundles and cold init', inChild('bundles')));
  sections.push(await timed('2. warm wrapper', inChild('warm')));
  sections.push(await timed('3. throughput', inChild('throughput')));
  sections.push(await timed('4. capacity per route', inChild('capacity')));
  sections.push(await timed('5. sweep', inChild('sweep')));
  sections.push(await timed('6. inbound mail', inChild('mail')));
  sections.push(await timed('7. fan-out', inChild('fanout')));
  sections.push(await timed('9. mixed-load soak', inChild('soak')));
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

/** What every benchmark module shares: its result shape, statistics and formatting. Measurements only. */
import { cpus, totalmem } from 'node:os';
import { readdirSync, readFileSync } from 'node:fs';

/** One benchmark goal, with the figure it was judged on. */
export interface Goal {
  goal: string;
  met: boolean;
  figure: string;
}

/** What a benchmark module hands the runner: its goals and a Markdown section. */
export interface Section {
  title: string;
  goals: Goal[];
  markdown: string;
  /** Seconds it took, for the budget of `npm run bench`. */
  seconds?: number;
}

export const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b);

/** Nearest-rank percentile. */
export const percentile = (values: number[], p: number): number => {
  const s = sorted(values);
  return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]! : NaN;
};

export const median = (values: number[]): number => {
  const s = sorted(values);
  if (!s.length) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export const table = (head: string[], rows: (string | number)[][], align?: ('l' | 'r')[]): string =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => ((align?.[i] ?? 'l') === 'r' ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

export const machine = (): string => {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${mb(totalmem())} RAM, Node ${process.version} (${process.platform} ${process.arch})`;
};

/** Positive integer from the environment, for longer or shorter runs. */
export const envInt = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}=${raw} is not a positive integer`);
  return value;
};

export const timed = async (title: string, fn: () => Promise<Omit<Section, 'seconds'>>): Promise<Section> => {
  const t0 = performance.now();
  console.error(`[bench] ${title}…`);
  const section = await fn();
  const seconds = (performance.now() - t0) / 1000;
  console.error(`[bench] ${title}: ${seconds.toFixed(1)} s`);
  return { ...section, seconds };
};

/** Values behind the bindings of lib/function-specs.ts, for functions run by a benchmark. */
export const BENCH_BINDINGS = {
  stage: 'bench',
  tableName: 'casework-bench',
  cursorSecret: { value: 'bench-cursor-secret-bench-cursor-secret' },
  mailDomain: 'casework.test',
  clients: { web: 'casework-web', mobile: 'casework-mobile' },
  replyKeys: { value: JSON.stringify({ current: 'b1', keys: { b1: Buffer.alloc(32, 7).toString('base64') } }) },
  inbound: { bucket: 'casework-bench-inbound', prefix: 'inbound/' },
  attachmentsBucket: 'casework-bench-attachments',
  topicArn: 'arn:aws:sns:eu-west-1:000000000000:casework-bench',
  push: {
    apns: 'arn:aws:sns:eu-west-1:000000000000:app/APNS/casework-bench',
    fcm: 'arn:aws:sns:eu-west-1:000000000000:app/GCM/casework-bench',
  },
  chatConnectionsUrl: 'https://chat.casework.test/bench',
  chatTimerQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/000000000000/casework-bench-chat-timers',
  userPoolId: 'eu-west-1_bench',
  mailQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/000000000000/casework-mail-bench',
  mailRetry: { baseSeconds: 20, capSeconds: 600 },
  deliveryQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/000000000000/casework-delivery',
};

/**
 * A benchmark module run as a script: its Markdown (and goals) on stdout, or with `--json` its
 * Section, which is how bench/run.ts runs each one, in a process of its own (so peak RSS, the
 * environment and module state are that benchmark's alone).
 */
export const runAlone = (run: () => Promise<Omit<Section, 'seconds'>>): void => {
  run().then(
    (s) =>
      console.log(
        process.argv.includes('--json')
          ? `\n@@SECTION@@${JSON.stringify(s)}`
          : `${s.markdown}\n\n${s.goals.map((g) => `- ${g.goal}: ${g.met ? 'met' : 'not met'} (${g.figure})`).join('\n')}`,
      ),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
};

/** The processes started by this one, and theirs (Linux /proc; none elsewhere). */
export const descendants = (pid: number): number[] => {
  try {
    const children = readdirSync(`/proc/${pid}/task`).flatMap((t) =>
      readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
    return children.flatMap((c) => [c, ...descendants(c)]);
  } catch {
    return [];
  }
};

/** DynamoDB Local's JVM, started by this process, so its CPU time can be read. */
export const dynamoJvm = (): number | undefined =>
  descendants(process.pid).find((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('DynamoDBLocal');
    } catch {
      return false;
    }
  });

/** User + system CPU of a process in ms (utime and stime of /proc/<pid>/stat, at 100 ticks a second). */
export const cpuMsOf = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

/**
 * CPU of this process's threads in ms, by kind (Linux names them: `MainThread`, `WorkerThread` for
 * each worker_threads worker, `V8Worker` and others for V8's and libuv's helpers); empty elsewhere.
 */
export const threadCpuMs = (): Map<'main' | 'workers' | 'helpers', number> => {
  const by = new Map<'main' | 'workers' | 'helpers', number>();
  try {
    for (const t of readdirSync('/proc/self/task')) {
      try {
        const stat = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const kind = comm === 'MainThread' ? 'main' : comm === 'WorkerThread' ? 'workers' : 'helpers';
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        by.set(kind, (by.get(kind) ?? 0) + (Number(fields[11]) + Number(fields[12])) * 10);
      } catch {
        // The thread ended meanwhile.
      }
    }
  } catch {
    // Not Linux.
  }
  return by;
};

/** Busy CPU of the whole machine in ms, every core (user, nice, system, irq, softirq, steal of /proc/stat); NaN elsewhere. */
export const machineBusyMs = (): number => {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    return (f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!) * 10;
  } catch {
    return NaN;
  }
};

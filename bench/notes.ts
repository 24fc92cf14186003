/**
 * What BENCHMARKS.md says beyond one run's figures: before and after, why a goal is missed and
 * what stands in the way, and the waiting index's partition budget. Read by bench/run.ts at the
 * end of a run. Keep it true when the code changes; the figures above it are regenerated.
 */
export const NOTES = `## Before and after (benchmark 1)

Measured with this benchmark (3 interleaved runs, CPU time) on the tree before the benchmark work
(commit 9037b46), against the same floors:

| function | before: .js | before: size / floor | before: init / floor | what changed |
|---|---:|---:|---:|---|
| get-health | 1521.8 KB | 2.66x | 1.55x | see below |
| get-case | 1523.5 KB | 2.66x | 2.03x | |
| list-cases | 1524.2 KB | 2.66x | 1.88x | |
| create-update (mail floor) | 1529.6 KB | 2.37x | 1.69x | |
| patch-case (mail floor) | 1530.3 KB | 2.38x | 1.62x | |

What took the HTTP bundles from about 1.52 MB to about 0.77 MB:

- **zod's locales and zod-to-openapi** (about 400 KB): the schemas imported \`{ z }\` and extended it with
  \`.openapi()\`; that named import keeps all of zod's classic build, every locale included, and the
  extension brought @asteasolutions/zod-to-openapi (CJS, 32 KB) into every function. The schemas now
  \`import * as z from 'zod'\` (esbuild then keeps the zod a bundle uses) and carry their OpenAPI
  metadata with zod's own \`.meta()\`, which the generator reads: the generated document is byte for
  byte the same.
- **Ports per function** (about 330 KB in functions that send no mail): \`lambdas/adapters/deps.ts\`
  built the mailer (SES client and nodemailer), the MIME parser (postal-mime), the SNS topic and
  the reply keyring lazily, but imported them statically, so every bundle had them. A function now
  gets the ports of its bindings only: each binding's \`lambdas/adapters/ports/<binding>.ts\` is
  injected into its bundle (\`portModulesOf\`, lib/function-specs.ts), and list routes pass
  \`{ cursorKey }\`. Dynamic \`import()\` would not have helped: esbuild does not split a CJS
  bundle, it inlines the imported module.
- **One route declaration per handler** (about 13 KB): \`lambdas/http/routes/<handler>.ts\`; the table
  in \`routes.ts\` lists them for CDK, local mode, OpenAPI and tests, and no handler imports it.
- **A bundle that could not load**: \`receive-mail\` and \`list-inbound-mail\` threw while loading
  (\`createRequire(import.meta.url)\` of email-reply-parser, and a CJS bundle has no
  \`import.meta\`): this benchmark's first invocation found it. The shared bundling options now
  define \`import.meta.url\` (lib/constructs/bundling.ts).

## Why the bundle and init goals are still not met

The floor is 572 KB; 1.15x leaves 86 KB for everything of ours. What an HTTP handler carries over it
(get-case, esbuild metafile):

| what | size | why it is there |
|---|---:|---|
| zod (classic build, tree-shaken) | about 98 KB | a classic schema object carries every method of its type, so even one \`z.strictObject\` keeps about 89 KB; schema construction is also most of the extra init |
| lambdas/data (every repository) | about 33 KB | \`appDeps\` exposes every repository as a lazy getter, so esbuild keeps them all |
| Powertools logger (+ commons) | about 22 KB | structured logging (and observability asks for more Powertools, not less) |
| our HTTP layer, domain and schemas | about 25 KB | |

What would meet it: zod's \`zod/mini\` build is about 14 KB for the same schema (measured), but
@asteasolutions/zod-to-openapi 9 reads metadata through classic methods (\`schema.meta()\`), so mini
schemas need another OpenAPI generator (zod 4's own \`z.toJSONSchema\` per schema, assembled into the
document by \`lambdas/http/openapi.ts\`); with that, repositories wired per handler like the ports,
the HTTP handlers would land at about 1.15-1.2x. Mail handlers carry nodemailer's composer
(128 KB) and the Secrets Manager client of the reply keyring (28 KB) over the mail floor: a small
MIME writer of our own (the messages are text plus headers) would remove the first.

## The wrapper's warm cost

The difference between the handler and its bare domain call includes what the wrapper asks the
(mocked) table for: one GetItem of the caller's snapshot, since the caller is resolved in one read
(it was a Query for the profile and memberships and two BatchGets for their organisations and
contracts). aws-sdk-client-mock goes through sinon, about 17-30 µs a call here depending on the
load, so the table above also shows the wrapper without it. What is left is parsing the snapshot
and the policy checks (levels, session check), Powertools' \`injectLambdaContext\` (it reads
\`process.env\` on every invocation), middy, zod and the JSON reply. In AWS the one read is a
network call (benchmarks 3 and 4 count it); unlike a per-container cache of the caller, the
snapshot is invalidated in the transaction of every write that changes it, so access changes still
take effect on the next request (docs/access.md, "The caller in one read").

## Sweep: the waiting index's one partition (README-ready)

The sparse waiting index (GSI5, projection ALL) has one partition key value, \`WAITING#CASE\`. A
single partition key value of a GSI is served by one partition: at most **3,000 RCU and 1,000 WCU
per second** (adaptive capacity moves a hot key to its own partition but cannot exceed that).
Storage is not the limit (a GSI key value has no 10 GB item-collection cap and splits by sort key).

What that partition sees:

- **Writes**: a case entering \`awaiting_info\` or \`solution_proposed\` adds its entry, leaving it or
  being flagged removes it, and any change to a case while it waits rewrites its projected copy.
  Each is one GSI write of the case item's size, about 1-2 KB, so 1-2 WCU. Even at 10,000 new
  cases a day, each waiting twice and changed twice while waiting (about 6 index writes a case),
  that is about 120,000 WCU a day: **1.4 WCU/s on average, under 20 WCU/s at a tenfold peak**,
  against 1,000.
- **Reads**: the sweep runs every 15 minutes and reads due entries only (benchmark 5: 1 Query
  for 50 due cases whatever the table's size; eventually consistent, 0.5 RCU per 4 KB, about
  10 RCU for 50 cases of 1.5 KB), against 3,000 RCU/s.
- The flags themselves (about 14 units each in benchmark 5: a transaction over the case and its
  audit event, doubled for the transaction) land on the cases' own partitions, not this one.

So one partition holds with two orders of magnitude to spare: it would need a sustained
**300 or more waiting-state changes per second** (about 26 million a day) to approach 1,000 WCU.
If volume ever nears a tenth of that, shard the key (\`WAITING#CASE#<n>\` with n from a hash of the
case number, N = 10) and let the sweep Query the N shards; \`lambdas/data/keys.ts\` and
\`waiting-repo.ts\` are the only places that change.
`;

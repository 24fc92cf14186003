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

### zod's mini build and repositories per function (2026-12-03)

\`npx tsx bench/bundles.ts\` on the tree before (2052ebd) and after, one after the other, load
average 8-10 from other work on the shared cores (floor 572.0 KB both times):

| function | before: .js | before: size / floor | after: .js | after: size / floor |
|---|---:|---:|---:|---:|
| get-health | 778.4 KB | 1.36x | 660.4 KB | 1.15x |
| get-terms | 776.6 KB | 1.36x | 656.5 KB | 1.15x |
| get-case | 787.5 KB | 1.38x | 694.6 KB | 1.21x |
| create-case | 804.5 KB | 1.41x | 711.6 KB | 1.24x |
| list-cases | 823.1 KB | 1.44x | 730.1 KB | 1.28x |
| get-openapi | 865.5 KB | 1.51x | 741.2 KB | 1.30x |
| decide-access-request | 926.7 KB | 1.62x | 843.1 KB | 1.47x |
| create-attachment | 998.2 KB | 1.75x | 907.4 KB | 1.59x |

- **zod's mini build** (about 60 KB in every HTTP handler): the schemas are written with \`zod/mini\`
  (checks as functions: \`str().check(z.minLength(1))\`, \`z.optional(...)\`), whose schema objects
  carry no methods, so esbuild keeps only the functions a bundle calls; the English messages the
  classic build set are set once in \`lambdas/schemas/common.ts\`, so every problem+json field error
  reads as before. Their OpenAPI metadata is in zod's global registry (\`meta()\` of common.ts), and
  \`lambdas/http/openapi.ts\` writes each schema with zod's own \`z.toJSONSchema\`: the document is byte
  for byte the one @asteasolutions/zod-to-openapi wrote (removed), but for one pattern it had
  written wrongly (the access request's name, \`^[^\\p{Cc}]+$\`, had a stray \`/u\` appended).
- **Repositories per function** (about 30 KB in get-case): each repository is a port of its own
  (\`lambdas/adapters/ports/repositories/<port>.ts\`), and a function with the table gets those its
  code reaches: \`lib/repositories.ts\` reads every \`deps.<port>\` off the modules its handler imports
  (\`portModulesOf\` adds them, for CDK's bundle, local mode and the test loader alike).

### Secrets, config and the clients' ES module builds (2026-12-03)

\`BENCH_COMPARE_TREE=<checkout of 3816ca0> npx tsx bench/bundles.ts\`: the tree before (main at
3816ca0, bundled with its own options and specs) and after, in the same interleaved rounds, load
average 10-13 from other work on the shared cores (floor 572.0 KB; every row in section 1):

| function | before: .js | before: size / floor | after: .js | after: size / floor |
|---|---:|---:|---:|---:|
| get-health | 660.8 KB | 1.16x | 653.6 KB | 1.14x |
| get-terms | 656.9 KB | 1.15x | 654.6 KB | 1.14x |
| get-case | 695.9 KB | 1.22x | 693.6 KB | 1.21x |
| list-cases | 731.5 KB | 1.28x | 709.7 KB | 1.24x |
| register-device | 754.8 KB | 1.32x | 732.5 KB | 1.28x |
| decide-access-request | 844.5 KB | 1.48x | 747.2 KB | 1.31x |
| create-attachment | 908.8 KB | 1.59x | 834.6 KB | 1.46x |

- **The AWS clients from their ES module builds** (lib/constructs/bundling.ts, \`alias\`): each
  \`@aws-sdk/client-*\` package ships a CommonJS build that is one file per service (every command,
  schema and error of it) and an ES module build of one module per command; for a Node bundle
  esbuild takes the CommonJS \`main\` and can leave nothing of it out. The Secrets Manager, S3,
  Cognito, SNS, SQS and API Gateway management clients are now bundled from their ES module builds
  (same package, same version): Cognito 134 to 39 KB (decide-access-request 1.48x to 1.31x), S3 with
  its checksums and S3 middleware 204 to 131 KB (file routes 1.59x to 1.46x), SNS 47 to 25 KB
  (device routes 1.32x to 1.28x), Secrets Manager 29 to 15 KB; the mail functions too (receive-mail
  1013.5 to 919.7 KB). The same calls against a stub endpoint from both builds gave the same
  results and the same errors, \`instanceof\` included (a secret read and ResourceNotFoundException,
  Cognito's UserNotFoundException, SNS Publish and NotFound, S3 NoSuchKey, the presigned PUT and GET
  URLs' parameters). The floors' DynamoDB and SES clients are left as they are: the floors are
  built with these options, and moving them would move the yardstick.
- **Secrets without Powertools parameters** (about 5.5 KB in every list route): the cursor key and
  the reply keyring are one GetSecretValue through \`lambdas/adapters/secrets.ts\`, kept 5 minutes
  per container as Powertools' \`maxAge: 300\` did (a failed read is not kept);
  \`@aws-lambda-powertools/parameters\` is no longer a dependency.
- **config's table of variables** (about 2.3 KB in every function): \`ENV\` and every variable's
  description (for docs/reference/environment.md) were built when config.ts loaded, so every bundle
  kept them; the accessors now name their variables as literals (checked against \`EnvName\`) and
  \`ENV\` is built in a pure call, so bundles leave both out.
- **GET /health's schema in its own module** (\`lambdas/schemas/health.ts\`, about 5 KB): get-health
  no longer builds every schema of \`schemas/me.ts\`. The OpenAPI document is byte for byte the same.

Cold init, same rounds (CPU time over a bare node, medians of 5): the median HTTP handler went from
1.39x to 1.30x of the floor (267 ms of CPU in this run), 34 of 54 lower; 6 of 54 within 1.15x
after, about 4 before. get-case 1.39x to 1.29x, create-attachment 1.87x to 1.44x. Under this load
single functions still move by ±0.3x between rounds (list-alarms 1.41x to 1.77x with 2.3 KB less
to load), so only the median is worth reading.

## Why the bundle and init goals are still not met

The floor is 572 KB; 1.15x leaves 86 KB for everything of ours. GET /health and GET /terms are now
within (1.14x); get-case is at 1.21x (693.6 KB), about 122 KB over the floor, 36 KB more than the
goal allows. What it carries over the floor (esbuild metafile, the bytes each input adds to the floor's):

| what | size | why it is there |
|---|---:|---|
| zod (mini build and its core, English messages) | about 37 KB | validation; a schema module builds all its schemas when loaded |
| lambdas/data (its repositories, keys, items, paging) | about 27 KB | the case, directory, session and rate-limit repositories it reaches; the directory port alone is 9 KB, every method of it, where the wrapper needs the caller's snapshot read |
| Powertools logger (+ commons) | about 23 KB | structured logging (kept: the brief asks for it) |
| our domain, HTTP layer, adapters and schemas | about 30 KB | the kernel (14 KB, of which the table of every kind of view 7.5 KB), middleware 4.4 KB, its schema module 3.1 KB, config 2.3 KB |
| middy, ulid | about 6 KB | |

So most HTTP handlers sit at 1.19-1.24x, the list routes at 1.24-1.27x (Secrets Manager's
GetSecretValue still about 15 KB: the client's runtime config, endpoint rules and error classes),
the device routes at 1.28x (SNS), get-openapi at 1.29x (every schema and zod's JSON Schema writer),
decide-access-request at 1.31x (Cognito) and the two file routes at 1.46x: \`getSignedUrl\` runs the
S3 client's whole middleware stack, about 130 KB even from the ES module build.

What would come next, each measured with the metafile:

- **Schema modules per route**: get-case with only its own params schema was 7.5 KB smaller (1.20x).
  zod mini's constructors are calls esbuild must keep, and \`/* @__PURE__ */\` on a schema's outer
  call does not drop the calls inside it, so only modules that hold no other route's schemas help.
  It would help cold init as well: loading \`schemas/cases.ts\` alone cost about 45 ms of CPU over an
  empty bundle here, \`schemas/common.ts\` about 20 ms, mostly zod's code compiled on first use.
- **The caller's snapshot read as a port of its own**, so a route that touches no other directory
  method does not carry the directory repository (about 9 KB), and views split per kind (7.5 KB).
- **Presigned URLs with the SigV4 signer the floor already carries** (\`@smithy/signature-v4\`)
  instead of the S3 client (about 130 KB in the file routes), at the price of rebuilding what
  \`getSignedUrl\` does (addressing, the checksum parameters it adds), which no emulator here checks.

Even all of that leaves get-case 15-20 KB over: 1.15x takes zod or the Powertools logger (60 KB
together) out of the handlers. No HTTP handler sends mail (the mail queue does), so nodemailer's
composer is only in \`send-mail\`.

Cold init (1b) follows the sizes only loosely: a bundle's load is mostly V8 compiling it (about
85 ms of CPU for get-case here), the SDK's own setup and zod's first schemas, and on 2 shared cores
at load average 8-13 single functions move by ±0.3x between rounds; the floor itself took 232-267
ms of CPU in three runs the same morning. Interleaving the tree before in the same rounds
(\`BENCH_COMPARE_TREE\`) makes the before and after comparable: median 1.39x to 1.30x.

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

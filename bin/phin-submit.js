#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --min-semi-space-size=8 --max-semi-space-size=8 --max-old-space-size=512
// The installed command, and the project's one JavaScript file, on purpose: Node strips
// TypeScript types with a WebAssembly compiler that costs about 30 MB of memory and 0.1-0.3 s at
// every start. With Node's module compile cache enabled before the first .ts file is imported,
// later runs load the stripped modules from the cache and never start that compiler
// (docs/performance.md). The cache lives in the OS temp folder; when it cannot be written, Node
// carries on without it.
// The shebang caps V8's young generation at 8 MB per semi-space (at 200k episodes peak RSS went
// from ~440 to ~320 MB at the same speed), and starts it there: left to grow it from 1 MB, V8
// kept it small in some runs of the same code and not in others, and in those runs a batch of
// records outlived its scavenges and was promoted (38 full collections instead of 4-7, 20 %
// more CPU, higher peaks). Its old space is capped at 512 MB. The live heap stays under
// ~40 MB whatever the input's size (records stream in batches, key sets live in scratch files),
// but with the default limit V8 lets garbage pile up to 4x the live heap before a full
// collection: 1M episodes peaked at 190-245 MB RSS, 3M at 280. Under a 512 MB limit V8 grows
// the heap less eagerly: 150-160 MB at 1M, 168 at 3M (docs/performance.md). NODE_OPTIONS cannot
// raise it (these flags come later); `node --max-old-space-size=N bin/phin-submit.js ...` runs
// without the shebang's flags. MALLOC_ARENA_MAX=2 keeps glibc from giving each of Node's
// threads its own malloc arena: buffers freed on V8's background threads left memory stranded
// in them, so the same run peaked anywhere from 149 to 164 MB at 3M episodes, 134 with two
// arenas (1M: 127-133, 123-124; no change in speed measured; docs/performance.md). Other C
// libraries ignore the variable. The bench reads the variables and flags from this line.
import module from "node:module";

module.enableCompileCache?.();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));

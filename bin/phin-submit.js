#!/usr/bin/env node
// The installed command, in plain JavaScript so that a Node too old to strip TypeScript types
// gets one line instead of a stack trace.
import module from "node:module";

const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `phin-submit needs Node.js 22.18 or later (this is ${process.version}): install Node.js 24 from https://nodejs.org\n`,
  );
  process.exit(78);
}
// Cached compiled modules spare later runs the type stripper's start-up cost (docs/performance.md).
module.enableCompileCache?.();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));

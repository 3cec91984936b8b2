#!/usr/bin/env node
// phin-submit's command line: parses arguments, runs one command, prints its result, and maps
// any error to the exit code table in exactly one place. main() is a plain function of argv and
// io, so tests run the real CLI in-process or as a child process alike.
// The installed command is bin/phin-submit.js (a Node version check and the compile cache);
// running this file directly works too, without those.
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { Command, CommanderError } from "commander";
import { isPhinError } from "../errors.ts";
import { toolVersion } from "../version.ts";
import { registerConfigAndDoctor } from "./commands/doctor.ts";
import { registerReceipts } from "./commands/receipts.ts";
import { registerSandbox } from "./commands/sandbox.ts";
import { registerStatus } from "./commands/status.ts";
import { registerSubmit } from "./commands/submit.ts";
import { registerValidate } from "./commands/validate.ts";
import type { CliIo, CommandContext } from "./context.ts";
import { exitCodeFor, exitCodes, exitCodeTable } from "./exit-codes.ts";

const defaultIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  now: () => new Date(),
};

function describeError(error: unknown): string {
  if (isPhinError(error)) {
    const where = error.where;
    const lines = [
      `phin-submit: ${error.code}: ${error.message}${where && !error.message.includes(where) ? ` (${where})` : ""}`,
    ];
    if (error.hint) lines.push(`  next step: ${error.hint}`);
    return `${lines.join("\n")}\n`;
  }
  // Never print a foreign error's message: it may quote a record or a header.
  return "phin-submit: INTERNAL: an unexpected error occurred; rerun with --verbose and report it\n";
}

const exitHelp = `\nExit codes:\n${exitCodeTable.map(([code, text]) => `  ${String(code).padEnd(4)}${text}`).join("\n")}\n`;

export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  let exitCode: number = exitCodes.OK;
  const program = new Command()
    .name("phin-submit")
    .description("Extract, minimise, validate, package and submit PHIN private healthcare data.")
    .version(toolVersion)
    .option("--verbose", "also write the structured run log (JSON lines) to stderr")
    .option("-q, --quiet", "print nothing but errors (and --json output)")
    .option("--no-color", "no colour in output (also: NO_COLOR)")
    .option("--state-dir <dir>", "state directory (overrides PHIN_STATE_DIR and the config)")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .addHelpText("after", exitHelp);
  const ctx: CommandContext = {
    io,
    setExitCode: (code) => {
      exitCode = code;
    },
    globals: () => {
      const o = program.opts<{
        verbose?: boolean;
        quiet?: boolean;
        color?: boolean;
        stateDir?: string;
      }>();
      return {
        verbose: o.verbose === true,
        quiet: o.quiet === true,
        color: o.color !== false,
        stateDir: o.stateDir,
      };
    },
  };
  registerValidate(program, ctx, exitHelp);
  registerSubmit(program, ctx, exitHelp);
  registerStatus(program, ctx, exitHelp);
  registerReceipts(program, ctx, exitHelp);
  registerConfigAndDoctor(program, ctx, exitHelp);
  registerSandbox(program, ctx);

  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; anything else is a usage error.
      return error.exitCode === 0 ? exitCodes.OK : exitCodes.USAGE;
    }
    io.stderr(describeError(error));
    const code = exitCodeFor(error);
    if (argv.includes("--json")) {
      // Machine readers get the failure on stdout too, in the same shape as a success.
      io.stdout(
        `${JSON.stringify({ command: argv.find((a) => !a.startsWith("-")) ?? null, exit_code: code, error: isPhinError(error) ? error.toJSON() : { code: "INTERNAL" } })}\n`,
      );
    }
    return code;
  }
}

// Run when executed directly or through the npm bin symlink, not when imported by tests.
const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(realpathSync(entry)).href) {
  process.exitCode = await main(process.argv.slice(2));
}

#!/usr/bin/env node
// phin-submit's command line: parses arguments, runs one command, prints its result, and maps
// any error to the exit code table in exactly one place. main() is a plain function of argv and
// io, so tests run the real CLI in-process or as a child process alike.
// The installed command is bin/phin-submit.js (a Node version check and the compile cache);
// running this file directly works too, without those.
import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { Command, CommanderError } from "commander";
import { EXIT_OK, errorClasses, exitCodeOf, isPhinError } from "../errors.ts";
import { exitOnInterrupt } from "../io/interrupt.ts";
import { toolVersion } from "../version.ts";
import { registerConfigAndDoctor } from "./commands/doctor.ts";
import { registerReceipts } from "./commands/receipts.ts";
import { registerSandbox } from "./commands/sandbox.ts";
import { registerState } from "./commands/state.ts";
import { registerStatus } from "./commands/status.ts";
import { registerSubmit } from "./commands/submit.ts";
import { registerValidate } from "./commands/validate.ts";
import { type CliIo, CommandContext, exitHelp, type GlobalOptions } from "./context.ts";

// A reader that stops early (`phin-submit ... | head -1`) closes the pipe: output stops, quietly,
// and the run ends with the exit code it would have had.
let stdoutClosed = false;
const defaultIo: CliIo = {
  stdout: (t) => {
    if (!stdoutClosed) process.stdout.write(t);
  },
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  stderrIsTTY: process.stderr.isTTY === true,
};

function describeError(error: unknown): string {
  // Never print a foreign error's message: it may quote a record or a header.
  if (!isPhinError(error)) {
    return "phin-submit: INTERNAL: an unexpected error occurred; rerun with --verbose and report it\n";
  }
  // The file (and line) and the field, unless the message already names them.
  const { file, line, field, message, hint } = error;
  const where: string[] = [];
  if (file !== undefined && !message.includes(file)) {
    where.push(line === undefined ? file : `${file}:${line}`);
  }
  if (field !== undefined && !message.includes(field)) where.push(`field ${field}`);
  const place = where.length === 0 ? "" : ` (${where.join(", ")})`;
  const next = hint ? `  next step: ${hint}\n` : "";
  return `phin-submit: ${error.code}: ${message}${place}\n${next}`;
}

/** The command an argv names ("validate", "receipts list"), for --json error output. */
function commandOf(program: Command, argv: readonly string[]): string | null {
  const words = argv.filter((a) => !a.startsWith("-"));
  const top = program.commands.find((c) => words.includes(c.name()));
  if (top === undefined) return null;
  const rest = words.slice(words.indexOf(top.name()) + 1);
  const sub = top.commands.find((c) => rest[0] === c.name());
  return sub === undefined ? top.name() : `${top.name()} ${sub.name()}`;
}

export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  if (io === defaultIo && process.stdout.listenerCount("error") === 0) {
    process.stdout.on("error", () => {
      stdoutClosed = true;
    });
    exitOnInterrupt(io.stderr);
  }
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
  const ctx = new CommandContext(io, () => program.opts<GlobalOptions>());
  registerValidate(program, ctx);
  registerSubmit(program, ctx);
  registerStatus(program, ctx);
  registerReceipts(program, ctx);
  registerState(program, ctx);
  registerConfigAndDoctor(program, ctx);
  registerSandbox(program, ctx);

  let failure: Record<string, unknown>;
  let code: number;
  try {
    await program.parseAsync([...argv], { from: "user" });
    return ctx.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; anything else is a usage error, whose
      // message commander has already written to stderr.
      if (error.exitCode === 0) return EXIT_OK;
      code = errorClasses.usage.exit;
      failure = { code: "USAGE", stage: "cli", message: error.message.replace(/^error: /, "") };
    } else {
      io.stderr(describeError(error));
      code = exitCodeOf(error);
      failure = isPhinError(error) ? error.toJSON() : { code: "INTERNAL" };
    }
  }
  if (argv.includes("--json")) {
    // Machine readers get the failure on stdout too, as one JSON object like a success's.
    io.stdout(
      `${JSON.stringify({ command: commandOf(program, argv), exit_code: code, error: failure })}\n`,
    );
  }
  return code;
}

// Run when executed directly or through the npm bin symlink, not when imported by tests.
const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(realpathSync(entry)).href) {
  process.exitCode = await main(process.argv.slice(2));
}

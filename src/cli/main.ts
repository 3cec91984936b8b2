#!/usr/bin/env node
// phin-submit's command line: parses arguments, runs one command, prints its result, and maps
// any error to the exit code table in exactly one place. main() is a plain function of argv and
// output streams, so tests run the real CLI in-process or as a child process alike.
import { realpathSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Command, CommanderError, Option } from "commander";
import { loadConfig } from "../config/load-config.ts";
import { isPhinError, PhinError } from "../errors.ts";
import { runValidate } from "../pipeline/run-validate.ts";
import { parsePeriod, previousPeriod } from "../time/period.ts";
import { toolVersion } from "../version.ts";
import { exitCodeFor, exitCodes, exitCodeTable } from "./exit-codes.ts";

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
}

const defaultIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  now: () => new Date(),
};

function periodOf(text: string, now: Date) {
  if (text === "previous") return previousPeriod(now);
  const period = parsePeriod(text);
  if (period === undefined) {
    throw new PhinError(
      "USAGE",
      `--period must be YYYY-MM or "previous", got ${JSON.stringify(text.slice(0, 20))}`,
      {
        stage: "cli",
        field: "--period",
      },
    );
  }
  return period;
}

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
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .addHelpText("after", exitHelp);

  program
    .command("validate")
    .description(
      "Dry run: extract .. package into the state directory and write the data-quality report. Sends nothing.",
    )
    .addOption(new Option("--config <file>", "configuration file").default("phin.config.json"))
    .requiredOption("--period <YYYY-MM|previous>", "submission period (calendar month)")
    .option("--json", "print a machine-readable result on stdout")
    .addHelpText(
      "after",
      `\nExamples:\n  phin-submit validate --config samples/phin.config.json --period 2026-10\n  phin-submit validate --period previous --json\n${exitHelp}`,
    )
    .action(async (opts: { config: string; period: string; json?: boolean }) => {
      const now = io.now();
      const period = periodOf(opts.period, now);
      const loaded = await loadConfig(opts.config, io.env);
      const result = await runValidate({ loaded, period, now: io.now, toolVersion });
      const { report } = result;
      if (opts.json) {
        io.stdout(
          `${JSON.stringify({
            command: "validate",
            verdict: report.verdict,
            exit_code: result.verdict === "ready" ? 0 : exitCodes.BLOCKED,
            period: report.period,
            submission_id: report.submission_id,
            out_dir: result.outDir,
            blocked_reasons: report.blocked_reasons,
            datasets: Object.fromEntries(
              Object.entries(report.datasets).map(([d, s]) => [
                d,
                {
                  read: s.read,
                  valid: s.valid,
                  rejected: s.rejected,
                  out_of_scope: s.out_of_scope,
                  warnings: s.warnings,
                },
              ]),
            ),
          })}\n`,
        );
      } else {
        const lines = [
          `${report.verdict === "ready" ? "READY" : "BLOCKED"}  ${report.provider_code} ${report.period}${report.submission_id ? `  submission ${report.submission_id}` : ""}`,
          ...Object.entries(report.datasets).map(
            ([d, s]) =>
              `  ${d.padEnd(15)} read ${String(s.read).padStart(7)}  valid ${String(s.valid).padStart(7)}  rejected ${String(s.rejected).padStart(6)}  out of scope ${String(s.out_of_scope).padStart(6)}  warnings ${String(s.warnings).padStart(6)}`,
          ),
          ...report.blocked_reasons.map((r) => `  blocked: ${r}`),
          `  report: ${path.relative(process.cwd(), path.join(result.outDir, "report.html"))}`,
        ];
        io.stdout(`${lines.join("\n")}\n`);
      }
      exitCode = result.verdict === "ready" ? exitCodes.OK : exitCodes.BLOCKED;
    });

  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; anything else is a usage error.
      return error.exitCode === 0 ? exitCodes.OK : exitCodes.USAGE;
    }
    io.stderr(describeError(error));
    return exitCodeFor(error);
  }
}

// Run when executed directly or through the npm bin symlink, not when imported by tests.
const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(realpathSync(entry)).href) {
  process.exitCode = await main(process.argv.slice(2));
}

// `phin-submit validate`: the dry run. Shared summary printing lives here too, since `submit`
// prints the same validation summary before it sends.
import path from "node:path";
import type { Command } from "commander";
import { EXIT_OK, errorClasses } from "../../errors.ts";
import type { ValidateResult } from "../../pipeline/run-validate.ts";
import type { DatasetName } from "../../schemas/names.ts";
import { periodEnded } from "../../time/period.ts";
import { toolVersion } from "../../version.ts";
import { type CommandContext, type CommandOptions, configOption, exitHelp } from "../context.ts";
import type { ValidateOutput } from "../output-schema.ts";

/** Each dataset's counts, without the report's other detail. */
export function datasetCounts(result: ValidateResult): ValidateOutput["datasets"] {
  const counts = (d: DatasetName) => {
    const { read, valid, rejected, out_of_scope, warnings } = result.report.datasets[d];
    return { read, valid, rejected, out_of_scope, warnings };
  };
  return {
    episodes: counts("episodes"),
    proms: counts("proms"),
    adverse_events: counts("adverse_events"),
  };
}

/** A blocked run's exit code. */
export const EXIT_BLOCKED = errorClasses.input.exit;

/** Why a run is blocked, in one stderr line that -q keeps: the first reason, how many more, the report. */
export function sayBlocked(ctx: CommandContext, result: ValidateResult): void {
  const [first, ...more] = result.report.blocked_reasons;
  const others = more.length === 0 ? "" : ` (and ${more.length} more)`;
  ctx.io.stderr(
    `phin-submit: BLOCKED: ${first ?? "see the report"}${others}; report: ${reportPath(result)}\n`,
  );
}

/** The report's path: relative when it is under the working directory, else absolute. */
function reportPath(result: ValidateResult): string {
  const file = path.join(result.outDir, "report.html");
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") ? file : relative;
}

export function validationSummary(result: ValidateResult, ctx: CommandContext): string[] {
  const { report } = result;
  const verdict =
    report.verdict === "ready" ? ctx.paint("green", "READY") : ctx.paint("red", "BLOCKED");
  const n = (v: number, w: number) => String(v).padStart(w);
  return [
    `${verdict}  ${report.provider_code} ${report.period}${report.submission_id ? `  submission ${report.submission_id}` : ""}`,
    ...Object.entries(report.datasets).map(
      ([d, s]) =>
        `  ${d.padEnd(15)} read ${n(s.read, 7)}  valid ${n(s.valid, 7)}  rejected ${n(s.rejected, 6)}  out of scope ${n(s.out_of_scope, 6)}  warnings ${n(s.warnings, 6)}`,
    ),
    ...report.blocked_reasons.map((r) => `  blocked: ${r}`),
    `  report: ${reportPath(result)}`,
  ];
}

export function registerValidate(program: Command, ctx: CommandContext): void {
  program
    .command("validate")
    .description(
      "Dry run: extract .. package into the state directory and write the data-quality report. Sends nothing.",
    )
    .addOption(configOption())
    .requiredOption("--period <YYYY-MM|previous>", "submission period (calendar month)")
    .option("--json", "print a machine-readable result on stdout")
    .addHelpText(
      "after",
      `\nExamples:\n  phin-submit validate --config samples/phin.config.json --period 2026-10\n  phin-submit validate --period previous --json\n${exitHelp}`,
    )
    .action(async (opts: CommandOptions & { period: string }) => {
      const period = ctx.period(opts.period);
      if (!periodEnded(period, ctx.now()) && !ctx.globals().quiet)
        ctx.io.stderr(
          `phin-submit: warning: period ${period.id} has not ended yet in Europe/London time: its extracts may be incomplete, and \`submit\` refuses it until it ends\n`,
        );
      const loaded = await ctx.load(opts.config);
      const { runValidate } = await import("../../pipeline/run-validate.ts");
      const { result, exitCode } = await ctx.runLogged(loaded, opts.json, {
        command: "validate",
        work: ({ runId, log, onProgress }) =>
          runValidate({
            loaded,
            period,
            now: ctx.now,
            toolVersion,
            runId,
            log,
            onProgress,
            dryRun: true,
          }),
        end: (r) => ({
          outcome: r.verdict === "ready" ? "ok" : "blocked",
          exitCode: r.verdict === "ready" ? EXIT_OK : EXIT_BLOCKED,
          counts: datasetCounts(r),
        }),
        toJson: (r, code): ValidateOutput => ({
          command: "validate",
          verdict: r.verdict,
          exit_code: code,
          period: r.report.period,
          submission_id: r.report.submission_id,
          out_dir: r.outDir,
          blocked_reasons: r.report.blocked_reasons,
          datasets: datasetCounts(r),
        }),
        toText: (r) => validationSummary(r, ctx).join("\n"),
      });
      if (exitCode === EXIT_BLOCKED) sayBlocked(ctx, result);
    });
}

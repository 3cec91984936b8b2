// `phin-submit submit`: validate, then send exactly once, verify PHIN's receipt and record it.
import type { Command } from "commander";
import { EXIT_OK } from "../../errors.ts";
import type { CrashPoint, SubmitResult } from "../../pipeline/run-submit.ts";
import { toolVersion } from "../../version.ts";
import {
  type CommandContext,
  loadWithFlags,
  paint,
  periodOf,
  printJson,
  progressFor,
  say,
  withRunLog,
} from "../context.ts";
import type { SubmitOutput } from "../output-schema.ts";
import {
  configOption,
  datasetCounts,
  EXIT_BLOCKED,
  sayBlocked,
  validationSummary,
} from "./validate.ts";

const crashPoints: readonly CrashPoint[] = ["after-intent", "after-commit"];

export function registerSubmit(program: Command, ctx: CommandContext, exitHelp: string): void {
  program
    .command("submit")
    .description(
      "Validate the period, send it to PHIN once, verify the signed receipt and record it in the ledger.",
    )
    .addOption(configOption())
    .requiredOption(
      "--period <YYYY-MM|previous>",
      "submission period; previous = last month in Europe/London time",
    )
    .option("--json", "print a machine-readable result on stdout")
    .addHelpText(
      "after",
      `\nA period whose content already has a verified receipt is a no-op success (no network).\n\nExamples:\n  phin-submit submit --period previous            # the scheduled monthly run\n  phin-submit submit --config phin.config.json --period 2026-10 --json\n${exitHelp}`,
    )
    .action(async (opts: { config: string; period: string; json?: boolean }) => {
      const { io } = ctx;
      const period = periodOf(opts.period, io.now());
      const loaded = await loadWithFlags(ctx, opts.config);
      // Test-only: the crash-safety tests kill the run at a named point.
      const crashAt = crashPoints.find((point) => point === io.env.PHIN_SUBMIT_CRASH_AT);
      const bar = progressFor(ctx, opts.json);
      const { runSubmit } = await import("../../pipeline/run-submit.ts");
      const run = {
        command: "submit",
        json: opts.json,
        end: (r: SubmitResult) => ({
          outcome: r.outcome,
          exitCode: r.outcome === "blocked" ? EXIT_BLOCKED : EXIT_OK,
          counts: datasetCounts(r.validation),
        }),
      };
      const result = await withRunLog(ctx, loaded, run, ({ runId, log, onWait }) =>
        runSubmit({
          ...(bar ? { onProgress: bar.update } : {}),
          loaded,
          period,
          now: io.now,
          toolVersion,
          env: io.env,
          runId,
          log,
          onWait,
          crashAt,
        }),
      ).finally(() => bar?.done());
      const code = run.end(result).exitCode;
      const receipt = result.receipt?.receipt;
      if (opts.json) {
        printJson(io, {
          command: "submit" as const,
          outcome: result.outcome,
          exit_code: code,
          period: period.id,
          submission_id: result.submissionId,
          receipt_id: receipt?.receipt_id ?? null,
          received_at: receipt?.received_at ?? null,
          resumed: result.resumed,
          out_dir: result.validation.outDir,
          blocked_reasons: result.validation.report.blocked_reasons,
          datasets: datasetCounts(result.validation),
        } satisfies SubmitOutput);
      } else {
        const lines = validationSummary(result.validation, ctx);
        if (result.outcome === "submitted") {
          lines.push(
            `${paint(ctx, "green", "SUBMITTED")}  ${result.submissionId}${result.resumed ? " (resumed)" : ""}`,
          );
          lines.push(
            `  receipt ${receipt?.receipt_id} received by PHIN at ${receipt?.received_at}, signature verified`,
          );
        } else if (result.outcome === "already_submitted") {
          lines.push(
            `ALREADY SUBMITTED  ${result.submissionId}: receipt ${receipt?.receipt_id} (${receipt?.received_at}); nothing sent`,
          );
        }
        say(ctx, lines.join("\n"));
      }
      if (code === EXIT_BLOCKED) sayBlocked(ctx, result.validation);
      ctx.setExitCode(code);
    });
}

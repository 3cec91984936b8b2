// `phin-submit submit`: validate, then send exactly once, verify PHIN's receipt and record it.
import type { Command } from "commander";
import { EXIT_OK } from "../../errors.ts";
import { assertPeriodEnded } from "../../time/period.ts";
import { toolVersion } from "../../version.ts";
import { type CommandContext, type CommandOptions, configOption, exitHelp } from "../context.ts";
import type { SubmitOutput } from "../output-schema.ts";
import { datasetCounts, EXIT_BLOCKED, sayBlocked, validationSummary } from "./validate.ts";

export function registerSubmit(program: Command, ctx: CommandContext): void {
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
    .option("--confirm", "also ask PHIN's list that it holds the submission (exit 77 if not)")
    .addHelpText(
      "after",
      `\nA period whose content already has a receipt is a no-op success once the receipt's signature and\ndigests verify (no network; --confirm also asks PHIN's list). A receipt that does not verify is exit 77.\n\nExamples:\n  phin-submit submit --period previous            # the scheduled monthly run\n  phin-submit submit --config phin.config.json --period 2026-10 --json\n${exitHelp}`,
    )
    .action(async (opts: CommandOptions & { period: string; confirm?: true }) => {
      const { env } = ctx.io;
      const { now } = ctx;
      const period = ctx.period(opts.period);
      assertPeriodEnded(period, now());
      const loaded = await ctx.load(opts.config);
      const { runSubmit } = await import("../../pipeline/run-submit.ts");
      const { result, exitCode } = await ctx.runLogged(loaded, opts.json, {
        command: "submit",
        work: (run) =>
          runSubmit({
            ...run,
            loaded,
            period,
            now,
            toolVersion,
            env,
            confirm: opts.confirm,
          }),
        end: (r) => ({
          outcome: r.outcome,
          exitCode: r.outcome === "blocked" ? EXIT_BLOCKED : EXIT_OK,
          counts: datasetCounts(r.validation),
        }),
        toJson: (r, code): SubmitOutput => ({
          command: "submit",
          outcome: r.outcome,
          exit_code: code,
          period: period.id,
          submission_id: r.submissionId,
          receipt_id: r.receipt?.receipt.receipt_id ?? null,
          received_at: r.receipt?.receipt.received_at ?? null,
          resumed: r.resumed,
          confirmed: r.confirmed,
          out_dir: r.validation.outDir,
          blocked_reasons: r.validation.report.blocked_reasons,
          datasets: datasetCounts(r.validation),
        }),
        toText: (r) => {
          const receipt = r.receipt?.receipt;
          const lines = validationSummary(r.validation, ctx);
          if (r.outcome === "submitted") {
            lines.push(
              `${ctx.paint("green", "SUBMITTED")}  ${r.submissionId}${r.resumed ? " (resumed)" : ""}`,
              `  receipt ${receipt?.receipt_id} received by PHIN at ${receipt?.received_at}, signature verified`,
            );
          } else if (r.outcome === "already_submitted") {
            lines.push(
              `ALREADY SUBMITTED  ${r.submissionId}: receipt ${receipt?.receipt_id} (${receipt?.received_at}), signature verified; nothing sent`,
            );
          }
          if (r.confirmed) lines.push("  confirmed: PHIN's list holds this submission");
          return lines.join("\n");
        },
      });
      if (exitCode === EXIT_BLOCKED) sayBlocked(ctx, result.validation);
    });
}

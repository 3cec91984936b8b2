// `phin-submit status [ID]`: PHIN's processing outcome for a submission.
import type { Command } from "commander";
import { EXIT_OK, errorClasses } from "../../errors.ts";
import { toolVersion } from "../../version.ts";
import { type CommandContext, type CommandOptions, configOption, exitHelp } from "../context.ts";

export function registerStatus(program: Command, ctx: CommandContext): void {
  program
    .command("status [submission_id]")
    .description(
      "Ask PHIN for a submission's processing outcome (default: the latest in the ledger).",
    )
    .addOption(configOption())
    .option("--json", "print a machine-readable result on stdout")
    .addHelpText(
      "after",
      `\nExamples:\n  phin-submit status\n  phin-submit status NQX-2026-10-71faa9c1e48fc4886d7b --json\n${exitHelp}`,
    )
    .action(async (submissionId: string | undefined, opts: CommandOptions) => {
      const { env } = ctx.io;
      const { now } = ctx;
      const loaded = await ctx.load(opts.config);
      const { runStatus } = await import("../../pipeline/run-status.ts");
      await ctx.runLogged(loaded, opts.json, {
        command: "status",
        work: ({ log, onWait }) =>
          runStatus({ loaded, submissionId, now, toolVersion, env, log, onWait }),
        end: (r) =>
          r.state === "rejected"
            ? { outcome: "rejected", exitCode: errorClasses.rejected.exit }
            : { outcome: "ok", exitCode: EXIT_OK },
        toJson: (r, code) => ({
          command: "status",
          exit_code: code,
          submission_id: r.submissionId,
          state: r.state,
          feedback: r.feedback,
        }),
        toText: (r) => {
          const feedback = Array.isArray(r.feedback)
            ? (r.feedback as { rule: string; count: number }[])
                .map((f) => `\n  ${f.rule}: ${f.count}`)
                .join("")
            : "";
          return `${r.submissionId}: ${r.state}${feedback}`;
        },
      });
    });
}

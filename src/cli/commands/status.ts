// `phin-submit status [ID]`: PHIN's processing outcome for a submission.
import type { Command } from "commander";
import { EXIT_OK, errorClasses } from "../../errors.ts";
import type { StatusResult } from "../../pipeline/run-status.ts";
import { toolVersion } from "../../version.ts";
import { type CommandContext, loadWithFlags, printJson, say, withRunLog } from "../context.ts";
import { configOption } from "./validate.ts";

export function registerStatus(program: Command, ctx: CommandContext, exitHelp: string): void {
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
    .action(async (submissionId: string | undefined, opts: { config: string; json?: boolean }) => {
      const { io } = ctx;
      const loaded = await loadWithFlags(ctx, opts.config);
      const { runStatus } = await import("../../pipeline/run-status.ts");
      const run = {
        command: "status",
        json: opts.json,
        end: (r: StatusResult) =>
          r.state === "rejected"
            ? { outcome: "rejected", exitCode: errorClasses.rejected.exit }
            : { outcome: "ok", exitCode: EXIT_OK },
      };
      const result = await withRunLog(ctx, loaded, run, ({ log, onWait }) =>
        runStatus({ loaded, submissionId, now: io.now, toolVersion, env: io.env, log, onWait }),
      );
      const code = run.end(result).exitCode;
      if (opts.json) {
        printJson(io, {
          command: "status",
          exit_code: code,
          submission_id: result.submissionId,
          state: result.state,
          feedback: result.feedback,
        });
      } else {
        const feedback = Array.isArray(result.feedback)
          ? (result.feedback as { rule: string; count: number }[])
              .map((f) => `\n  ${f.rule}: ${f.count}`)
              .join("")
          : "";
        say(ctx, `${result.submissionId}: ${result.state}${feedback}`);
      }
      ctx.setExitCode(code);
    });
}

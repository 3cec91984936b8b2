// `phin-submit state rebuild`: make the state store again from the ledger and the sent months'
// link-keys files (docs/state.md).
import type { Command } from "commander";
import { EXIT_OK } from "../../errors.ts";
import { rebuildStateStore } from "../../state/rebuild.ts";
import { loadTransport } from "../../transmit/load-transport.ts";
import { type CommandContext, type CommandOptions, configOption, exitHelp } from "../context.ts";
import type { StateRebuildOutput } from "../output-schema.ts";

export function registerState(program: Command, ctx: CommandContext): void {
  const state = program
    .command("state")
    .description("The state store of accepted submissions' link keys (docs/state.md).")
    .addHelpText("after", exitHelp);

  state
    .command("rebuild")
    .description(
      "Rebuild the state store from the ledger's receipts and each sent month's link-keys file.",
    )
    .addOption(configOption())
    .option("--json", "print a machine-readable result on stdout")
    .addHelpText(
      "after",
      "\nRun it when no other phin-submit run is going. A receipted month whose link-keys file is gone\ncannot be recovered from what is kept; it is listed, and its episodes stay unknown to later months.\n",
    )
    .action(async (opts: CommandOptions) => {
      const loaded = await ctx.load(opts.config);
      // Receipts are checked with PHIN's key: a forged one must not become a link target.
      const { receiptPublicKey } = await loadTransport(loaded, ctx.io.env);
      const stateDir = loaded.resolve(loaded.config.state_dir);
      const result = await rebuildStateStore(stateDir, receiptPublicKey);
      const missing = result.missing.map((m) => ({
        submission_id: m.submissionId,
        period: m.period,
      }));
      if (opts.json) {
        const out: StateRebuildOutput = {
          command: "state rebuild",
          exit_code: EXIT_OK,
          submissions: result.submissions,
          episodes: result.episodes,
          not_recoverable: missing,
        };
        ctx.printJson(out);
      } else {
        ctx.say(
          `state store rebuilt: ${result.submissions} submissions, ${result.episodes} episodes (${result.file})`,
        );
      }
      for (const m of missing)
        ctx.io.stderr(
          `phin-submit: warning: ${m.submission_id} (${m.period}) has a receipt but no link-keys file: its episodes cannot be recovered\n`,
        );
      ctx.exitCode = EXIT_OK;
    });
}

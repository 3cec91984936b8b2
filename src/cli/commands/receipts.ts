// `phin-submit receipts list | show ID | verify`: read and check the ledger.
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import type { LoadedConfig } from "../../config/load-config.ts";
import { EXIT_OK, errorClasses, PhinError } from "../../errors.ts";
import { ledgerPath, readLedger } from "../../receipt/ledger.ts";
import type { SignedReceipt } from "../../receipt/receipt.ts";
import { verifyLedgerFile } from "../../receipt/verify-ledger.ts";
import { toolVersion } from "../../version.ts";
import { type CommandContext, type CommandOptions, configOption, exitHelp } from "../context.ts";

export function registerReceipts(program: Command, ctx: CommandContext): void {
  const receipts = program
    .command("receipts")
    .description("Read and verify the ledger of submissions and PHIN receipts.")
    .addHelpText("after", exitHelp);

  receipts
    .command("list")
    .description("List verified receipts.")
    .addOption(configOption())
    .option("--json", "print a machine-readable result on stdout")
    .action(async (opts: CommandOptions) => {
      const loaded = await ctx.load(opts.config);
      const { entries } = await readLedger(ledgerPath(loaded));
      const rows = entries
        .filter((e) => e.type === "receipt")
        .map((e) => {
          const r = (e.receipt as SignedReceipt).receipt;
          return {
            seq: e.seq,
            submission_id: e.submission_id,
            period: e.period,
            receipt_id: r.receipt_id,
            received_at: r.received_at,
            supersedes: r.supersedes,
          };
        });
      if (opts.json) ctx.printJson({ command: "receipts list", exit_code: 0, receipts: rows });
      else
        ctx.io.stdout(
          rows.length === 0
            ? "no receipts yet\n"
            : `${rows.map((r) => `${r.period}  ${r.submission_id}  ${r.receipt_id}  ${r.received_at}`).join("\n")}\n`,
        );
    });

  receipts
    .command("show <submission_id>")
    .description("Show every ledger entry for one submission, receipt included.")
    .addOption(configOption())
    .action(async (id: string, opts: CommandOptions) => {
      const loaded = await ctx.load(opts.config);
      const { entries } = await readLedger(ledgerPath(loaded));
      const mine = entries.filter((e) => e.submission_id === id);
      if (mine.length === 0)
        throw new PhinError("NOT_FOUND", `the ledger has no submission ${id}`, { stage: "cli" });
      ctx.io.stdout(`${JSON.stringify(mine, null, 2)}\n`);
    });

  receipts
    .command("verify")
    .description(
      "Check the ledger's hash chain, its end (the head file) and every receipt signature (with the configured PHIN key).",
    )
    .addOption(configOption())
    .option("--remote", "also compare the ledger with PHIN's list of submissions")
    .option("--json", "print a machine-readable result on stdout")
    .action(async (opts: CommandOptions & { remote?: true }) => {
      const loaded = await ctx.load(opts.config);
      const keyFile = loaded.config.transport?.receipt_public_key_file;
      const key =
        keyFile === undefined
          ? undefined
          : await readFile(loaded.resolve(keyFile), "utf8").catch(() => undefined);
      const local = await verifyLedgerFile(ledgerPath(loaded), key);
      const remote = opts.remote ? await remoteReport(ctx, loaded) : undefined;
      const problems = [...local.problems, ...(remote?.problems ?? [])];
      const report = { ...local, problems };
      const ok = problems.length === 0;
      const code = ok ? EXIT_OK : errorClasses.trust.exit;
      if (opts.json) {
        const extra = remote === undefined ? {} : { remote: remote.json };
        ctx.printJson({ command: "receipts verify", exit_code: code, ok, ...report, ...extra });
      } else if (ok) {
        const signatures =
          key === undefined
            ? " (signatures not checked: no receipt key configured)"
            : ", signatures verified";
        const torn = report.tornTail
          ? "; a torn last line from a crash is set aside on the next submit or status"
          : "";
        const phin = remote === undefined ? "" : "; PHIN holds the same receipts";
        ctx.say(
          `ledger OK: ${report.entries} entries, ${report.receipts} receipts${signatures}${torn}${phin}\n`,
        );
      } else {
        const where = (p: { seq: number; line: number }) =>
          p.seq === 0 ? "ledger" : `entry ${p.seq} (line ${p.line})`;
        ctx.io.stderr(
          `ledger FAILED verification:\n${problems.map((p) => `  ${where(p)}: ${p.problem}`).join("\n")}\n`,
        );
      }
      ctx.exitCode = code;
    });

  registerRecover(receipts, ctx);
}

function registerRecover(receipts: Command, ctx: CommandContext): void {
  receipts
    .command("recover")
    .description(
      "Restore from PHIN the receipts its list holds and the ledger lacks (each verified), then anchor the ledger's end.",
    )
    .addOption(configOption())
    .option("--json", "print a machine-readable result on stdout")
    .action(async (opts: CommandOptions) => {
      const loaded = await ctx.load(opts.config);
      const { runRecover } = await import("../../pipeline/run-receipts.ts");
      const result = await runRecover({ loaded, env: ctx.io.env, now: ctx.now, toolVersion });
      const recovered = result.recovered.map((r) => ({
        submission_id: r.submissionId,
        period: r.period,
        seq: r.seq,
      }));
      if (opts.json) {
        const { reanchored } = result;
        ctx.printJson({ command: "receipts recover", exit_code: 0, recovered, reanchored });
        return;
      }
      const lines = recovered.map(
        (r) => `recovered ${r.period}  ${r.submission_id}  as entry ${r.seq}`,
      );
      if (recovered.length === 0)
        lines.push("nothing to recover: the ledger holds every receipt PHIN has");
      if (result.reanchored) lines.push("the ledger's head now anchors its last entry");
      ctx.say(lines.join("\n"));
    });
}

/** --remote: each difference from PHIN's list as a problem, and the lists for --json. */
async function remoteReport(ctx: CommandContext, loaded: LoadedConfig) {
  const { compareWithPhin } = await import("../../pipeline/run-receipts.ts");
  const r = await compareWithPhin({ loaded, env: ctx.io.env, now: ctx.now, toolVersion });
  const problems = [
    ...r.unknownToPhin.map((e) => ({
      seq: e.seq,
      line: e.seq,
      problem: `PHIN does not hold submission ${e.submission_id}, which this entry records a receipt for`,
    })),
    ...r.missingFromLedger.map((s) => ({
      seq: 0,
      line: 0,
      problem: `PHIN holds submission ${s.submission_id} (${s.state}, opened ${s.created_at}) but the ledger has no receipt for it: run \`phin-submit receipts recover\``,
    })),
  ];
  const json = {
    unknown_to_phin: r.unknownToPhin.map((e) => ({ seq: e.seq, submission_id: e.submission_id })),
    missing_from_ledger: r.missingFromLedger.map((s) => ({
      submission_id: s.submission_id,
      state: s.state,
      created_at: s.created_at,
    })),
  };
  return { problems, json };
}

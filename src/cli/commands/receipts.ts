// `phin-submit receipts list | show ID | verify`: read and check the ledger.
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { EXIT_OK, errorClasses, PhinError } from "../../errors.ts";
import { ledgerPath, readLedger } from "../../receipt/ledger.ts";
import type { SignedReceipt } from "../../receipt/receipt.ts";
import { verifyLedgerFile } from "../../receipt/verify-ledger.ts";
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
      "Check the ledger's hash chain and every receipt signature (with the configured PHIN key).",
    )
    .addOption(configOption())
    .option("--json", "print a machine-readable result on stdout")
    .action(async (opts: CommandOptions) => {
      const loaded = await ctx.load(opts.config);
      const keyFile = loaded.config.transport?.receipt_public_key_file;
      const key =
        keyFile === undefined
          ? undefined
          : await readFile(loaded.resolve(keyFile), "utf8").catch(() => undefined);
      const report = await verifyLedgerFile(ledgerPath(loaded), key);
      const ok = report.problems.length === 0;
      const code = ok ? EXIT_OK : errorClasses.trust.exit;
      if (opts.json) ctx.printJson({ command: "receipts verify", exit_code: code, ok, ...report });
      else if (ok) {
        ctx.say(
          `ledger OK: ${report.entries} entries, ${report.receipts} receipts${key === undefined ? " (signatures not checked: no receipt key configured)" : ", signatures verified"}${report.tornTail ? "; a torn last line from a crash is ignored" : ""}\n`,
        );
      } else {
        ctx.io.stderr(
          `ledger FAILED verification:\n${report.problems.map((p) => `  entry ${p.seq} (line ${p.line}): ${p.problem}`).join("\n")}\n`,
        );
      }
      ctx.exitCode = code;
    });
}

// Once PHIN's receipt verifies, the month's report says so: report.json gains the receipt and
// the submitted counts, and report.html is rendered again from it.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../io/text-file.ts";
import type { SignedReceipt } from "../receipt/receipt.ts";
import { datasetOrder } from "../schemas/registry.ts";
import { renderReportHtml } from "./render-html.ts";
import type { ReportV1 } from "./report-schema.ts";

export async function attachReceipt(outDir: string, signed: SignedReceipt): Promise<void> {
  const file = path.join(outDir, "report.json");
  const report = JSON.parse(await readFile(file, "utf8")) as ReportV1;
  const { receipt_id, received_at, submission_id } = signed.receipt;
  const datasets = { ...report.datasets };
  for (const d of datasetOrder) datasets[d] = { ...datasets[d], submitted: datasets[d].valid };
  const updated: ReportV1 = {
    ...report,
    receipt: { receipt_id, received_at, submission_id },
    datasets,
  };
  await writeFileAtomic(file, `${JSON.stringify(updated, null, 2)}\n`);
  await writeFileAtomic(path.join(outDir, "report.html"), renderReportHtml(updated));
}

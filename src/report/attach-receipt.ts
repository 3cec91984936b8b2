// Once PHIN's receipt verifies, the month's report says so: report.json gains the receipt and
// the submitted counts, and report.html is rendered again from it.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../io/text-file.ts";
import type { SignedReceipt } from "../receipt/receipt.ts";
import { renderReportHtml } from "./render-html.ts";
import type { ReportV1 } from "./report-schema.ts";

export async function attachReceipt(outDir: string, signed: SignedReceipt): Promise<void> {
  const file = path.join(outDir, "report.json");
  const report = JSON.parse(await readFile(file, "utf8")) as ReportV1;
  const updated: ReportV1 = {
    ...report,
    receipt: {
      receipt_id: signed.receipt.receipt_id,
      received_at: signed.receipt.received_at,
      submission_id: signed.receipt.submission_id,
    },
    datasets: {
      episodes: { ...report.datasets.episodes, submitted: report.datasets.episodes.valid },
      proms: { ...report.datasets.proms, submitted: report.datasets.proms.valid },
      adverse_events: {
        ...report.datasets.adverse_events,
        submitted: report.datasets.adverse_events.valid,
      },
    },
  };
  await writeFileAtomic(file, `${JSON.stringify(updated, null, 2)}\n`);
  await writeFileAtomic(path.join(outDir, "report.html"), renderReportHtml(updated));
}

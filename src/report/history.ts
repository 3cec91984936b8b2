// Volumes of earlier months for the report's comparison chart, read from the ledger: the
// record counts of each period's latest receipted submission. No patient data is involved.
import { readLedger } from "../receipt/ledger.ts";
import type { HistoryPoint } from "./build-report.ts";

const MONTHS = 12;

export async function historyFromLedger(ledgerFile: string): Promise<HistoryPoint[]> {
  const { entries } = await readLedger(ledgerFile).catch(() => ({ entries: [] }));
  const counts = new Map<string, Record<string, number>>();
  for (const e of entries)
    if (e.type === "intent") counts.set(e.submission_id, e.record_counts as Record<string, number>);
  const byPeriod = new Map<string, HistoryPoint>();
  for (const e of entries) {
    if (e.type !== "receipt") continue;
    const c = counts.get(e.submission_id) ?? {};
    byPeriod.set(e.period, {
      period: e.period,
      submission_id: e.submission_id,
      episodes: c.episodes ?? 0,
      proms: c.proms ?? 0,
      adverse_events: c.adverse_events ?? 0,
    });
  }
  return [...byPeriod.values()].sort((a, b) => a.period.localeCompare(b.period)).slice(-MONTHS);
}

// Progress on stderr while a dataset is read: records, records per second and an ETA from the
// bytes read. Only on a terminal (never in logs or pipes), redrawn at most ten times a second.
import type { PassProgress } from "../pipeline/dataset-pass.ts";

const WIDTH = 24;

/** A source of unknown size (a SQL query: totalBytes 0) shows records and rate, no bar or ETA. */
export function formatProgress(p: PassProgress, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? Math.round((p.records * 1000) / elapsedMs) : 0;
  const counts = `${p.records.toLocaleString("en-GB")} records  ${rate.toLocaleString("en-GB")}/s`;
  if (p.totalBytes === 0) return `${p.dataset.padEnd(15)} ${counts}`;
  const share = Math.min(1, p.bytes / p.totalBytes);
  const filled = Math.round(share * WIDTH);
  const etaS = share > 0 && share < 1 ? Math.round(((elapsedMs / share) * (1 - share)) / 1000) : 0;
  return `${p.dataset.padEnd(15)} [${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${String(Math.round(share * 100)).padStart(3)}%  ${counts}  ETA ${etaS}s`;
}

/** `now` is injectable so tests can drive the clock. */
export function createProgressBar(options: { write: (text: string) => void; now?: () => number }) {
  const now = options.now ?? Date.now;
  let dataset = "";
  let started = now();
  let last = 0;
  let shown = false;
  return {
    update(p: PassProgress) {
      if (p.dataset !== dataset) {
        dataset = p.dataset;
        started = now();
      }
      const t = now();
      if (t - last < 100 && (p.totalBytes === 0 || p.bytes < p.totalBytes)) return;
      last = t;
      shown = true;
      options.write(`\r\u001b[K${formatProgress(p, t - started)}`);
    },
    done() {
      if (shown) options.write("\r\u001b[K");
    },
  };
}

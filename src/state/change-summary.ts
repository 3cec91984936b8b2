// What a new run of a sent period changes against the submission PHIN accepted: per dataset, the
// records added, removed and changed (by record key) and how often each field changed. Built
// from the record digests alone (record-digests.ts), so it can never hold a value.
import type { DatasetName } from "../schemas/names.ts";
import type { DatasetDigests, RecordDigest } from "./record-digests.ts";

export interface DatasetChanges {
  readonly dataset: DatasetName;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
  /** Column name -> number of changed records in which it changed. */
  readonly fields: Readonly<Record<string, number>>;
}

export interface ChangeSummary {
  readonly datasets: readonly DatasetChanges[];
  /** True when no record was added, removed or changed. */
  readonly identical: boolean;
}

function compare(now: DatasetDigests | undefined, sent: DatasetDigests | undefined) {
  const before = new Map<string, RecordDigest>((sent?.records ?? []).map((r) => [r.key, r]));
  const columns = now?.columns ?? sent?.columns ?? [];
  const sameColumns = sent === undefined || sent.columns.join() === columns.join();
  const added: string[] = [];
  const changed: string[] = [];
  const fields: Record<string, number> = {};
  for (const r of now?.records ?? []) {
    const old = before.get(r.key);
    before.delete(r.key);
    if (old === undefined) added.push(r.key);
    else if (old.digest !== r.digest) {
      changed.push(r.key);
      columns.forEach((column, i) => {
        if (!sameColumns || old.fields[i] !== r.fields[i])
          fields[column] = (fields[column] ?? 0) + 1;
      });
    }
  }
  return { added, removed: [...before.keys()], changed, fields };
}

/** `now` is this run's digests, `sent` the accepted submission's. */
export function changeSummary(
  now: readonly DatasetDigests[],
  sent: readonly DatasetDigests[],
): ChangeSummary {
  const names = [...new Set([...now, ...sent].map((d) => d.dataset))];
  const datasets = names.map((dataset) => ({
    dataset,
    ...compare(
      now.find((d) => d.dataset === dataset),
      sent.find((d) => d.dataset === dataset),
    ),
  }));
  const identical = datasets.every(
    (d) => d.added.length + d.removed.length + d.changed.length === 0,
  );
  return { datasets, identical };
}

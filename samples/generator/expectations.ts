// Bookkeeping of what each generated record should produce, so expected.json is derived from
// the scenario table rather than from running the pipeline.
import type { DatasetName, RuleId } from "../../src/schemas/names.ts";
import { rules } from "../../src/schemas/rule-catalogue.ts";

export type Outcome = "valid" | "rejected" | "out_of_scope";

export interface Expected {
  period: string;
  verdict: "ready" | "blocked";
  datasets: Record<
    DatasetName,
    { read: number; valid: number; rejected: number; out_of_scope: number }
  >;
  issues_by_rule: Record<DatasetName, Partial<Record<RuleId, number>>>;
}

export class Expectations {
  readonly #counts: Expected["datasets"] = {
    episodes: { read: 0, valid: 0, rejected: 0, out_of_scope: 0 },
    proms: { read: 0, valid: 0, rejected: 0, out_of_scope: 0 },
    adverse_events: { read: 0, valid: 0, rejected: 0, out_of_scope: 0 },
  };
  readonly #issues: Expected["issues_by_rule"] = { episodes: {}, proms: {}, adverse_events: {} };

  /** A record expected to raise exactly `raised` (one entry per issue); out of scope raises none. */
  record(dataset: DatasetName, raised: readonly RuleId[], outOfScope = false): Outcome {
    const c = this.#counts[dataset];
    c.read++;
    if (outOfScope) {
      if (raised.length > 0) throw new Error("out-of-scope records raise no issues");
      c.out_of_scope++;
      return "out_of_scope";
    }
    for (const rule of raised) {
      if (!(rules[rule].datasets as readonly DatasetName[]).includes(dataset))
        throw new Error(`${rule} cannot fire on ${dataset}`);
      this.#issues[dataset][rule] = (this.#issues[dataset][rule] ?? 0) + 1;
    }
    const rejected = raised.some((r) => rules[r].severity === "E");
    if (rejected) c.rejected++;
    else c.valid++;
    return rejected ? "rejected" : "valid";
  }

  result(maxRejectedShare: number, period = "2026-10"): Expected {
    const blocked = Object.values(this.#counts).some((c) => {
      const inScope = c.valid + c.rejected;
      return inScope > 0 && c.rejected / inScope > maxRejectedShare;
    });
    const sorted = Object.fromEntries(
      Object.entries(this.#issues).map(([d, byRule]) => [
        d,
        Object.fromEntries(Object.entries(byRule).sort(([a], [b]) => a.localeCompare(b))),
      ]),
    ) as Expected["issues_by_rule"];
    return {
      period,
      verdict: blocked ? "blocked" : "ready",
      datasets: this.#counts,
      issues_by_rule: sorted,
    };
  }

  /** Every rule id raised anywhere. */
  rulesRaised(): Set<string> {
    return new Set(Object.values(this.#issues).flatMap((m) => Object.keys(m)));
  }
}

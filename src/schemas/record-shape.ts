// Records are plain objects keyed by field name, every record of a stage holding the same keys
// in schema order. The stages are compiled per field (one closure per field), and a closure that
// reads `record[field]` with the field's name in a variable is one property access site seeing
// thirty different names: V8 makes it megamorphic, a hash probe per access (in a
// micro-benchmark, ~65 ns per field read and written against ~15 by position: microseconds per
// record per stage).
//
// A RecordShape holds functions generated once from the key list, in which every key is a
// literal: `read` lists a record's values in key order (each access site sees one name, so it is
// a fixed-offset load), and `build` makes a record from such a list with one object literal (one
// hidden class for every record, fast properties whatever the number of keys); `hasAll` checks
// that a record holds every key. The per-field steps then work on positions in an array. Keys
// enter the generated code only as JSON string literals, after a check that they are plain
// identifiers: no name can become code.

import { PhinError } from "../errors.ts";
import type { DatasetDef } from "./dataset.ts";

export interface RecordShape {
  readonly keys: readonly string[];
  /** The record's values in key order (undefined for a key it lacks); extra keys are ignored. */
  readonly read: (record: Readonly<Record<string, unknown>>) => unknown[];
  /** A record holding exactly the keys, in order, with `values[i]` at key i. */
  readonly build: <T>(values: readonly T[]) => Record<string, T>;
  /** The record holds every key (it may hold others too). */
  readonly hasAll: (record: Readonly<Record<string, unknown>>) => boolean;
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function recordShape(keys: readonly string[]): RecordShape {
  for (const key of keys) {
    if (!identifier.test(key)) {
      throw new PhinError("INTERNAL", `"${key}" is not a field name a record shape accepts`, {
        stage: "validate",
      });
    }
  }
  const literal = keys.map((key) => JSON.stringify(key));
  // Generated rather than looped: see the comment at the top of this file.
  const read = new Function(`return (r) => [${literal.map((k) => `r[${k}]`).join(", ")}];`)();
  const build = new Function(
    `return (v) => ({ ${literal.map((k, i) => `${k}: v[${i}]`).join(", ")} });`,
  )();
  const hasAll = new Function(
    `return (r) => ${literal.length === 0 ? "true" : literal.map((k) => `${k} in r`).join(" && ")};`,
  )();
  return { keys: [...keys], read, build, hasAll };
}

const datasetShapes = new WeakMap<DatasetDef, RecordShape>();

/** The shape of a dataset's records as the mapper builds them: every field, in schema order. */
export function datasetShape(dataset: DatasetDef): RecordShape {
  let shape = datasetShapes.get(dataset);
  if (shape === undefined) {
    shape = recordShape(Object.keys(dataset.fields));
    datasetShapes.set(dataset, shape);
  }
  return shape;
}

// A stored record as the flat cells of its dataset's file (scalars in schema order, lists
// expanded into their numbered columns, blanks as empty cells), and back. One place, so the CSV
// and XML files and the sandbox's reading of them cannot disagree about what a record holds.
import type { DatasetDef } from "../schemas/dataset.ts";
import type { ParsedRecord } from "../validate/compile-record-parser.ts";

type Procedure = { code: string; date: string };

/** A stored scalar as its cell: its type's format, blank for null. */
export function scalarCell(format: (value: string | number) => string, value: unknown): string {
  return value === null || value === undefined ? "" : format(value as string | number);
}

/** The function from a stored record to its cells, for one dataset (fields listed once). */
export function cellsOf(dataset: DatasetDef): (record: ParsedRecord) => string[] {
  const fields = Object.entries(dataset.fields);
  return (record) => {
    const cells: string[] = [];
    for (const [name, { type }] of fields) {
      const value = record[name];
      if (type.kind === "scalar") {
        cells.push(scalarCell(type.format as (v: string | number) => string, value));
      } else if (type.kind === "list") {
        const items = (value ?? []) as string[];
        for (let i = 0; i < type.max; i++) cells.push(items[i] ?? "");
      } else {
        const items = (value ?? []) as Procedure[];
        for (let i = 0; i < type.max; i++) cells.push(items[i]?.code ?? "", items[i]?.date ?? "");
      }
    }
    return cells;
  };
}

/** The inverse of cellsOf (the sandbox validates submitted files with it). */
export function fromCells(dataset: DatasetDef, cells: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let at = 0;
  const next = () => cells[at++] ?? "";
  for (const [name, { type }] of Object.entries(dataset.fields)) {
    if (type.kind === "scalar") {
      const v = next();
      out[name] = v === "" ? null : type.numeric === true ? Number(v) : v;
    } else if (type.kind === "list") {
      const items: string[] = [];
      for (let i = 0; i < type.max; i++) items.push(next());
      out[name] = items.filter((v) => v !== "");
    } else {
      const items: Procedure[] = [];
      for (let i = 0; i < type.max; i++) {
        const code = next();
        const date = next();
        if (code !== "" || date !== "") items.push({ code, date });
      }
      out[name] = items;
    }
  }
  return out;
}

// A stored record as the flat cells of its dataset's file: scalars in schema order, lists
// expanded into their numbered columns, blanks as empty cells. One place, so the CSV and the
// XML writers cannot disagree about what a record holds.
import { PhinError } from "../errors.ts";
import type { DatasetDef } from "../schemas/dataset.ts";
import { asIs } from "../schemas/field-types.ts";
import { datasetShape } from "../schemas/record-shape.ts";
import type { ParsedRecord } from "../validate/compile-record-parser.ts";

/** A stored value never needs CSV quoting: every field type excludes these characters. */
const needsQuoting = /[",\r\n]/;

/**
 * A stored record as one row of its dataset's file: the flat cells joined with commas, never
 * quoted. A cell that would need quoting is a bug in a field type, and fails the run rather than
 * shift a column.
 */
export function compileToRow(dataset: DatasetDef): (record: ParsedRecord) => string {
  const refuse = (): never => {
    throw new PhinError("INTERNAL", `a stored value of dataset ${dataset.name} needs CSV quoting`, {
      stage: "package",
    });
  };
  const checked = (cell: string) => (cell !== "" && needsQuoting.test(cell) ? refuse() : cell);
  // A list field is one segment of `max` cells (`2 * max` for procedures): its few filled cells
  // joined, then the commas of the blank ones, precomputed. Rows are joined from ~30 segments
  // rather than ~60 mostly empty cells.
  const commas = (n: number) => Array.from({ length: n + 1 }, (_, i) => ",".repeat(i));
  // Each step formats the value at its field's position (record-shape.ts).
  const shape = datasetShape(dataset);
  const steps: ((values: readonly unknown[]) => string)[] = [];
  for (const [name, def] of Object.entries(dataset.fields)) {
    const type = def.type;
    const k = shape.keys.indexOf(name);
    if (type.kind === "scalar") {
      const format = type.format as (value: string | number) => string;
      // A plain type's values cannot need quoting (field-types.ts): no check per value.
      const plain = type.plain === true;
      steps.push((values) => {
        const value = values[k];
        if (value === null || value === undefined) return "";
        const cell = format(value as string | number);
        return plain ? cell : checked(cell);
      });
    } else if (type.kind === "list") {
      const tail = commas(type.max);
      const cell = type.item.plain === true ? asIs : checked;
      steps.push((values) => {
        const items = (values[k] ?? []) as string[];
        const n = Math.min(items.length, type.max);
        if (n === 0) return tail[type.max - 1] as string;
        let cells = cell(items[0] as string);
        for (let i = 1; i < n; i++) cells += `,${cell(items[i] as string)}`;
        return cells + (tail[type.max - n] as string);
      });
    } else {
      const tail = commas(2 * type.max);
      steps.push((values) => {
        const items = (values[k] ?? []) as { code: string; date: string }[];
        const n = Math.min(items.length, type.max);
        if (n === 0) return tail[2 * type.max - 1] as string;
        let cells = "";
        for (let i = 0; i < n; i++) {
          const item = items[i] as { code: string; date: string };
          cells += `${i === 0 ? "" : ","}${checked(item.code)},${checked(item.date)}`;
        }
        return cells + (tail[2 * (type.max - n)] as string);
      });
    }
  }
  // One array reused for every row: the joined string is all that leaves.
  const out: string[] = new Array<string>(steps.length).fill("");
  return (record) => {
    const values = shape.read(record);
    for (let i = 0; i < steps.length; i++)
      out[i] = (steps[i] as (v: readonly unknown[]) => string)(values);
    return out.join(",");
  };
}

/** The inverse: a file's flat cells back to a stored record (the sandbox validates with it). */
export function compileFromCells(
  dataset: DatasetDef,
): (cells: readonly string[]) => Record<string, unknown> {
  const steps: ((cells: readonly string[], at: number, out: Record<string, unknown>) => number)[] =
    [];
  for (const [name, def] of Object.entries(dataset.fields)) {
    const type = def.type;
    if (type.kind === "scalar") {
      const numeric = type.numeric === true;
      steps.push((cells, at, out) => {
        const v = cells[at] ?? "";
        out[name] = v === "" ? null : numeric ? Number(v) : v;
        return at + 1;
      });
    } else if (type.kind === "list") {
      steps.push((cells, at, out) => {
        out[name] = cells.slice(at, at + type.max).filter((v) => v !== "");
        return at + type.max;
      });
    } else {
      steps.push((cells, at, out) => {
        const items: { code: string; date: string }[] = [];
        for (let i = 0; i < type.max; i++) {
          const code = cells[at + 2 * i] ?? "";
          const date = cells[at + 2 * i + 1] ?? "";
          if (code !== "" || date !== "") items.push({ code, date });
        }
        out[name] = items;
        return at + 2 * type.max;
      });
    }
  }
  return (cells) => {
    const out: Record<string, unknown> = {};
    let at = 0;
    for (const step of steps) at = step(cells, at, out);
    return out;
  };
}

// A dataset schema as data: ordered field definitions from which the strict zod schema of the
// stored record, the flat column order of submission files and the JSON Schema all derive.
import { z } from "zod";
import type {
  FieldDef,
  FieldType,
  ListType,
  ProcedureListType,
  ScalarType,
} from "./field-types.ts";
import type { DatasetName } from "./names.ts";

export interface ProcedureEntry {
  readonly code: string;
  readonly date: string;
}

type StoredOf<T> =
  T extends ScalarType<infer V>
    ? V
    : T extends ListType<infer V>
      ? V[]
      : T extends ProcedureListType
        ? ProcedureEntry[]
        : never;

type Nullable<D> =
  D extends FieldDef<infer T>
    ? T extends ScalarType<infer V>
      ? D["status"] extends "M" | "D"
        ? V
        : V | null
      : StoredOf<T>
    : never;

/** The stored record type of a field table: blank R/O scalars are null, lists may be empty. */
export type RecordOf<F extends Record<string, FieldDef>> = {
  -readonly [K in keyof F]: Nullable<F[K]>;
};

/** Any dataset definition, as the pipeline stages see it. */
export interface DatasetDef {
  readonly name: DatasetName;
  readonly version: number;
  readonly fields: Readonly<Record<string, FieldDef>>;
  /** Field holding the record's own id (unique per provider). */
  readonly idField: string;
  /** Strict schema of the stored record: unknown keys fail, so nothing extra can slip out. */
  readonly schema: z.ZodType;
  /** Flat column order of the dataset's CSV file (lists expanded to numbered columns). */
  readonly columns: readonly string[];
}

/** A dataset definition that keeps its field table's types, for `z.infer` of its record. */
export interface TypedDatasetDef<F extends Record<string, FieldDef>> extends DatasetDef {
  readonly fields: F;
  readonly idField: keyof F & string;
  readonly schema: z.ZodType<RecordOf<F>>;
}

function zodOf(def: FieldDef): z.ZodType {
  const type: FieldType = def.type;
  switch (type.kind) {
    case "scalar": {
      const base = type.zod.describe(type.description);
      return def.status === "M" || def.status === "D" ? base : base.nullable();
    }
    case "list":
      return z.array(type.item.zod).max(type.max);
    case "procedures":
      return z
        .array(z.strictObject({ code: z.string().regex(/^[A-HJ-Z][0-9]{3}$/), date: z.iso.date() }))
        .max(type.max);
  }
}

function columnsOf(fields: Record<string, FieldDef>): string[] {
  const columns: string[] = [];
  for (const [name, def] of Object.entries(fields)) {
    const type = def.type;
    if (type.kind === "scalar") columns.push(name);
    else if (type.kind === "list") for (let n = 1; n <= type.max; n++) columns.push(type.column(n));
    else for (let n = 1; n <= type.max; n++) columns.push(type.codeColumn(n), type.dateColumn(n));
  }
  return columns;
}

export function defineDataset<F extends Record<string, FieldDef>>(spec: {
  name: DatasetName;
  version: number;
  idField: keyof F & string;
  fields: F;
}): TypedDatasetDef<F> {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, def] of Object.entries(spec.fields)) shape[name] = zodOf(def);
  return {
    ...spec,
    schema: z.strictObject(shape) as unknown as z.ZodType<RecordOf<F>>,
    columns: columnsOf(spec.fields),
  };
}

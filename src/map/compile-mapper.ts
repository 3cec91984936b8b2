// Compiles a loaded mapping against an opened source into one function from a native source
// record to a MappedRecord: trimmed strings, value maps and lookups applied, nothing parsed yet.
// Only columns the mapping names are ever read; everything else stays behind in the source.
import type { OpenedSource } from "../extract/source.ts";
import type { FieldRule, LoadedMapping } from "./load-mapping.ts";

export interface RawProcedure {
  readonly code: string | null;
  readonly date: string | null;
}

export type MappedValue = string | null | string[] | RawProcedure[];

export interface MappedRecord {
  /** Target field -> raw value: scalars as trimmed strings (null when blank), lists as arrays. */
  readonly fields: Record<string, MappedValue>;
  /** The local patient id the pseudonym is computed from; dropped by the minimise stage. */
  readonly localPatientId: string | null;
  /** The source flags this patient as objecting to identifiable sharing. */
  readonly objects: boolean;
}

export interface Mapper<R> {
  map(row: R): MappedRecord;
  /** Column names / element paths the mapping reads: everything else is dropped at extract. */
  readonly readPaths: readonly string[];
}

type Transform = (value: string | undefined) => string | null;

/** A value trimmed, with a blank (or absent) one as null: all most fields need. */
const trimmed: Transform = (value) => {
  const v = value?.trim();
  return v === undefined || v === "" ? null : v;
};

function transformFor(
  mapping: LoadedMapping,
  map?: Record<string, string>,
  lookup?: string,
): Transform {
  const valueMap = map === undefined ? undefined : new Map(Object.entries(map));
  const table = lookup === undefined ? undefined : mapping.lookups.get(lookup);
  if (valueMap === undefined && table === undefined) return trimmed;
  return (value) => {
    let v = trimmed(value);
    if (v === null) return null;
    if (valueMap !== undefined) v = valueMap.get(v) ?? v;
    if (table !== undefined) v = table.get(v) ?? v;
    return v === "" ? null : v;
  };
}

type FieldReader<R> = (row: R) => MappedValue;

function compileRule<R>(
  mapping: LoadedMapping,
  source: OpenedSource<R>,
  rule: FieldRule,
  paths: string[],
): FieldReader<R> {
  switch (rule.kind) {
    case "scalar": {
      const t = transformFor(mapping, rule.rule.map, rule.rule.lookup);
      const from = rule.rule.from;
      if (from === undefined) {
        const constant = t(rule.rule.const);
        return () => constant;
      }
      paths.push(from);
      const get = source.value(from);
      return (row) => t(get(row));
    }
    case "list": {
      const t = transformFor(mapping, rule.rule.map);
      const values = repeated(source, paths, rule.columns, rule.rule.each, rule.rule.value);
      return (row) => {
        const out: string[] = [];
        for (const raw of values(row)) {
          const v = t(raw);
          if (v !== null) out.push(v);
        }
        return out;
      };
    }
    case "procedures": {
      const { each, code, date } = rule.rule;
      const codes = repeated(source, paths, rule.codeColumns, each, code);
      const dates = repeated(source, paths, rule.dateColumns, each, date);
      return (row) => {
        const rawCodes = codes(row);
        const rawDates = dates(row);
        const out: RawProcedure[] = [];
        // Paired by position: load-mapping.ts pairs the CSV columns; XML reads one element each.
        for (let i = 0; i < rawCodes.length; i++) {
          const c = trimmed(rawCodes[i]);
          const d = trimmed(rawDates[i]);
          if (c !== null || d !== null) out.push({ code: c, date: d });
        }
        return out;
      };
    }
  }
}

/**
 * The raw values of a repeated field, in order. CSV: one per column. XML: the value at `inner`
 * in each `each` element (load-mapping.ts guarantees the keys each format needs).
 */
function repeated<R>(
  source: OpenedSource<R>,
  paths: string[],
  columns: readonly string[] | null,
  each: string | undefined,
  inner: string | undefined,
): (row: R) => (string | undefined)[] {
  if (columns !== null) {
    paths.push(...columns);
    const getters = columns.map((c) => source.value(c));
    return (row) => getters.map((get) => get(row));
  }
  const group = each as string;
  const path = inner as string;
  paths.push(path === "." ? group : `${group}/${path}`);
  const items = source.group(group);
  const get = source.valueIn(group, path);
  return (row) => items(row).map((item) => get(item));
}

export function compileMapper<R>(mapping: LoadedMapping, source: OpenedSource<R>): Mapper<R> {
  const paths: string[] = [];
  const readers: [string, FieldReader<R>][] = [];
  let readLocalId: FieldReader<R> = () => null;
  for (const rule of mapping.rules) {
    const reader = compileRule(mapping, source, rule, paths);
    // The local id feeds the pseudonym; it is kept apart so it can never be written as a field.
    if (rule.field === "patient_pseudonym") readLocalId = reader;
    else readers.push([rule.field, reader]);
  }
  let objects: (row: R) => boolean = () => false;
  if (mapping.objection !== undefined) {
    paths.push(mapping.objection.from);
    const get = source.value(mapping.objection.from);
    const yes = new Set(mapping.objection.values);
    objects = (row) => yes.has((get(row) ?? "").trim());
  }
  // Every record holds every dataset field, null where the mapping sets none.
  const blank = Object.fromEntries(Object.keys(mapping.dataset.fields).map((f) => [f, null]));
  return {
    readPaths: paths,
    map(row) {
      const fields: Record<string, MappedValue> = { ...blank };
      for (const [field, read] of readers) fields[field] = read(row);
      const localPatientId = readLocalId(row);
      return {
        fields,
        localPatientId: typeof localPatientId === "string" ? localPatientId : null,
        objects: objects(row),
      };
    },
  };
}

// Compiles a loaded mapping against an opened source into one function from a native source
// record to a MappedRecord: trimmed strings, value maps and lookups applied, nothing parsed yet.
// Only columns the mapping names are ever read; everything else stays behind in the source.
import type { OpenedSource, ValueAccessor } from "../extract/source.ts";
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
      if (rule.columns !== null) {
        paths.push(...rule.columns);
        const getters = rule.columns.map((c) => source.value(c));
        return (row) => {
          const out: string[] = [];
          for (const get of getters) {
            const v = t(get(row));
            if (v !== null) out.push(v);
          }
          return out;
        };
      }
      const each = rule.rule.each as string;
      const value = rule.rule.value;
      paths.push(value === "." ? each : `${each}/${value}`);
      const group = source.group(each);
      const get = source.valueIn(each, value);
      return (row) => {
        const out: string[] = [];
        for (const item of group(row)) {
          const v = t(get(item));
          if (v !== null) out.push(v);
        }
        return out;
      };
    }
    case "procedures": {
      const t = transformFor(mapping);
      const pair = (
        code: ValueAccessor<R>,
        date: ValueAccessor<R>,
        item: R,
        out: RawProcedure[],
      ) => {
        const c = t(code(item));
        const d = t(date(item));
        if (c !== null || d !== null) out.push({ code: c, date: d });
      };
      if (rule.codeColumns !== null && rule.dateColumns !== null) {
        paths.push(...rule.codeColumns, ...rule.dateColumns);
        const codes = rule.codeColumns.map((c) => source.value(c));
        const dates = rule.dateColumns.map((c) => source.value(c));
        return (row) => {
          const out: RawProcedure[] = [];
          for (let i = 0; i < codes.length; i++)
            pair(codes[i] as ValueAccessor<R>, dates[i] as ValueAccessor<R>, row, out);
          return out;
        };
      }
      const each = rule.rule.each as string;
      const codePath = rule.rule.code as string;
      const datePath = rule.rule.date as string;
      paths.push(`${each}/${codePath}`, `${each}/${datePath}`);
      const group = source.group(each);
      const code = source.valueIn(each, codePath);
      const date = source.valueIn(each, datePath);
      return (row) => {
        const out: RawProcedure[] = [];
        for (const item of group(row)) pair(code, date, item, out);
        return out;
      };
    }
  }
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

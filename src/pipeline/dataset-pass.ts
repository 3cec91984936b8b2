// One dataset's journey through extract -> map -> minimise -> validate, ending in its rows of
// the bundle. Records stream in batches and accepted rows go straight to the bundle; the rules
// across records (duplicate ids, spell conflicts) are judged at the end of the pass from keys
// kept in scratch files, and the few rows they reject are then left out of the bundle.
import { isPhinError, type PhinError } from "../errors.ts";
import { openSource } from "../extract/open-source.ts";
import { defaultSourceLimits, type SourceLimits } from "../extract/source.ts";
import { compileMapper } from "../map/compile-mapper.ts";
import type { LoadedMapping } from "../map/load-mapping.ts";
import { createMinimiser, type MinimisedRecord } from "../minimise/minimise.ts";
import { type Reductions, reduceIdentifiability } from "../minimise/objection.ts";
import type { Pseudonymiser } from "../minimise/pseudonymise.ts";
import type { BundleWriter } from "../package/bundle-writer.ts";
import type { IssueCollector } from "../report/issue-collector.ts";
import type { DatasetDef } from "../schemas/dataset.ts";
import { datasetShape } from "../schemas/record-shape.ts";
import { ADMIN_CATEGORY_NHS, FUNDING_NHS } from "../schemas/v1/code-sets.ts";
import type { CodeLists } from "../validate/code-lists.ts";
import type { ParsedRecord } from "../validate/compile-record-parser.ts";
import { CrossRecordKeys, IntList, NOT_WRITTEN } from "../validate/cross-record.ts";
import type { EpisodeIndex, EpisodeLink, EpisodeLinks } from "../validate/episode-index.ts";
import { createRecordValidator } from "../validate/record-validator.ts";
import { type DatasetName, type RuleId, rules } from "../validate/rule-catalogue.ts";
import { type RuleContext, str } from "../validate/rules/context.ts";

export interface DatasetCounts {
  read: number;
  valid: number;
  rejected: number;
  out_of_scope: number;
  warnings: number;
}

export interface DatasetOutcome {
  readonly dataset: DatasetName;
  readonly file: string;
  readonly counts: DatasetCounts;
  /** Field -> in-scope records where it is not blank. */
  readonly filled: Record<string, number>;
  /** Source columns / element paths no mapping reads: dropped at extract (names only). */
  readonly droppedColumns: readonly string[];
  /** Site -> in-scope episodes with a blank NHS number. */
  readonly nhsBlankBySite: Record<string, number>;
  readonly reductions: Reductions;
  /** A file-level error: the dataset could not be read as declared. */
  readonly error: PhinError | null;
}

export interface DatasetPassOptions {
  readonly dataset: DatasetDef;
  readonly mapping: LoadedMapping;
  readonly source: { readonly absolute: string; readonly display: string };
  readonly providerCode: string;
  readonly sites: readonly string[];
  readonly pseudonymise: Pseudonymiser;
  readonly codeLists: CodeLists;
  readonly ruleContext: RuleContext;
  /** Written by the episodes pass, looked up by the others. */
  readonly index: EpisodeIndex;
  /** A private folder for scratch files (they are unlinked as soon as they are opened). */
  readonly scratchDir: string;
  readonly collector: IssueCollector;
  readonly bundle: BundleWriter;
  readonly reduceObjections: boolean;
  /** Told after every batch (progress bars); never given record data. */
  readonly onProgress?: (progress: PassProgress) => void;
}

export interface PassProgress {
  readonly dataset: DatasetName;
  readonly records: number;
  readonly bytes: number;
  readonly totalBytes: number;
}

type Scope = "in" | "out";

function scopeOf(dataset: DatasetName, raw: MinimisedRecord["fields"], index: EpisodeLinks): Scope {
  if (dataset === "episodes") {
    // Only privately funded activity is in scope (docs/datasets.md, Scope); judged on the mapped values.
    const funding =
      typeof raw.funding_source === "string" ? raw.funding_source.toUpperCase() : null;
    return funding === FUNDING_NHS || raw.administrative_category === ADMIN_CATEGORY_NHS
      ? "out"
      : "in";
  }
  const episodeId = raw.episode_id;
  return typeof episodeId === "string" && index.statusOf(episodeId) === "out_of_scope"
    ? "out"
    : "in";
}

function linkOf(rec: ParsedRecord, status: EpisodeLink["status"]): EpisodeLink {
  return {
    status,
    pseudonymPrefix: null,
    admissionDate: str(rec.admission_date) ?? null,
    dischargeDate: str(rec.discharge_date) ?? null,
    primaryProcedureDate: str(rec.primary_procedure_date) ?? null,
    dischargeMethod: str(rec.discharge_method) ?? null,
    dischargeDestination: str(rec.discharge_destination) ?? null,
  };
}

export async function runDatasetPass(options: DatasetPassOptions): Promise<DatasetOutcome> {
  const { dataset, mapping, index, collector } = options;
  const name = dataset.name;
  const file = options.source.display;
  const counts: DatasetCounts = { read: 0, valid: 0, rejected: 0, out_of_scope: 0, warnings: 0 };
  // Counted by position: the values of a minimised record in schema order (record-shape.ts).
  const shape = datasetShape(dataset);
  const fieldNames = shape.keys;
  const filledAt = new Float64Array(fieldNames.length);
  const nhsBlankBySite: Record<string, number> = {};
  const reductions: Reductions = { nhsNumber: 0, postcode: 0, dateOfBirth: 0 };
  let droppedColumns: string[] = [];
  const outcome = (error: PhinError | null): DatasetOutcome => ({
    dataset: name,
    file,
    counts,
    filled: Object.fromEntries(fieldNames.map((f, i) => [f, filledAt[i] as number])),
    droppedColumns,
    nhsBlankBySite,
    reductions,
    error,
  });

  const { bundle } = options;
  let started = false;
  const keys = new CrossRecordKeys({
    scratchDir: options.scratchDir,
    name,
    ...(name === "episodes" ? { index } : {}),
  });
  try {
    const source = await openSource({
      format: mapping.source,
      path: options.source.absolute,
      file,
      limits: limitsOf(mapping),
    });
    try {
      const mapper = compileMapper(mapping, source);
      source.restrictTo(mapper.readPaths);
      const minimise = createMinimiser({
        dataset,
        providerCode: options.providerCode,
        pseudonymise: options.pseudonymise,
      });
      const validate = createRecordValidator({
        dataset,
        mapping,
        codeLists: options.codeLists,
        sites: options.sites,
        ruleContext: options.ruleContext,
        index,
      });
      const idField = dataset.idField;
      const toLine = await bundle.startDataset(dataset);
      started = true;
      let written = 0;
      const accepted: string[] = [];

      for await (const batch of source.batches()) {
        const rows = batch.rows;
        accepted.length = 0;
        for (let i = 0; i < rows.length; i++) {
          const line = batch.lines[i] as number;
          counts.read++;
          const raw = minimise(mapper.map(rows[i] as never));
          if (scopeOf(name, raw.fields, index) === "out") {
            counts.out_of_scope++;
            if (name === "episodes" && typeof raw.fields.episode_id === "string")
              keys.outOfScope(raw.fields.episode_id, line);
            continue;
          }
          const values = shape.read(raw.fields);
          for (let at = 0; at < values.length; at++) {
            const v = values[at];
            if (v !== null && v !== undefined && (!Array.isArray(v) || v.length > 0))
              filledAt[at] = (filledAt[at] as number) + 1;
          }
          const { record: rec, findings } = validate(raw, values);

          let rejected = false;
          const recordId = str(rec[idField]) ?? null;
          for (const f of findings) {
            const severity = rules[f.rule].severity;
            if (severity === "E") rejected = true;
            else counts.warnings++;
            collector.add({
              rule: f.rule,
              severity,
              dataset: name,
              file,
              line,
              recordId,
              field: f.field,
              value: f.value ?? null,
            });
          }
          if (name === "episodes" && raw.fields.nhs_number === null) {
            const site = str(rec.site_code) ?? "(unknown site)";
            nhsBlankBySite[site] = (nhsBlankBySite[site] ?? 0) + 1;
          }
          if (rejected) counts.rejected++;
          else counts.valid++;
          if (!rejected && raw.objects && options.reduceObjections)
            reduceIdentifiability(rec, reductions);

          if (recordId !== null) {
            const spell = name === "episodes" ? str(rec.spell_id) : undefined;
            // Accepted rows go to the bundle now; the rules across records may still drop a few.
            const row = rejected ? NOT_WRITTEN : written++;
            keys.see(
              recordId,
              spell,
              str(rec.patient_pseudonym) ?? null,
              line,
              row,
              name === "episodes" ? linkOf(rec, rejected ? "rejected" : "accepted") : undefined,
            );
            if (!rejected) accepted.push(toLine(rec));
          }
        }
        await bundle.writeRows(accepted);
        await collector.drain();
        if (options.onProgress)
          options.onProgress({ dataset: name, records: counts.read, ...source.progress() });
      }
      droppedColumns = droppedOf(source.columnNames(), mapper.readPaths, mapping.source.format);
    } finally {
      await source.close();
    }
    await finishCrossRecord(options, keys, counts);
    return outcome(null);
  } catch (error) {
    if (started) await bundle.abortDataset();
    if (isPhinError(error) && error.errorClass === "input") return outcome(error);
    throw error;
  } finally {
    keys.close();
  }
}

function limitsOf(mapping: LoadedMapping): SourceLimits {
  return {
    maxFileBytes: mapping.source.max_file_bytes ?? defaultSourceLimits.maxFileBytes,
    maxRecords: mapping.source.max_records ?? defaultSourceLimits.maxRecords,
    maxRecordBytes: mapping.source.max_record_bytes ?? defaultSourceLimits.maxRecordBytes,
  };
}

/** Names only. XML paths count as read when they are, or lie under, a path the mapping reads. */
function droppedOf(
  seen: readonly string[],
  read: readonly string[],
  format: "csv" | "xml",
): string[] {
  const readSet = new Set(read);
  if (format === "csv") return seen.filter((c) => !readSet.has(c));
  return seen.filter((c) => !read.some((r) => c === r || c.startsWith(`${r}/`)));
}

/**
 * Second half of the pass: with every id and spell seen, reject all copies of duplicate ids and
 * all episodes of conflicting spells (reported in reading order), and close the dataset's file
 * without the rows they reject.
 */
async function finishCrossRecord(
  options: DatasetPassOptions,
  keys: CrossRecordKeys,
  counts: DatasetCounts,
): Promise<void> {
  const { dataset, collector, bundle } = options;
  const name = dataset.name;
  const file = options.source.display;
  const issue = (rule: RuleId, line: number, recordId: string, field: string) =>
    collector.add({
      rule,
      severity: rules[rule].severity,
      dataset: name,
      file,
      line,
      recordId,
      field,
      value: null,
    });

  // Judging also writes the episode index, with the episodes rejected here marked so.
  const drop = new IntList();
  let reported = 0;
  for (const found of keys.judge()) {
    if (found.duplicate) issue("DUPLICATE_ID", found.line, found.id, dataset.idField);
    if (found.spellConflict) issue("EP_SPELL_PATIENT_CONFLICT", found.line, found.id, "spell_id");
    if (found.row !== NOT_WRITTEN) {
      drop.push(found.row);
      counts.valid--;
      counts.rejected++;
    }
    if (++reported % 1024 === 0) await collector.drain();
  }
  await collector.drain();
  await bundle.endDataset(drop.sort());
}

// One dataset's journey through extract -> map -> minimise -> validate. Records stream in
// batches; every issue goes to the collector, accepted records wait in a staging file, and the
// rules across records (duplicate ids, spell conflicts) decide once the whole dataset is read.
// Nothing of the bundle is written here: the run writes it once its verdict is known.
import path from "node:path";
import { isPhinError, type PhinError } from "../errors.ts";
import type { OpenedSource } from "../extract/source.ts";
import { compileMapper, type MappedRecord, type Mapper } from "../map/compile-mapper.ts";
import type { LoadedMapping } from "../map/load-mapping.ts";
import { type DateOfBirthPrecision, dateOfBirthReducer } from "../minimise/date-of-birth.ts";
import { createMinimiser, type MinimisedRecord } from "../minimise/minimise.ts";
import { createReducer, type Reductions } from "../minimise/objection.ts";
import type { Pseudonymiser } from "../minimise/pseudonymise.ts";
import { AcceptedRows } from "../package/accepted-rows.ts";
import { type BundleFormat, rowFormatter } from "../package/bundle-rows.ts";
import type { IssueCollector } from "../report/issue-collector.ts";
import type { DatasetDef } from "../schemas/dataset.ts";
import type { DatasetName, RuleId } from "../schemas/names.ts";
import { rules } from "../schemas/rule-catalogue.ts";
import { ADMIN_CATEGORY_NHS, FUNDING_NHS } from "../schemas/v1/code-sets.ts";
import type { CodeLists } from "../validate/code-lists.ts";
import type { ParsedRecord } from "../validate/compile-record-parser.ts";
import { CrossRecordRules, type Sighting } from "../validate/cross-record.ts";
import {
  type EpisodeIndex,
  type EpisodeLink,
  outOfScopeLink,
  patientKey,
} from "../validate/episode-links.ts";
import { createRecordValidator, type Validated } from "../validate/record-validator.ts";
import { type RuleContext, str } from "../validate/rules/context.ts";
import { droppedColumns, openSourceFor, type SourceLocation } from "./open-source.ts";

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
  /** PROMs and events whose link an accepted episode of an earlier month satisfied. */
  readonly linkedFromEarlier: number;
  /** A file-level error: the dataset could not be read as declared. */
  readonly error: PhinError | null;
  /** The staging file of accepted rows and the rows the rules across records rejected. */
  readonly accepted: { readonly file: string; readonly rejected: ReadonlySet<number> } | null;
}

export interface DatasetPassOptions {
  readonly dataset: DatasetDef;
  readonly mapping: LoadedMapping;
  readonly source: SourceLocation;
  readonly providerCode: string;
  readonly sites: readonly string[];
  readonly pseudonymise: Pseudonymiser;
  readonly codeLists: CodeLists;
  readonly ruleContext: RuleContext;
  /** Filled by the episodes pass, looked up by the others. */
  readonly index: EpisodeIndex;
  /** The run's private staging folder (accepted rows wait there). */
  readonly stagingDir: string;
  /** The bundle's format: accepted records wait as its rows. */
  readonly bundleFormat: BundleFormat;
  readonly collector: IssueCollector;
  readonly reduceObjections: boolean;
  /** `minimise.date_of_birth`: how much of an accepted episode's date of birth is sent. */
  readonly dateOfBirth: DateOfBirthPrecision;
  /** Told after every batch (progress bars); never given record data. */
  readonly onProgress?: (progress: PassProgress) => void;
}

export interface PassProgress {
  readonly dataset: DatasetName;
  readonly records: number;
  readonly bytes: number;
  readonly totalBytes: number;
}

/** What a pass adds up as it goes. */
interface Tally {
  readonly counts: DatasetCounts;
  /** The dataset's fields, and per field the in-scope records where it is not blank. */
  readonly fields: readonly string[];
  readonly filledAt: number[];
  readonly nhsBlankBySite: Record<string, number>;
  readonly reductions: Reductions;
  droppedColumns: string[];
  linkedFromEarlier: number;
}

/** Everything checking one record needs, made once per pass. */
interface RecordCheck {
  readonly options: DatasetPassOptions;
  readonly tally: Tally;
  readonly mapper: Mapper<unknown>;
  readonly minimise: (record: MappedRecord) => MinimisedRecord;
  readonly validate: (record: MinimisedRecord) => Validated;
  /** Reduces the validated date of birth before the record waits for the bundle (or null). */
  readonly reduceDateOfBirth: ((iso: string) => string) | null;
  readonly accepted: AcceptedRows;
  readonly crossRecord: CrossRecordRules;
}

export async function runDatasetPass(options: DatasetPassOptions): Promise<DatasetOutcome> {
  const { dataset } = options;
  const tally: Tally = {
    counts: { read: 0, valid: 0, rejected: 0, out_of_scope: 0, warnings: 0 },
    fields: Object.keys(dataset.fields),
    filledAt: Object.keys(dataset.fields).map(() => 0),
    nhsBlankBySite: {},
    reductions: { nhsNumber: 0, postcode: 0, dateOfBirth: 0 },
    droppedColumns: [],
    linkedFromEarlier: 0,
  };
  const outcome = (
    error: PhinError | null,
    accepted: DatasetOutcome["accepted"],
  ): DatasetOutcome => ({
    dataset: dataset.name,
    file: options.source.display,
    counts: tally.counts,
    filled: Object.fromEntries(tally.fields.map((f, at) => [f, tally.filledAt[at] as number])),
    droppedColumns: tally.droppedColumns,
    nhsBlankBySite: tally.nhsBlankBySite,
    reductions: tally.reductions,
    linkedFromEarlier: tally.linkedFromEarlier,
    error,
    accepted,
  });
  const accepted = new AcceptedRows(
    path.join(options.stagingDir, `.${dataset.name}.accepted`),
    rowFormatter(dataset, options.bundleFormat),
  );
  const crossRecord = new CrossRecordRules();
  try {
    const source = await openSourceFor(options.mapping, options.source);
    try {
      await readRecords(options, source, tally, accepted, crossRecord);
    } finally {
      await source.close();
    }
    await accepted.close();
  } catch (error) {
    await accepted.remove();
    if (isPhinError(error) && error.errorClass === "input") return outcome(error, null);
    throw error;
  }
  const rejected = await judgeAcrossRecords(options, crossRecord, tally.counts);
  return outcome(null, { file: accepted.path, rejected });
}

async function readRecords(
  options: DatasetPassOptions,
  source: OpenedSource<unknown>,
  tally: Tally,
  accepted: AcceptedRows,
  crossRecord: CrossRecordRules,
): Promise<void> {
  const { dataset, mapping } = options;
  const mapper = compileMapper(mapping, source);
  source.restrictTo(mapper.readPaths);
  const dobRule = mapping.rules.find((r) => r.field === "date_of_birth");
  const check: RecordCheck = {
    options,
    tally,
    mapper,
    minimise: createMinimiser({
      dataset,
      providerCode: options.providerCode,
      pseudonymise: options.pseudonymise,
      reduce:
        options.reduceObjections && dobRule?.kind === "scalar"
          ? createReducer(dobRule.dateFormat)
          : undefined,
    }),
    validate: createRecordValidator(options),
    reduceDateOfBirth: dataset.name === "episodes" ? dateOfBirthReducer(options.dateOfBirth) : null,
    accepted,
    crossRecord,
  };
  for await (const batch of source.batches()) {
    for (let i = 0; i < batch.rows.length; i++)
      checkRecord(check, batch.rows[i], batch.lines[i] as number);
    await accepted.flush();
    await options.collector.drain();
    options.onProgress?.({
      dataset: dataset.name,
      records: tally.counts.read,
      ...source.progress(),
    });
  }
  tally.droppedColumns = droppedColumns(source.columnNames(), mapper.readPaths, mapping);
}

/** Out of scope: an episode funded by the NHS, or a PROM or event of such an episode. */
function outOfScope(check: RecordCheck, fields: MinimisedRecord["fields"]): boolean {
  if (check.options.dataset.name === "episodes") {
    const funding =
      typeof fields.funding_source === "string" ? fields.funding_source.toUpperCase() : null;
    return funding === FUNDING_NHS || fields.administrative_category === ADMIN_CATEGORY_NHS;
  }
  const episodeId = fields.episode_id;
  return (
    typeof episodeId === "string" &&
    check.options.index.lookup(episodeId)?.status === "out_of_scope"
  );
}

function checkRecord(check: RecordCheck, sourceRow: unknown, line: number): void {
  const { options, tally } = check;
  const name = options.dataset.name;
  const counts = tally.counts;
  counts.read++;
  const raw = check.minimise(check.mapper.map(sourceRow));
  if (outOfScope(check, raw.fields)) {
    counts.out_of_scope++;
    if (name === "episodes" && typeof raw.fields.episode_id === "string")
      options.index.add(raw.fields.episode_id, outOfScopeLink);
    return;
  }
  countFilled(tally, raw.fields);

  const { record, findings } = check.validate(raw);
  const recordId = str(record[options.dataset.idField]) ?? null;
  let rejected = false;
  for (const f of findings) {
    const severity = rules[f.rule].severity;
    if (severity === "E") rejected = true;
    else counts.warnings++;
    options.collector.add({
      rule: f.rule,
      severity,
      dataset: name,
      file: options.source.display,
      line,
      recordId,
      field: f.field,
      value: f.value ?? null,
    });
  }
  if (name === "episodes" && raw.fields.nhs_number === null) {
    const site = str(record.site_code) ?? "(unknown site)";
    tally.nhsBlankBySite[site] = (tally.nhsBlankBySite[site] ?? 0) + 1;
  }
  if (rejected) counts.rejected++;
  else counts.valid++;
  if (!rejected && raw.reduced !== null)
    for (const k of ["nhsNumber", "postcode", "dateOfBirth"] as const)
      tally.reductions[k] += raw.reduced[k];
  if (recordId === null) return;
  // After the rules: the age at admission was computed from the full date.
  if (check.reduceDateOfBirth !== null && typeof record.date_of_birth === "string")
    record.date_of_birth = check.reduceDateOfBirth(record.date_of_birth);
  const row = rejected ? null : check.accepted.add(record);
  if (name !== "episodes") {
    const episodeId = str(record.episode_id);
    if (episodeId !== undefined && options.index.fromEarlierMonth(episodeId))
      tally.linkedFromEarlier++;
    check.crossRecord.see({ line, id: recordId, row });
    return;
  }
  // One object per episode is both its sighting and the link PROMs and events look up: at a
  // million episodes, two would be the largest thing in memory.
  const episode: Sighting & EpisodeLink = {
    line,
    id: recordId,
    row,
    spell: str(record.spell_id),
    status: rejected ? "rejected" : "accepted",
    patient: patientOf(record),
    admissionDate: str(record.admission_date) ?? null,
    dischargeDate: str(record.discharge_date) ?? null,
    primaryProcedureDate: str(record.primary_procedure_date) ?? null,
    dischargeMethod: str(record.discharge_method) ?? null,
    dischargeDestination: str(record.discharge_destination) ?? null,
  };
  check.crossRecord.see(episode);
  options.index.add(recordId, episode);
}

/** Completeness: each field that is not blank in an in-scope record. */
function countFilled(tally: Tally, fields: MinimisedRecord["fields"]): void {
  for (let at = 0; at < tally.fields.length; at++) {
    const value = fields[tally.fields[at] as string];
    if (value !== null && (!Array.isArray(value) || value.length > 0))
      tally.filledAt[at] = (tally.filledAt[at] as number) + 1;
  }
}

function patientOf(rec: ParsedRecord): number | null {
  const pseudonym = str(rec.patient_pseudonym);
  return pseudonym === undefined ? null : patientKey(pseudonym);
}

/**
 * With every record seen: report all copies of duplicate ids and all episodes of conflicting
 * spells, in reading order, and return the accepted records this rejects after all.
 */
async function judgeAcrossRecords(
  options: DatasetPassOptions,
  crossRecord: CrossRecordRules,
  counts: DatasetCounts,
): Promise<Set<number>> {
  const { dataset, collector } = options;
  const issue = (rule: RuleId, line: number, recordId: string, field: string) =>
    collector.add({
      rule,
      severity: rules[rule].severity,
      dataset: dataset.name,
      file: options.source.display,
      line,
      recordId,
      field,
      value: null,
    });
  const rejected = new Set<number>();
  let reported = 0;
  for (const found of crossRecord.judge()) {
    if (++reported % 1000 === 0) await collector.drain();
    if (found.duplicate) issue("DUPLICATE_ID", found.line, found.id, dataset.idField);
    if (found.spellConflict) issue("EP_SPELL_PATIENT_CONFLICT", found.line, found.id, "spell_id");
    if (found.row === null) continue;
    rejected.add(found.row);
    counts.valid--;
    counts.rejected++;
    if (dataset.name === "episodes") options.index.reject(found.id);
  }
  await collector.drain();
  return rejected;
}

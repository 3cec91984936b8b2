// The pipeline up to and including package and report, for every dataset of one period:
// load the run's inputs, pass over each dataset, decide the verdict, then publish (bundle and
// manifest when ready, reports always). `validate` stops here; `submit` continues from the
// bundle this returns. Everything is written into a private staging folder first and published
// with one rename, so a failed run leaves no partial bundle.
import path from "node:path";
import type { LoadedConfig } from "../config/load-config.ts";
import { isPhinError, PhinError } from "../errors.ts";
import { crashPoint } from "../io/crash-point.ts";
import { ensurePrivateDir } from "../io/private-dir.ts";
import { createStaging } from "../io/staging.ts";
import { TextFile } from "../io/text-file.ts";
import { type Log, silentLog } from "../log/run-log.ts";
import { createPseudonymiser } from "../minimise/pseudonymise.ts";
import type { Manifest } from "../package/manifest.ts";
import { readLedger } from "../receipt/ledger.ts";
import { buildReport } from "../report/build-report.ts";
import { historyFromLedger } from "../report/history.ts";
import { IssueCollector } from "../report/issue-collector.ts";
import type { ReportV1 } from "../report/report-schema.ts";
import type { DatasetName } from "../schemas/names.ts";
import { datasetOrder } from "../schemas/registry.ts";
import { type OpenedPrior, openPriorEpisodes } from "../state/prior-episodes.ts";
import { bundleDigests, type DatasetDigests } from "../state/record-digests.ts";
import { londonDate, type Period } from "../time/period.ts";
import { EpisodeIndex } from "../validate/episode-links.ts";
import type { RuleContext } from "../validate/rules/context.ts";
import { type DatasetOutcome, type PassProgress, runDatasetPass } from "./dataset-pass.ts";
import type { SourceLocation } from "./open-source.ts";
import {
  publishFolder,
  REPORT_FILES,
  removeAccepted,
  writeBundle,
  writeReports,
} from "./publish.ts";
import { newRunId } from "./run-id.ts";
import { loadRunInputs, type RunInputs } from "./run-inputs.ts";
import { decideVerdict, type Outcomes, type SkippedDataset } from "./verdict.ts";

export interface ValidateOptions {
  readonly loaded: LoadedConfig;
  readonly period: Period;
  readonly now: () => Date;
  readonly toolVersion: string;
  /** Shared with the run log and staging folder; a fresh one when absent. */
  readonly runId?: string;
  readonly log?: Log;
  readonly onProgress?: (progress: PassProgress) => void;
  /** Keep this month's episodes in the result (`submit` records them once PHIN accepts). */
  readonly keepEpisodes?: boolean;
  /**
   * A dry run (`validate`): when its content is a submission PHIN already received, it goes to
   * a folder of its own, so the sent month's folder and receipt are left as they are.
   */
  readonly dryRun?: boolean;
}

export interface ValidateResult {
  readonly verdict: "ready" | "blocked";
  readonly report: ReportV1;
  /** Folder holding the reports and, when ready, the bundle. */
  readonly outDir: string;
  readonly manifest: Manifest | null;
  /** This month's episodes as validation judged them, when `keepEpisodes` asked for them. */
  readonly episodes: EpisodeIndex | null;
  /** The bundle's record digests, when `keepEpisodes` asked and the month is ready (CSV only). */
  readonly digests: DatasetDigests[] | null;
}

/** Where the run's folder goes: by submission id, `blocked-<run>`, or `dry-run-<run>` (above). */
async function outDirFor(
  options: ValidateOptions,
  periodDir: string,
  manifest: Manifest | null,
  runId: string,
): Promise<string> {
  if (manifest === null) return path.join(periodDir, `blocked-${runId}`);
  if (options.dryRun === true) {
    const stateDir = options.loaded.resolve(options.loaded.config.state_dir);
    const { entries } = await readLedger(path.join(stateDir, "ledger.jsonl"));
    const id = manifest.submission_id;
    if (entries.some((e) => e.type === "receipt" && e.submission_id === id))
      return path.join(periodDir, `dry-run-${runId}`);
  }
  return path.join(periodDir, manifest.submission_id);
}

function fillPeriod(pattern: string, period: Period): string {
  const [yyyy, mm] = period.id.split("-") as [string, string];
  return pattern
    .replaceAll("{period}", period.id)
    .replaceAll("{yyyy}", yyyy)
    .replaceAll("{mm}", mm);
}

/** A file source's path with the period filled in, or a SQL source's query and connection. */
function sourceLocation(loaded: LoadedConfig, name: DatasetName, period: Period): SourceLocation {
  const source = loaded.config.datasets[name].source;
  if (source.kind === "file") {
    const display = fillPeriod(source.path, period);
    return { kind: "file", absolute: loaded.resolve(display), display };
  }
  const field = `datasets.${name}.source.url_file`;
  const file = (display: string) => ({ absolute: loaded.resolve(display), display });
  return {
    kind: "sql",
    display: source.query,
    sql: {
      kind: source.kind,
      dataset: name,
      query: file(source.query),
      urlFile: source.url_file === undefined ? undefined : { ...file(source.url_file), field },
      params: [period.first, period.last],
      statementTimeoutMs: source.statement_timeout_ms,
      connectTimeoutMs: source.connect_timeout_ms,
    },
  };
}

export async function runValidate(options: ValidateOptions): Promise<ValidateResult> {
  const { loaded, period } = options;
  const { config } = loaded;
  const started = options.now();
  const runId = options.runId ?? newRunId(started);
  const log = (options.log ?? silentLog).child({ stage: "validate" });
  const inputs = await loadRunInputs(loaded);

  const stateDir = loaded.resolve(config.state_dir);
  const periodDir = path.join(stateDir, "out", config.provider_code, period.id);
  const staging = await createStaging(stateDir, runId);
  const stagingDir = staging.dir;
  crashPoint("validate:staging-created");
  const issuesFile = new TextFile(path.join(stagingDir, REPORT_FILES.issues));
  let prior: OpenedPrior | undefined;
  try {
    prior = await openPriorEpisodes(stateDir, config.provider_code, period.id);
    await issuesFile.write(IssueCollector.header());
    const collector = new IssueCollector(issuesFile);
    const ruleContext = {
      periodFirst: period.first,
      periodLast: period.last,
      runDate: londonDate(started),
    };
    let index: EpisodeIndex | null = new EpisodeIndex(prior.episodes);
    const outcomes = await runPasses(options, inputs, index, {
      stagingDir,
      collector,
      ruleContext,
      log,
    });
    // Dropped here unless kept: a month's episodes need not stay in memory while the bundle is written.
    const episodes = options.keepEpisodes === true ? index : null;
    index = null;
    await collector.drain();
    await issuesFile.close();

    const { verdict, blockedReasons } = decideVerdict(
      outcomes,
      config.thresholds.max_rejected_share,
    );
    const manifest =
      verdict === "ready"
        ? await writeBundle({
            stagingDir,
            config,
            period: period.id,
            keyId: inputs.key.keyId,
            toolVersion: options.toolVersion,
            datasets: inputs.datasets,
            outcomes,
          })
        : null;
    const digests =
      manifest !== null && options.keepEpisodes === true
        ? await bundleDigests(
            stagingDir,
            config.output.format,
            datasetOrder.map((name) => inputs.datasets[name]),
            inputs.key.bytes,
          )
        : null;
    // Not sent, or now in the bundle: the waiting records are patient-level, so they go now.
    await removeAccepted(outcomes);
    const outDir = await outDirFor(options, periodDir, manifest, runId);

    const report = buildReport({
      history: await historyFromLedger(path.join(stateDir, "ledger.jsonl")),
      runId,
      generatedAt: started,
      runDate: ruleContext.runDate,
      toolVersion: options.toolVersion,
      providerCode: config.provider_code,
      period: period.id,
      schemaVersion: config.schema_version,
      verdict,
      blockedReasons,
      maxRejectedShare: config.thresholds.max_rejected_share,
      keyId: inputs.key.keyId,
      manifest,
      outDir,
      outcomes,
      collector,
      stateDir,
    });
    await writeReports(stagingDir, report);
    crashPoint("validate:reports-written");
    await ensurePrivateDir(periodDir);
    await publishFolder(stagingDir, outDir, runId);
    await staging.done();
    const done = {
      event: "validate.done",
      verdict,
      submission_id: manifest?.submission_id ?? null,
      blocked_reasons: blockedReasons,
    };
    if (verdict === "ready") log.info(done, "verdict ready");
    else log.warn(done, "verdict blocked");
    return { verdict, report, outDir, manifest, episodes, digests };
  } catch (error) {
    await issuesFile.abort();
    await staging.remove();
    if (isPhinError(error)) throw error;
    throw new PhinError("INTERNAL", "the validation run failed unexpectedly", {
      stage: "internal",
      cause: error,
    });
  } finally {
    prior?.close();
  }
}

interface PassContext {
  readonly stagingDir: string;
  readonly collector: IssueCollector;
  readonly ruleContext: RuleContext;
  readonly log: Log;
}

/** Each dataset in order; PROMs and events are not checked when the episodes could not be read. */
async function runPasses(
  options: ValidateOptions,
  inputs: RunInputs,
  index: EpisodeIndex,
  context: PassContext,
): Promise<Outcomes> {
  const { loaded, period } = options;
  const { config } = loaded;
  const pseudonymise = createPseudonymiser(inputs.key);
  const outcomes = {} as Record<keyof Outcomes, DatasetOutcome | SkippedDataset>;
  for (const name of datasetOrder) {
    const source = sourceLocation(loaded, name, period);
    const episodes = outcomes.episodes;
    if (name !== "episodes" && episodes !== undefined && "error" in episodes && episodes.error) {
      outcomes[name] = {
        skipped: "episodes could not be read, so links cannot be checked",
        file: source.display,
      };
      continue;
    }
    const passStarted = Date.now();
    const outcome = await runDatasetPass({
      dataset: inputs.datasets[name],
      mapping: inputs.mappings[name],
      source,
      providerCode: config.provider_code,
      sites: config.sites,
      pseudonymise,
      codeLists: inputs.codeLists,
      ruleContext: context.ruleContext,
      index,
      stagingDir: context.stagingDir,
      bundleFormat: config.output.format,
      collector: context.collector,
      reduceObjections: config.objections.reduce_identifiability,
      dateOfBirth: config.minimise.date_of_birth,
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
    outcomes[name] = outcome;
    logPass(context.log, outcome, Date.now() - passStarted);
  }
  return outcomes;
}

function logPass(log: Log, outcome: DatasetOutcome, ms: number): void {
  const name = outcome.dataset;
  if (outcome.error !== null) {
    log.warn(
      { event: "dataset.file_error", dataset: name, err: outcome.error },
      `${name}: file-level error`,
    );
  }
  log.info(
    {
      event: "dataset.done",
      dataset: name,
      ...outcome.counts,
      duration_ms: ms,
      records_per_s: ms === 0 ? null : Math.round((outcome.counts.read * 1000) / ms),
      dropped_columns: outcome.droppedColumns,
    },
    `${name}: ${outcome.counts.read} read, ${outcome.counts.valid} valid, ${outcome.counts.rejected} rejected`,
  );
}

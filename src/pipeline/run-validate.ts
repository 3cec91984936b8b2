// The pipeline up to and including package and report: extract -> map -> minimise -> validate
// -> package, for every dataset of one period. `validate` stops here; `submit` (transmit,
// receipt) continues from the bundle this returns. Everything is written into a private staging
// folder first and published with one rename, so a failed run leaves no partial bundle.
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import type { LoadedConfig } from "../config/load-config.ts";
import { isPhinError, PhinError } from "../errors.ts";
import { FileSink, writeFileAtomic } from "../io/file-sink.ts";
import { ensurePrivateDir } from "../io/private-dir.ts";
import { type Log, silentLog } from "../log/run-log.ts";
import { type LoadedMapping, loadMapping } from "../map/load-mapping.ts";
import { loadPseudonymKey } from "../minimise/pseudonym-key.ts";
import { createPseudonymiser } from "../minimise/pseudonymise.ts";
import {
  type BundleWriter,
  createCsvBundleWriter,
  createXmlBundleWriter,
} from "../package/bundle-writer.ts";
import { buildManifest, type Manifest, serialiseManifest } from "../package/manifest.ts";
import { buildReport } from "../report/build-report.ts";
import { historyFromLedger } from "../report/history.ts";
import { IssueCollector } from "../report/issue-collector.ts";
import { renderReportHtml } from "../report/render-html.ts";
import type { ReportV1 } from "../report/report-schema.ts";
import type { CodeListName } from "../schemas/field-types.ts";
import { datasetOrder, schemaVersions } from "../schemas/registry.ts";
import { londonDate, type Period } from "../time/period.ts";
import { loadCodeLists } from "../validate/code-lists.ts";
import { EpisodeIndex } from "../validate/episode-index.ts";
import type { DatasetName } from "../validate/rule-catalogue.ts";
import { type DatasetOutcome, type PassProgress, runDatasetPass } from "./dataset-pass.ts";
import { newRunId } from "./run-id.ts";

export interface ValidateOptions {
  readonly loaded: LoadedConfig;
  readonly period: Period;
  readonly now: () => Date;
  readonly toolVersion: string;
  /** Shared with the run log and staging folder; a fresh one when absent. */
  readonly runId?: string;
  readonly log?: Log;
  readonly onProgress?: (progress: PassProgress) => void;
}

export interface ValidateResult {
  readonly verdict: "ready" | "blocked";
  readonly report: ReportV1;
  /** Folder holding the reports and, when ready, the bundle. */
  readonly outDir: string;
  readonly manifest: Manifest | null;
}

export const REPORT_FILES = {
  json: "report.json",
  html: "report.html",
  issues: "issues.csv",
} as const;

function fillPeriod(pattern: string, period: Period): string {
  const [yyyy, mm] = period.id.split("-") as [string, string];
  return pattern
    .replaceAll("{period}", period.id)
    .replaceAll("{yyyy}", yyyy)
    .replaceAll("{mm}", mm);
}

export async function runValidate(options: ValidateOptions): Promise<ValidateResult> {
  const { loaded, period } = options;
  const { config } = loaded;
  const started = options.now();
  const runId = options.runId ?? newRunId(started);
  const log = (options.log ?? silentLog).child({ stage: "validate" });

  // Configuration and secrets first: nothing is read or written before they are all sound.
  const key = await loadPseudonymKey(
    loaded.resolve(config.pseudonymisation.key_file),
    config.pseudonymisation.key_file,
  );
  const definitions = schemaVersions[config.schema_version];
  if (definitions === undefined) {
    throw new PhinError(
      "CONFIG_INVALID",
      `schema version ${config.schema_version} is not supported`,
      {
        stage: "config",
        field: "schema_version",
      },
    );
  }
  const mappings = {} as Record<DatasetName, LoadedMapping>;
  for (const name of datasetOrder) {
    const file = config.datasets[name].mapping;
    const mapping = await loadMapping(loaded.resolve(file), file);
    if (mapping.dataset.name !== name) {
      throw new PhinError(
        "MAPPING_INVALID",
        `${file} maps dataset ${mapping.dataset.name}, but is configured for ${name}`,
        {
          stage: "config",
          file,
          field: `datasets.${name}.mapping`,
        },
      );
    }
    mappings[name] = mapping;
  }
  const codeListFiles: Partial<Record<CodeListName, { absolute: string; display: string }>> = {};
  for (const [name, file] of Object.entries(config.code_lists) as [
    CodeListName,
    string | undefined,
  ][]) {
    if (file !== undefined) codeListFiles[name] = { absolute: loaded.resolve(file), display: file };
  }
  const codeLists = await loadCodeLists(codeListFiles);

  const stateDir = loaded.resolve(config.state_dir);
  const stagingDir = path.join(stateDir, "staging", runId);
  const periodDir = path.join(stateDir, "out", config.provider_code, period.id);
  await ensurePrivateDir(stagingDir);
  let bundle: BundleWriter | undefined;
  let issuesSink: FileSink | undefined;
  let index: EpisodeIndex | undefined;
  try {
    issuesSink = await FileSink.create(path.join(stagingDir, REPORT_FILES.issues));
    await issuesSink.write(IssueCollector.header());
    const collector = new IssueCollector(issuesSink);
    bundle =
      config.output.format === "xml"
        ? createXmlBundleWriter(stagingDir, {
            providerCode: config.provider_code,
            period: period.id,
            schemaVersion: config.schema_version,
          })
        : createCsvBundleWriter(stagingDir);
    index = new EpisodeIndex(path.join(stagingDir, ".episode-index.scratch"));
    const pseudonymise = createPseudonymiser(key);
    const ruleContext = {
      periodFirst: period.first,
      periodLast: period.last,
      runDate: londonDate(started),
    };

    const outcomes = {} as Record<DatasetName, DatasetOutcome | { skipped: string; file: string }>;
    for (const name of datasetOrder) {
      const sourcePath = fillPeriod(config.datasets[name].source.path, period);
      const episodes = outcomes.episodes;
      if (
        name !== "episodes" &&
        episodes !== undefined &&
        "error" in episodes &&
        episodes.error !== null
      ) {
        outcomes[name] = {
          skipped: "episodes could not be read, so links cannot be checked",
          file: sourcePath,
        };
        continue;
      }
      const passStarted = Date.now();
      const outcome = await runDatasetPass({
        dataset: definitions[name],
        mapping: mappings[name],
        source: { absolute: loaded.resolve(sourcePath), display: sourcePath },
        providerCode: config.provider_code,
        sites: config.sites,
        pseudonymise,
        codeLists,
        ruleContext,
        index,
        scratchDir: stagingDir,
        collector,
        bundle,
        reduceObjections: config.objections.reduce_identifiability,
        ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      });
      outcomes[name] = outcome;
      const ms = Date.now() - passStarted;
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
    await collector.drain();
    await issuesSink.close();
    index.close();

    const fileErrors = datasetOrder.flatMap((name) => {
      const o = outcomes[name];
      return "error" in o && o.error !== null ? [{ dataset: name, error: o.error }] : [];
    });
    // The message already names the file and line; the code tells the catalogue entry.
    const blockedReasons: string[] = fileErrors.map(
      ({ dataset, error }) => `${dataset}: ${error.code}: ${error.message}`,
    );
    for (const name of datasetOrder) {
      const o = outcomes[name];
      if ("skipped" in o) blockedReasons.push(`${name}: not checked (${o.skipped})`);
      else if (o.error === null) {
        const inScope = o.counts.valid + o.counts.rejected;
        const share = inScope === 0 ? 0 : o.counts.rejected / inScope;
        if (share > config.thresholds.max_rejected_share) {
          blockedReasons.push(
            `${name}: ${o.counts.rejected} of ${inScope} records rejected (${(share * 100).toFixed(1)} %), above the ${(config.thresholds.max_rejected_share * 100).toFixed(1)} % threshold`,
          );
        }
      }
    }
    const verdict = blockedReasons.length === 0 ? "ready" : "blocked";

    let manifest: Manifest | null = null;
    let outDir: string;
    if (verdict === "ready") {
      const files = await bundle.finish();
      const recordCounts = Object.fromEntries(
        datasetOrder.map((name) => {
          const o = outcomes[name];
          return [name, "counts" in o ? o.counts.valid : 0];
        }),
      ) as Record<DatasetName, number>;
      manifest = buildManifest({
        provider_code: config.provider_code,
        period: period.id,
        schema_version: config.schema_version,
        format: config.output.format,
        pseudonym_key_id: key.keyId,
        tool: { name: "phin-submit", version: options.toolVersion },
        record_counts: recordCounts,
        files,
        supersedes: null,
        reason: null,
      });
      await writeFileAtomic(path.join(stagingDir, "manifest.json"), serialiseManifest(manifest));
      outDir = path.join(periodDir, manifest.submission_id);
    } else {
      // Nothing will be sent: do not keep unsendable patient-level files lying around.
      await bundle.abort();
      await removeBundleFiles(stagingDir, config.output.format);
      outDir = path.join(periodDir, `blocked-${runId}`);
    }

    const history = await historyFromLedger(path.join(stateDir, "ledger.jsonl"));
    const report = buildReport({
      history,
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
      keyId: key.keyId,
      manifest,
      outDir,
      outcomes,
      collector,
      stateDir,
    });
    await writeFileAtomic(
      path.join(stagingDir, REPORT_FILES.json),
      `${JSON.stringify(report, null, 2)}\n`,
    );
    await writeFileAtomic(path.join(stagingDir, REPORT_FILES.html), renderReportHtml(report));

    await ensurePrivateDir(periodDir);
    // Same content -> same submission id -> same folder: the earlier copy is moved aside, the new
    // one renamed into place, then the old one removed, so the folder is never half written.
    const previous = `${outDir}.replaced-${runId}`;
    const hadPrevious = await rename(outDir, previous).then(
      () => true,
      () => false,
    );
    await rename(stagingDir, outDir);
    if (hadPrevious) await rm(previous, { recursive: true, force: true });
    log.info(
      {
        event: "validate.done",
        verdict,
        submission_id: manifest?.submission_id ?? null,
        blocked_reasons: blockedReasons,
      },
      `verdict ${verdict}`,
    );
    return { verdict, report, outDir, manifest };
  } catch (error) {
    index?.close();
    await bundle?.abort();
    await issuesSink?.abort();
    await rm(stagingDir, { recursive: true, force: true });
    if (isPhinError(error)) throw error;
    throw new PhinError("INTERNAL", "the validation run failed unexpectedly", {
      stage: "internal",
      cause: error,
    });
  }
}

async function removeBundleFiles(dir: string, format: "csv" | "xml"): Promise<void> {
  const names = format === "xml" ? ["submission.xml"] : datasetOrder.map((d) => `${d}.csv`);
  await Promise.all(names.map((n) => rm(path.join(dir, n), { force: true })));
}

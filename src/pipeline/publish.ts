// The end of a validation run, once its verdict is known: a ready month gets its bundle and
// manifest; every month gets its reports; then the staging folder becomes the month's folder
// in one rename, so nobody ever sees it half written.
import { rename, rm } from "node:fs/promises";
import path from "node:path";
import type { ConfigV1 } from "../config/config-schema.ts";
import { crashPoint } from "../io/crash-point.ts";
import { writeFileAtomic } from "../io/text-file.ts";
import { type BundlePart, writeCsvBundle, writeXmlBundle } from "../package/bundle-writer.ts";
import { buildManifest, type Manifest, serialiseManifest } from "../package/manifest.ts";
import { renderReportHtml } from "../report/render-html.ts";
import type { ReportV1 } from "../report/report-schema.ts";
import type { DatasetDef } from "../schemas/dataset.ts";
import type { DatasetName } from "../schemas/names.ts";
import { datasetOrder } from "../schemas/registry.ts";
import type { Outcomes } from "./verdict.ts";

export const REPORT_FILES = {
  json: "report.json",
  html: "report.html",
  issues: "issues.csv",
} as const;

export interface BundleInput {
  readonly stagingDir: string;
  readonly config: ConfigV1;
  readonly period: string;
  readonly keyId: string;
  readonly toolVersion: string;
  readonly datasets: Readonly<Record<DatasetName, DatasetDef>>;
  readonly outcomes: Outcomes;
}

/** Write the bundle from the accepted rows, then its manifest; returns the manifest. */
export async function writeBundle(input: BundleInput): Promise<Manifest> {
  const { config, period, outcomes } = input;
  const parts: BundlePart[] = [];
  for (const name of datasetOrder) {
    const o = outcomes[name];
    if ("accepted" in o && o.accepted !== null)
      parts.push({
        dataset: input.datasets[name],
        acceptedFile: o.accepted.file,
        rejected: o.accepted.rejected,
      });
  }
  const header = {
    providerCode: config.provider_code,
    period,
    schemaVersion: config.schema_version,
  };
  const files =
    config.output.format === "xml"
      ? await writeXmlBundle(input.stagingDir, header, parts)
      : await writeCsvBundle(input.stagingDir, parts);
  const validOf = (name: DatasetName) => {
    const o = outcomes[name];
    return "counts" in o ? o.counts.valid : 0;
  };
  const manifest = buildManifest({
    provider_code: config.provider_code,
    period,
    schema_version: config.schema_version,
    format: config.output.format,
    pseudonym_key_id: input.keyId,
    tool: { name: "phin-submit", version: input.toolVersion },
    record_counts: {
      episodes: validOf("episodes"),
      proms: validOf("proms"),
      adverse_events: validOf("adverse_events"),
    },
    files,
    supersedes: null,
    reason: null,
  });
  await writeFileAtomic(path.join(input.stagingDir, "manifest.json"), serialiseManifest(manifest));
  return manifest;
}

/** The staging files of accepted records: patient-level, so gone before anything is published. */
export async function removeAccepted(outcomes: Outcomes): Promise<void> {
  await Promise.all(
    datasetOrder.map((name) => {
      const o = outcomes[name];
      return "accepted" in o && o.accepted !== null
        ? rm(o.accepted.file, { force: true })
        : undefined;
    }),
  );
}

export async function writeReports(dir: string, report: ReportV1): Promise<void> {
  await writeFileAtomic(path.join(dir, REPORT_FILES.json), `${JSON.stringify(report, null, 2)}\n`);
  await writeFileAtomic(path.join(dir, REPORT_FILES.html), renderReportHtml(report));
}

/**
 * Move the staging folder to `outDir`. Same content gives the same submission id and folder:
 * an earlier copy is moved aside, the new one renamed into place, then the old one removed.
 */
export async function publishFolder(stagingDir: string, outDir: string, runId: string) {
  const previous = `${outDir}.replaced-${runId}`;
  const hadPrevious = await rename(outDir, previous).then(
    () => true,
    () => false,
  );
  crashPoint("publish:before-rename");
  await rename(stagingDir, outDir);
  crashPoint("publish:after-rename");
  if (hadPrevious) await rm(previous, { recursive: true, force: true });
}

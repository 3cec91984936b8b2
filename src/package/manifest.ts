// manifest.json: what the bundle holds, with sizes and digests, and the submission id derived
// from the content. The id covers what PHIN receives (files, provider, period, schema, key id,
// supersedes) and not the tool version, so upgrading phin-submit does not make a month "new".
import { createHash } from "node:crypto";
import type { DatasetName } from "../schemas/names.ts";
import type { BundleFile } from "./bundle-writer.ts";

export interface Manifest {
  readonly manifest_version: 1;
  readonly submission_id: string;
  readonly provider_code: string;
  readonly period: string;
  readonly schema_version: number;
  readonly format: "csv" | "xml";
  readonly pseudonym_key_id: string;
  readonly tool: { readonly name: "phin-submit"; readonly version: string };
  readonly record_counts: Readonly<Record<DatasetName, number>>;
  readonly files: readonly BundleFile[];
  readonly supersedes: string | null;
  readonly reason: string | null;
}

export type ManifestInput = Omit<Manifest, "submission_id" | "manifest_version">;

/** `<provider>-<period>-<20 hex>`: readable in a listing, 80 bits of content hash. */
export function deriveSubmissionId(input: ManifestInput): string {
  const identity = JSON.stringify([
    input.provider_code,
    input.period,
    input.schema_version,
    input.format,
    input.pseudonym_key_id,
    input.files.map((f) => [f.name, f.bytes, f.sha256, f.records]),
    input.supersedes,
  ]);
  const hash = createHash("sha256").update(identity).digest("hex").slice(0, 20);
  return `${input.provider_code}-${input.period}-${hash}`;
}

export function buildManifest(input: ManifestInput): Manifest {
  // Key order fixed here so the file's bytes are stable.
  return {
    manifest_version: 1,
    submission_id: deriveSubmissionId(input),
    provider_code: input.provider_code,
    period: input.period,
    schema_version: input.schema_version,
    format: input.format,
    pseudonym_key_id: input.pseudonym_key_id,
    tool: input.tool,
    record_counts: input.record_counts,
    files: input.files.map((f) => ({
      name: f.name,
      bytes: f.bytes,
      sha256: f.sha256,
      records: f.records,
    })),
    supersedes: input.supersedes,
    reason: input.reason,
  };
}

export function serialiseManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

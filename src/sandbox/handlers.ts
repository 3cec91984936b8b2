// One handler per sandbox route: the submission API's open, list, status, upload and commit, and
// the admin endpoint's counters and faults. server.ts has authenticated the request before.
import { createHash, randomUUID } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createGunzip } from "node:zlib";
import { z } from "zod";
import { type ReceiptBody, type SignedReceipt, signReceipt } from "../receipt/receipt.ts";
import { $FaultScript, type FaultAction } from "./faults.ts";
import { json, problem, readBody } from "./http.ts";
import type { SandboxMaterial } from "./material-files.ts";
import type { Sandbox } from "./server.ts";
import type { SandboxStore, SubmissionMeta } from "./store.ts";

/** What the handlers share for the sandbox's lifetime. */
export interface SandboxContext
  extends Pick<Sandbox, "material" | "store" | "faults" | "counters" | "arrivals"> {
  readonly providers: readonly string[] | undefined;
  /** Idempotency keys whose open is under way. */
  readonly inProgress: Set<string>;
  scheduleProcessing(meta: SubmissionMeta): void;
}

/** One request as its handler sees it. */
export interface Call {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly fault: FaultAction | undefined;
  /** A success reply, or the dropped connection a drop_after fault asks for. */
  ok(status: number, body: unknown): void;
}

export type Handler = (ctx: SandboxContext, call: Call) => Promise<void> | void;

const MAX_FILE_BYTES = 2 * 1024 ** 3;

const $ManifestFile = z.object({
  name: z.string().regex(/^[\w.-]+$/),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  records: z.number().int(),
});
const $Manifest = z.object({
  submission_id: z.string().min(1),
  provider_code: z.string().min(1),
  period: z.string().regex(/^\d{4}-\d{2}$/),
  schema_version: z.number().int(),
  format: z.string().default("csv"),
  files: z.array($ManifestFile).min(1),
  supersedes: z.string().nullable().default(null),
  reason: z.string().nullable().default(null),
});
export type Manifest = z.infer<typeof $Manifest>;

async function missingFiles(store: SandboxStore, meta: SubmissionMeta): Promise<string[]> {
  const missing: string[] = [];
  for (const f of meta.files)
    if (!(await store.hasFile(meta.submission_id, f.name))) missing.push(f.name);
  return missing;
}

async function view(store: SandboxStore, meta: SubmissionMeta) {
  const receipt = await store.receipt(meta.submission_id);
  return {
    submission_id: meta.submission_id,
    state: meta.state,
    missing_files: meta.state === "open" ? await missingFiles(store, meta) : [],
    feedback: meta.feedback,
    receipt: receipt === undefined ? null : (JSON.parse(receipt.toString("utf8")) as unknown),
  };
}

/** The submission the path names; otherwise a 404 is sent and undefined returned. */
function submissionOf(ctx: SandboxContext, { res, params }: Call): SubmissionMeta | undefined {
  const meta = ctx.store.get(params.id as string);
  if (meta === undefined) problem(res, 404, "UNKNOWN_SUBMISSION", "no such submission");
  return meta;
}

export async function openSubmission(ctx: SandboxContext, call: Call): Promise<void> {
  const { req, res } = call;
  const key = req.headers["idempotency-key"];
  const body = await readBody(req, 1024 * 1024);
  if (body === undefined) return problem(res, 413, "TOO_LARGE", "manifest too large");
  if (typeof key !== "string" || key === "")
    return problem(res, 400, "KEY_MISSING", "Idempotency-Key is required");
  let manifest: Manifest;
  try {
    manifest = $Manifest.parse(JSON.parse(body.toString("utf8")));
  } catch {
    return problem(res, 400, "BAD_MANIFEST", "the body is not a valid manifest");
  }
  if (manifest.submission_id !== key) {
    const title = "Idempotency-Key must be the manifest's submission_id";
    return problem(res, 400, "KEY_MISMATCH", title);
  }
  if (ctx.providers && !ctx.providers.includes(manifest.provider_code))
    return problem(res, 403, "FORBIDDEN", "this client may not submit for that provider");
  if (ctx.inProgress.has(key)) {
    const title = "a request with this key is being processed";
    return problem(res, 409, "IN_PROGRESS", title, {}, { "retry-after": "1" });
  }
  ctx.inProgress.add(key);
  try {
    await openOnce(ctx, call, manifest, body);
  } finally {
    ctx.inProgress.delete(key);
  }
}

/** Under the key's lock: a repeated manifest gets its state back; a new one must fit its period. */
async function openOnce(ctx: SandboxContext, call: Call, manifest: Manifest, body: Buffer) {
  const { store } = ctx;
  const sha = createHash("sha256").update(body).digest("hex");
  const existing = store.get(manifest.submission_id);
  if (existing !== undefined) {
    if (existing.manifest_sha256 !== sha)
      return problem(call.res, 422, "KEY_REUSED", "this key was used with a different manifest");
    return call.ok(200, await view(store, existing));
  }
  const { submission_id, provider_code, period, supersedes, files } = manifest;
  const samePeriod = store
    .all()
    .filter((m) => m.provider_code === provider_code && m.period === period);
  if (supersedes !== null) {
    if (!samePeriod.some((m) => m.submission_id === supersedes && m.state === "accepted")) {
      const title = "supersedes names no accepted submission of this provider and period";
      return problem(call.res, 409, "SUPERSEDES_UNKNOWN", title);
    }
  } else if (samePeriod.some((m) => m.state !== "open" && m.state !== "rejected")) {
    const title = "this period already has a submission; send a resubmission with supersedes";
    return problem(call.res, 409, "ALREADY_SUBMITTED", title);
  }
  const { reason: _, ...declared } = manifest;
  const meta: SubmissionMeta = {
    ...declared,
    manifest_sha256: sha,
    state: "open",
    created_at: new Date().toISOString(),
    committed_at: null,
    feedback: null,
  };
  await store.create(meta, body);
  call.ok(201, { submission_id, state: "open", missing_files: files.map((f) => f.name) });
}

export function listSubmissions(ctx: SandboxContext, { res, url }: Call): void {
  const provider = url.searchParams.get("provider");
  const period = url.searchParams.get("period");
  const submissions = ctx.store
    .all()
    .filter((m) => (!provider || m.provider_code === provider) && (!period || m.period === period))
    .map((m) => ({
      submission_id: m.submission_id,
      state: m.state,
      supersedes: m.supersedes,
      created_at: m.created_at,
    }));
  json(res, 200, { submissions });
}

export async function showStatus(ctx: SandboxContext, call: Call): Promise<void> {
  const meta = submissionOf(ctx, call);
  if (meta !== undefined) json(call.res, 200, await view(ctx.store, meta));
}

export async function uploadFile(ctx: SandboxContext, call: Call): Promise<void> {
  const { req, res, fault } = call;
  const meta = submissionOf(ctx, call);
  if (meta === undefined) return;
  const { id, name } = call.params as { id: string; name: string };
  const file = meta.files.find((f) => f.name === name);
  if (file === undefined) return problem(res, 404, "UNKNOWN_FILE", "the manifest has no such file");
  const digest = `sha-256=:${Buffer.from(file.sha256, "hex").toString("base64")}:`;
  if (req.headers["content-digest"] !== digest) {
    const title = "Content-Digest is missing or differs from the manifest";
    return problem(res, 422, "DIGEST_MISMATCH", title);
  }
  if (Number(req.headers["content-length"] ?? 0) > MAX_FILE_BYTES)
    return problem(res, 413, "TOO_LARGE", "the file is above the size limit");
  if (await ctx.store.hasFile(id, name)) {
    req.resume();
    return call.ok(200, { name, stored: true });
  }
  if (meta.state !== "open")
    return problem(res, 409, "ALREADY_COMMITTED", "the submission is committed");
  const body = req.headers["content-encoding"] === "gzip" ? req.pipe(createGunzip()) : req;
  const stored = await ctx.store.storeFile(id, name, body, file, MAX_FILE_BYTES);
  if (stored.tooLarge) return problem(res, 413, "TOO_LARGE", "the file is above the size limit");
  if (!stored.ok) {
    const title = "the bytes do not match the digest and size in the manifest";
    return problem(res, 422, "DIGEST_MISMATCH", title);
  }
  if (fault?.kind === "flip_byte") await flipByte(ctx.store.filePath(id, name));
  call.ok(201, { name, stored: true });
}

/** Storage corruption on purpose: PHIN's processing must notice it. */
async function flipByte(file: string): Promise<void> {
  const bytes = await readFile(file);
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  await writeFile(file, bytes);
}

export async function commitSubmission(ctx: SandboxContext, call: Call): Promise<void> {
  const meta = submissionOf(ctx, call);
  if (meta === undefined) return;
  call.req.resume();
  const id = call.params.id as string;
  const existing = await ctx.store.receipt(id);
  if (existing !== undefined) return call.ok(200, tamper(ctx.material, existing, call.fault));
  const missing = await missingFiles(ctx.store, meta);
  if (missing.length > 0)
    return problem(call.res, 409, "FILES_MISSING", "files are missing", { missing_files: missing });
  const receipt = signed(ctx.material, {
    receipt_id: `rcpt-${randomUUID()}`,
    submission_id: id,
    provider_code: meta.provider_code,
    period: meta.period,
    schema_version: meta.schema_version,
    manifest_sha256: meta.manifest_sha256,
    files: [...meta.files],
    supersedes: meta.supersedes,
    received_at: new Date().toISOString(),
  });
  await ctx.store.saveReceipt(id, receipt);
  meta.state = "received";
  meta.committed_at = new Date().toISOString();
  await ctx.store.save(meta);
  ctx.scheduleProcessing(meta);
  call.ok(201, tamper(ctx.material, receipt, call.fault));
}

/** A receipt signed with the sandbox's receipt key, as the bytes that are stored and sent. */
function signed(material: SandboxMaterial, body: ReceiptBody): Buffer {
  const { receiptPrivateKey, receiptPublicKey } = material;
  return Buffer.from(JSON.stringify(signReceipt(body, receiptPrivateKey, receiptPublicKey)));
}

/** Apply a receipt fault to what is sent; the stored receipt stays true. */
function tamper(material: SandboxMaterial, receipt: Buffer, fault: FaultAction | undefined) {
  if (fault?.kind !== "bad_signature" && fault?.kind !== "wrong_digest") return receipt;
  const sent = JSON.parse(receipt.toString("utf8")) as SignedReceipt;
  if (fault.kind === "bad_signature") {
    const sig = Buffer.from(sent.signature, "base64");
    sig[0] = (sig[0] ?? 0) ^ 0xff;
    return Buffer.from(JSON.stringify({ ...sent, signature: sig.toString("base64") }));
  }
  const [first, ...rest] = sent.receipt.files;
  const files = first === undefined ? [] : [{ ...first, sha256: "0".repeat(64) }, ...rest];
  return signed(material, { ...sent.receipt, files });
}

export function adminCounters(ctx: SandboxContext, { res }: Call): void {
  json(res, 200, { counters: ctx.counters, fired: ctx.faults.fired });
}

export async function adminAddFaults(ctx: SandboxContext, { req, res }: Call): Promise<void> {
  const body = await readBody(req, 64 * 1024);
  const parsed = $FaultScript.safeParse(
    body === undefined ? null : JSON.parse(body.toString("utf8") || "null"),
  );
  if (!parsed.success) {
    const title = "the body is not a fault script (see src/sandbox/faults.ts)";
    return problem(res, 400, "BAD_FAULTS", title);
  }
  ctx.faults.add(...parsed.data);
  json(res, 200, { added: parsed.data.length });
}

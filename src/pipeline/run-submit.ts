// `submit`: the validate pipeline, then transmit and receipt, exactly once per content. Order
// matters: secrets are checked before any work, the period lock before the ledger, the intent
// entry before the first byte is sent, the receipt entry only after the receipt verifies.
import { createHash } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { isPhinError, PhinError } from "../errors.ts";
import { crashPoint } from "../io/crash-point.ts";
import { acquirePeriodLock, type PeriodLock } from "../io/period-lock.ts";
import { ensurePrivateDir } from "../io/private-dir.ts";
import { type Log, serialiseError, silentLog } from "../log/run-log.ts";
import type { Manifest } from "../package/manifest.ts";
import {
  type EntryType,
  entryHeader,
  Ledger,
  ledgerPath,
  supersededIds,
} from "../receipt/ledger.ts";
import { checkReceipt, type SignedReceipt } from "../receipt/receipt.ts";
import { provenReceipt } from "../receipt/receipt-entry.ts";
import { confirmHeld } from "../receipt/reconcile.ts";
import { attachReceipt } from "../report/attach-receipt.ts";
import { recordAcceptedSubmission } from "../state/record-accepted.ts";
import {
  loadTransport,
  startRetryPolicy,
  type TransportSetup,
} from "../transmit/load-transport.ts";
import { PhinApiClient } from "../transmit/phin-api-client.ts";
import type { OnWait } from "../transmit/retry-policy.ts";
import { type TransmitResult, transmitBundle } from "../transmit/transmit-bundle.ts";
import { runValidate, type ValidateOptions, type ValidateResult } from "./run-validate.ts";

export interface SubmitOptions extends ValidateOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Told of each network wait over 2 s. */
  readonly onWait?: OnWait | undefined;
  /** Ask PHIN's list whether it holds the submission before calling the period sent. */
  readonly confirm?: boolean | undefined;
}

export type SubmitOutcome = "submitted" | "already_submitted" | "blocked";

export interface SubmitResult {
  readonly outcome: SubmitOutcome;
  readonly validation: ValidateResult;
  readonly submissionId: string | null;
  readonly receipt: SignedReceipt | null;
  /** The server already knew this submission: a rerun after a crash. */
  readonly resumed: boolean;
  /** PHIN's list was asked and holds the submission (--confirm); null when not asked. */
  readonly confirmed: boolean | null;
}

/** What the steps after a ready validation share. */
interface Submission {
  readonly options: SubmitOptions;
  readonly transport: TransportSetup;
  readonly log: Log;
  readonly ledger: Ledger;
  readonly outDir: string;
  readonly manifest: Manifest;
  readonly validation: ValidateResult;
}

export async function runSubmit(options: SubmitOptions): Promise<SubmitResult> {
  const transport = await loadTransport(options.loaded, options.env);
  const log = (options.log ?? silentLog).child({ stage: "transmit" });
  const lock = await lockPeriod(options, log);
  try {
    const validation = await runValidate({ ...options, keepEpisodes: true });
    const { manifest, outDir } = validation;
    if (validation.verdict === "blocked" || manifest === null) {
      const none = { submissionId: null, receipt: null, resumed: false, confirmed: null };
      return { outcome: "blocked", validation, ...none };
    }
    const ledger = await Ledger.open(ledgerPath(options.loaded));
    const s: Submission = { options, transport, log, ledger, outDir, manifest, validation };
    const submissionId = manifest.submission_id;
    const confirmed = options.confirm === true ? true : null;
    const entry = ledger.receiptFor(submissionId);
    if (entry !== undefined) {
      // Same content, already receipted: nothing to send, nothing to keep, once the receipt is
      // proven. One that is not stops the run before anything is deleted or sent.
      const manifestSha256 = sha256(await readFile(path.join(outDir, "manifest.json")));
      const sent = { manifestSha256, files: manifest.files };
      const done = provenReceipt(entry, transport.receiptPublicKey, ledger.file, sent);
      if (confirmed) await confirm(s, entry.seq);
      await settle(s, done);
      const event = { event: "submit.already_submitted", submission_id: submissionId };
      log.info(event, "already submitted: nothing sent");
      return {
        outcome: "already_submitted",
        validation,
        submissionId,
        receipt: done,
        resumed: false,
        confirmed,
      };
    }
    refuseOtherContent(s);
    const { receipt, resumed } = await send(s);
    if (confirmed) await confirm(s);
    return { outcome: "submitted", validation, submissionId, receipt, resumed, confirmed };
  } finally {
    await lock.release();
  }
}

/**
 * A plain submit must never replace what PHIN accepted for the period: an unattended run would
 * overwrite an analyst's correction, or the other way round. A month PHIN rejected (a `status`
 * entry says so) or one already superseded is no obstacle.
 */
function refuseOtherContent(s: Submission): void {
  const { entries } = s.ledger;
  const { provider_code, period, submission_id } = s.manifest;
  if (s.manifest.supersedes !== null) return;
  const superseded = supersededIds(entries);
  const standing = entries.findLast(
    (e) =>
      e.type === "receipt" &&
      e.provider_code === provider_code &&
      e.period === period &&
      e.submission_id !== submission_id &&
      !superseded.has(e.submission_id) &&
      s.ledger.lastStatus(e.submission_id) !== "rejected",
  );
  if (standing === undefined) return;
  throw new PhinError(
    "PERIOD_ALREADY_ACCEPTED",
    `${period} already has submission ${standing.submission_id} with other content (ledger entry ${standing.seq}); nothing was sent`,
    {
      stage: "transmit",
      file: s.ledger.file,
      line: standing.seq,
      hint: "a corrected month must supersede it as a resubmission, which phin-submit cannot send yet: ask PHIN how to replace it; a month PHIN rejected can be sent again once `phin-submit status` has recorded the rejection",
    },
  );
}

/** The lock comes first: two runs must not even write the same bundle folder at once. */
async function lockPeriod(options: SubmitOptions, log: Log): Promise<PeriodLock> {
  const { loaded, period } = options;
  const stateDir = loaded.resolve(loaded.config.state_dir);
  await ensurePrivateDir(stateDir);
  const holder = options.runId ?? `submit-${process.pid}`;
  const lock = await acquirePeriodLock(stateDir, loaded.config.provider_code, period.id, holder);
  log.info({ event: "lock.acquired", period: period.id }, "period lock acquired");
  return lock;
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** --confirm: PHIN's list for the period must hold the submission. */
async function confirm(s: Submission, seq?: number): Promise<void> {
  const client = new PhinApiClient(s.transport.secrets, s.transport.timeouts, s.options.onWait);
  const entry = { ...header(s, "receipt"), ...(seq === undefined ? {} : { seq }) };
  try {
    await confirmHeld(client, startRetryPolicy(s.transport), entry);
  } finally {
    client.close();
  }
  s.log.info({ event: "submit.confirmed", submission_id: entry.submission_id }, "PHIN holds it");
}

function header(s: Submission, type: EntryType) {
  return entryHeader(type, s.options.now(), s.options.toolVersion, {
    provider_code: s.options.loaded.config.provider_code,
    period: s.options.period.id,
    submission_id: s.manifest.submission_id,
  });
}

/**
 * Once PHIN's receipt verifies, the submission files (patient-level data) are deleted, the
 * report records the receipt, and the state store the month's episodes for later months' links.
 */
async function settle(s: Submission, receipt: SignedReceipt): Promise<void> {
  await Promise.all(s.manifest.files.map((f) => rm(path.join(s.outDir, f.name), { force: true })));
  crashPoint("settle:after-delete");
  await attachReceipt(s.outDir, receipt);
  await recordAcceptedSubmission({
    stateDir: s.options.loaded.resolve(s.options.loaded.config.state_dir),
    manifest: s.manifest,
    receivedAt: receipt.receipt.received_at,
    episodes: () => s.validation.episodes?.monthEpisodes() ?? [],
    digests: s.validation.digests,
  });
}

/** Intent, transmission, receipt: each step recorded before the next one starts. */
async function send(s: Submission): Promise<{ receipt: SignedReceipt; resumed: boolean }> {
  const { manifest, ledger } = s;
  const id = manifest.submission_id;
  const manifestBytes = await readFile(path.join(s.outDir, "manifest.json"));
  const manifestSha256 = sha256(manifestBytes);
  if (!ledger.hasIntent(id)) {
    await ledger.append({
      ...header(s, "intent"),
      record_counts: manifest.record_counts,
      files: manifest.files,
      manifest_sha256: manifestSha256,
      pseudonym_key_id: manifest.pseudonym_key_id,
      supersedes: manifest.supersedes,
    });
  }
  s.log.info({ event: "ledger.intent", submission_id: id }, "intent recorded");
  crashPoint("submit:after-intent");

  const sent = await transmit(s, manifestBytes);
  const receipt = await verifiedReceipt(s, sent.receipt, manifestSha256);
  await ledger.append({ ...header(s, "receipt"), receipt, manifest_sha256: manifestSha256 });
  await settle(s, receipt);
  const { uploaded, resumed } = sent;
  const receipt_id = receipt.receipt.receipt_id;
  const event = { event: "receipt.verified", submission_id: id, receipt_id, uploaded, resumed };
  s.log.info(event, "receipt verified and recorded; payload deleted");
  return { receipt, resumed };
}

/** open, upload, commit; a final (not transient) failure is recorded in the ledger. */
async function transmit(s: Submission, manifestBytes: Buffer): Promise<TransmitResult> {
  const { options, transport, log } = s;
  const client = new PhinApiClient(transport.secrets, transport.timeouts, options.onWait);
  try {
    return await transmitBundle({
      client,
      bundleDir: s.outDir,
      manifest: s.manifest,
      manifestBytes,
      policy: startRetryPolicy(transport),
      hooks: {
        onWait: options.onWait,
        onRetry: ({ attempt, reason, delayMs }) =>
          log.warn({ event: "transmit.retry", attempt, reason, delay_ms: delayMs }, "retrying"),
      },
    });
  } catch (error) {
    log.error({ event: "transmit.failed", err: serialiseError(error) }, "transmission failed");
    if (isPhinError(error) && error.errorClass !== "transient") {
      const entry = header(s, "status");
      await s.ledger.append({ ...entry, state: "send_failed", error_code: error.code });
    }
    throw error;
  } finally {
    client.close();
  }
}

/** PHIN's receipt, checked against what was sent; one that fails leaves the run unconfirmed. */
async function verifiedReceipt(
  s: Submission,
  raw: unknown,
  manifestSha256: string,
): Promise<SignedReceipt> {
  const id = s.manifest.submission_id;
  const problems = checkReceipt(raw, s.transport.receiptPublicKey, {
    submissionId: id,
    providerCode: s.options.loaded.config.provider_code,
    period: s.options.period.id,
    manifestSha256,
    files: s.manifest.files,
  });
  if (problems.length === 0) return raw as SignedReceipt;
  await s.ledger.append({ ...header(s, "unconfirmed"), problems });
  s.log.error({ event: "receipt.invalid", submission_id: id, problems }, "receipt did not verify");
  throw new PhinError(
    "RECEIPT_INVALID",
    `PHIN's receipt for ${id} did not verify: ${problems.join("; ")}`,
    {
      stage: "receipt",
      hint: "the submission is unconfirmed; check transport.receipt_public_key_file, then rerun (the commit is idempotent)",
    },
  );
}

// `submit`: the validate pipeline, then transmit and receipt, exactly once per content. Order
// matters: secrets are checked before any work, the period lock before the ledger, the intent
// entry before the first byte is sent, the receipt entry only after the receipt verifies.
import { createHash } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { LoadedConfig } from "../config/load-config.ts";
import { isPhinError, PhinError } from "../errors.ts";
import { acquirePeriodLock } from "../io/period-lock.ts";
import { ensurePrivateDir } from "../io/private-dir.ts";
import { type Log, serialiseError, silentLog } from "../log/run-log.ts";
import type { Manifest } from "../package/manifest.ts";
import { Ledger, type LedgerEntryBody, ledgerPath } from "../receipt/ledger.ts";
import { checkReceipt, type SignedReceipt } from "../receipt/receipt.ts";
import { attachReceipt } from "../report/attach-receipt.ts";
import type { Period } from "../time/period.ts";
import { loadTransport } from "../transmit/load-transport.ts";
import { PhinApiClient } from "../transmit/phin-api-client.ts";
import type { RetryHooks } from "../transmit/retry-policy.ts";
import { transmitBundle } from "../transmit/transmit-bundle.ts";
import type { PassProgress } from "./dataset-pass.ts";
import { runValidate, type ValidateResult } from "./run-validate.ts";

export type CrashPoint = "after-intent" | "after-commit";

export interface SubmitOptions {
  readonly loaded: LoadedConfig;
  readonly period: Period;
  readonly now: () => Date;
  readonly toolVersion: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly retryHooks?: RetryHooks;
  readonly runId?: string;
  readonly log?: Log;
  readonly onProgress?: (progress: PassProgress) => void;
  /** Test-only: die with SIGKILL at this point (crash-safety tests). */
  readonly crashAt?: CrashPoint | undefined;
}

export type SubmitOutcome = "submitted" | "already_submitted" | "blocked";

export interface SubmitResult {
  readonly outcome: SubmitOutcome;
  readonly validation: ValidateResult;
  readonly submissionId: string | null;
  readonly receipt: SignedReceipt | null;
  /** The server already knew this submission: a rerun after a crash. */
  readonly resumed: boolean;
}

export function actor(): string {
  return `${os.userInfo().username}@${os.hostname()}`;
}

const crash = () => process.kill(process.pid, "SIGKILL");

/** Submission files hold patient-level data: once PHIN's receipt verifies they are deleted. */
async function removePayload(outDir: string, manifest: Manifest): Promise<void> {
  await Promise.all(manifest.files.map((f) => rm(path.join(outDir, f.name), { force: true })));
}

export async function runSubmit(options: SubmitOptions): Promise<SubmitResult> {
  const { loaded, period } = options;
  const config = loaded.config;
  const transport = await loadTransport(loaded, options.env);
  const log = (options.log ?? silentLog).child({ stage: "transmit" });

  // The lock comes first: two runs must not even write the same bundle folder at once.
  const stateDir = loaded.resolve(config.state_dir);
  await ensurePrivateDir(stateDir);
  const lock = await acquirePeriodLock(
    stateDir,
    config.provider_code,
    period.id,
    options.runId ?? `submit-${process.pid}`,
  );
  log.info({ event: "lock.acquired", period: period.id }, "period lock acquired");
  try {
    const validation = await runValidate({
      loaded,
      period,
      now: options.now,
      toolVersion: options.toolVersion,
      ...(options.runId === undefined ? {} : { runId: options.runId }),
      ...(options.log === undefined ? {} : { log: options.log }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
    const manifest = validation.manifest;
    if (validation.verdict === "blocked" || manifest === null) {
      return { outcome: "blocked", validation, submissionId: null, receipt: null, resumed: false };
    }
    const id = manifest.submission_id;
    const ledger = await Ledger.open(ledgerPath(loaded));
    const base = (type: LedgerEntryBody["type"]) => ({
      type,
      at: options.now().toISOString(),
      actor: actor(),
      tool_version: options.toolVersion,
      provider_code: config.provider_code,
      period: period.id,
      submission_id: id,
    });
    const done = ledger.receiptFor(id);
    if (done !== undefined) {
      // Same content, already receipted: nothing to send, nothing to keep.
      await removePayload(validation.outDir, manifest);
      await attachReceipt(validation.outDir, done.receipt as SignedReceipt);
      log.info(
        { event: "submit.already_submitted", submission_id: id },
        "already submitted: nothing sent",
      );
      return {
        outcome: "already_submitted",
        validation,
        submissionId: id,
        receipt: done.receipt as SignedReceipt,
        resumed: false,
      };
    }

    const manifestBytes = await readFile(path.join(validation.outDir, "manifest.json"));
    const manifestSha256 = createHash("sha256").update(manifestBytes).digest("hex");
    if (!ledger.hasIntent(id)) {
      await ledger.append({
        ...base("intent"),
        record_counts: manifest.record_counts,
        files: manifest.files,
        manifest_sha256: manifestSha256,
        pseudonym_key_id: manifest.pseudonym_key_id,
        supersedes: manifest.supersedes,
      });
    }
    log.info({ event: "ledger.intent", submission_id: id }, "intent recorded");
    if (options.crashAt === "after-intent") crash();

    const client = new PhinApiClient(
      transport.secrets,
      transport.timeouts,
      `phin-submit/${options.toolVersion}`,
    );
    let sent: Awaited<ReturnType<typeof transmitBundle>>;
    try {
      sent = await transmitBundle({
        client,
        bundleDir: validation.outDir,
        manifest,
        manifestBytes,
        policy: { ...transport.retry, deadline: Date.now() + transport.retry.deadlineMs },
        hooks: {
          ...options.retryHooks,
          onRetry: (info) => {
            log.warn(
              {
                event: "transmit.retry",
                attempt: info.attempt,
                reason: info.reason,
                delay_ms: info.delayMs,
              },
              "retrying",
            );
            options.retryHooks?.onRetry?.(info);
          },
        },
        ...(options.crashAt === "after-commit" ? { afterCommit: crash } : {}),
      });
    } catch (error) {
      log.error({ event: "transmit.failed", err: serialiseError(error) }, "transmission failed");
      if (isPhinError(error) && error.errorClass !== "transient") {
        await ledger.append({ ...base("status"), state: "send_failed", error_code: error.code });
      }
      throw error;
    } finally {
      client.close();
    }

    const problems = checkReceipt(sent.receipt, transport.receiptPublicKey, {
      submissionId: id,
      providerCode: config.provider_code,
      period: period.id,
      manifestSha256,
      files: manifest.files,
    });
    if (problems.length > 0) {
      await ledger.append({ ...base("unconfirmed"), problems });
      log.error(
        { event: "receipt.invalid", submission_id: id, problems },
        "receipt did not verify",
      );
      throw new PhinError(
        "RECEIPT_INVALID",
        `PHIN's receipt for ${id} did not verify: ${problems.join("; ")}`,
        {
          stage: "receipt",
          hint: "the submission is unconfirmed; check transport.receipt_public_key_file, then rerun (the commit is idempotent)",
        },
      );
    }
    const receipt = sent.receipt as SignedReceipt;
    await ledger.append({ ...base("receipt"), receipt, manifest_sha256: manifestSha256 });
    await removePayload(validation.outDir, manifest);
    await attachReceipt(validation.outDir, receipt);
    log.info(
      {
        event: "receipt.verified",
        submission_id: id,
        receipt_id: receipt.receipt.receipt_id,
        uploaded: sent.uploaded,
        resumed: sent.resumed,
      },
      "receipt verified and recorded; payload deleted",
    );
    return { outcome: "submitted", validation, submissionId: id, receipt, resumed: sent.resumed };
  } finally {
    await lock.release();
  }
}

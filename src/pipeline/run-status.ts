// `status [ID]`: PHIN's processing outcome for a submission (default: the latest in the
// ledger), recorded in the ledger when it changed.
import type { LoadedConfig } from "../config/load-config.ts";
import { PhinError } from "../errors.ts";
import type { Log } from "../log/run-log.ts";
import { Ledger, ledgerPath } from "../receipt/ledger.ts";
import { loadTransport } from "../transmit/load-transport.ts";
import { PhinApiClient } from "../transmit/phin-api-client.ts";
import { withRetries } from "../transmit/retry-policy.ts";
import { actor } from "./run-submit.ts";

export interface StatusResult {
  readonly submissionId: string;
  readonly state: string;
  readonly feedback: unknown;
  readonly changed: boolean;
}

export async function runStatus(options: {
  loaded: LoadedConfig;
  submissionId?: string | undefined;
  now: () => Date;
  toolVersion: string;
  env: Readonly<Record<string, string | undefined>>;
  log?: Log;
}): Promise<StatusResult> {
  const transport = await loadTransport(options.loaded, options.env);
  const ledger = await Ledger.open(ledgerPath(options.loaded));
  const id = options.submissionId ?? ledger.latestSubmission();
  if (id === undefined) {
    throw new PhinError("NOT_FOUND", "the ledger holds no submission yet", {
      stage: "cli",
      hint: "run `phin-submit submit` first, or pass a submission id",
    });
  }
  const known = ledger.entries.find((e) => e.submission_id === id);
  const client = new PhinApiClient(
    transport.secrets,
    transport.timeouts,
    `phin-submit/${options.toolVersion}`,
  );
  try {
    const response = await withRetries("status", () => client.status(id), {
      ...transport.retry,
      deadline: Date.now() + transport.retry.deadlineMs,
    });
    if (response.status === 404)
      throw new PhinError("NOT_FOUND", `PHIN knows no submission ${id}`, { stage: "transmit" });
    if (response.status >= 400)
      throw new PhinError("REJECTED", `status: PHIN answered HTTP ${response.status}`, {
        stage: "transmit",
      });
    const state = String(response.body.state ?? "unknown");
    options.log?.info(
      { stage: "transmit", event: "status", submission_id: id, state },
      `status ${state}`,
    );
    const changed = ledger.lastStatus(id) !== state;
    if (changed && known !== undefined) {
      await ledger.append({
        type: "status",
        at: options.now().toISOString(),
        actor: actor(),
        tool_version: options.toolVersion,
        provider_code: known.provider_code,
        period: known.period,
        submission_id: id,
        state,
        feedback: response.body.feedback ?? null,
      });
    }
    return { submissionId: id, state, feedback: response.body.feedback ?? null, changed };
  } finally {
    client.close();
  }
}

// `receipts verify --remote` and `receipts recover`: the ledger compared with PHIN's list of
// submissions, and the receipts PHIN holds that the ledger lacks fetched, verified and appended.
import type { LoadedConfig } from "../config/load-config.ts";
import { PhinError } from "../errors.ts";
import { Ledger, ledgerPath, readLedger } from "../receipt/ledger.ts";
import { checkAnchor } from "../receipt/ledger-head.ts";
import {
  type Reconciliation,
  type Recovered,
  reconcile,
  recoverReceipts,
  remoteSubmissions,
} from "../receipt/reconcile.ts";
import {
  loadTransport,
  startRetryPolicy,
  type TransportSetup,
} from "../transmit/load-transport.ts";
import { PhinApiClient } from "../transmit/phin-api-client.ts";
import type { RetryPolicy } from "../transmit/retry-policy.ts";

export interface ReceiptsOptions {
  readonly loaded: LoadedConfig;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: () => Date;
  readonly toolVersion: string;
}

async function withPhin<T>(
  options: ReceiptsOptions,
  work: (client: PhinApiClient, policy: RetryPolicy, transport: TransportSetup) => Promise<T>,
): Promise<T> {
  const transport = await loadTransport(options.loaded, options.env);
  const client = new PhinApiClient(transport.secrets, transport.timeouts);
  try {
    return await work(client, startRetryPolicy(transport), transport);
  } finally {
    client.close();
  }
}

/** The ledger's receipts against PHIN's list of every submission of the provider. */
export function compareWithPhin(options: ReceiptsOptions): Promise<Reconciliation> {
  const provider = options.loaded.config.provider_code;
  return withPhin(options, async (client, policy) => {
    const { entries } = await readLedger(ledgerPath(options.loaded));
    return reconcile(entries, await remoteSubmissions(client, policy, provider));
  });
}

export interface RecoverResult {
  readonly recovered: readonly Recovered[];
  readonly reanchored: boolean;
}

/**
 * Restore what PHIN holds: each missing receipt is fetched and verified with the configured key
 * before it is appended. A receipt entry PHIN does not hold stops it before anything changes.
 * Once the ledger holds every receipt PHIN has, its head is anchored at its last entry.
 */
export function runRecover(options: ReceiptsOptions): Promise<RecoverResult> {
  const provider = options.loaded.config.provider_code;
  return withPhin(options, async (client, policy, transport) => {
    const ledger = await Ledger.open(ledgerPath(options.loaded), { recovering: true });
    const remote = await remoteSubmissions(client, policy, provider);
    const { unknownToPhin, missingFromLedger } = reconcile(ledger.entries, remote);
    const stray = unknownToPhin[0];
    if (stray !== undefined) {
      const message = `ledger entry ${stray.seq} records a receipt for ${stray.submission_id}, which PHIN does not hold; nothing was changed`;
      throw new PhinError("RECEIPT_UNCONFIRMED", message, {
        stage: "receipt",
        file: ledger.file,
        line: stray.seq,
        hint: "the ledger holds a claim PHIN denies: restore the ledger from backup, then recover",
      });
    }
    const recovered = await recoverReceipts({
      client,
      policy,
      ledger,
      missing: missingFromLedger,
      provider,
      receiptPublicKey: transport.receiptPublicKey,
      now: options.now,
      toolVersion: options.toolVersion,
    });
    const anchor = await checkAnchor(ledger.file, ledger.entries);
    const reanchored = anchor.problems.length > 0;
    if (reanchored) await ledger.reanchor();
    return { recovered, reanchored };
  });
}

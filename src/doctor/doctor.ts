// `phin-submit doctor`: checks a deployment before the scheduler relies on it. Certificates
// (validity, expiry within 30 days), secret file permissions, the state directory, the clock,
// mappings, and whether PHIN (or the sandbox) answers with our credentials. Never prints a
// secret: only paths, modes, sizes and dates.
import { X509Certificate } from "node:crypto";
import { access, constants, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { TransportConfig } from "../config/config-schema.ts";
import type { LoadedConfig } from "../config/load-config.ts";
import { isPhinError } from "../errors.ts";
import { ensurePrivateDir } from "../io/private-dir.ts";
import { loadMapping } from "../map/load-mapping.ts";
import { loadPseudonymKey } from "../minimise/pseudonym-key.ts";
import { requireWordCodeLists } from "../pipeline/run-inputs.ts";
import { ledgerPath, readLedger } from "../receipt/ledger.ts";
import { reconcile, remoteSubmissions } from "../receipt/reconcile.ts";
import { verifyLedgerFile } from "../receipt/verify-ledger.ts";
import { datasetOrder } from "../schemas/registry.ts";
import { loadTransport } from "../transmit/load-transport.ts";
import { PhinApiClient } from "../transmit/phin-api-client.ts";
import { type OnWait, TransientFailure } from "../transmit/retry-policy.ts";

type FailClass = "config" | "trust" | "transient";

export interface Check {
  readonly name: string;
  readonly status: "ok" | "warn" | "fail";
  readonly detail: string;
  /** Exit code class of a failure, for the command's exit code. */
  readonly failClass?: FailClass;
}

const EXPIRY_WARNING_DAYS = 30;

const ok = (name: string, detail: string): Check => ({ name, status: "ok", detail });
const warn = (name: string, detail: string): Check => ({ name, status: "warn", detail });
const fail = (name: string, detail: string, failClass: FailClass = "config"): Check => ({
  name,
  status: "fail",
  detail,
  failClass,
});

/** Our own errors name what failed without quoting a secret or a value; others are not repeated. */
const reason = (error: unknown, otherwise: string) =>
  isPhinError(error) || error instanceof TransientFailure ? error.message : otherwise;

export function certificateCheck(name: string, pem: string, now: Date): Check {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return fail(name, "not a PEM certificate");
  }
  const from = cert.validFromDate;
  const to = cert.validToDate;
  const days = Math.floor((to.getTime() - now.getTime()) / 86_400_000);
  if (now < from) return fail(name, `not valid until ${from.toISOString()}`, "trust");
  if (days < 0) return fail(name, `expired on ${to.toISOString()}`, "trust");
  if (days < EXPIRY_WARNING_DAYS) {
    return warn(name, `expires in ${days} days (${to.toISOString()}): renew it`);
  }
  return ok(name, `valid until ${to.toISOString()} (${days} days)`);
}

export interface DoctorOptions {
  readonly loaded: LoadedConfig;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly now: Date;
  /** Told of each network wait over 2 s. */
  readonly onWait?: OnWait;
}

export async function runDoctor(options: DoctorOptions): Promise<Check[]> {
  const { loaded, now } = options;
  const checks = [
    clockCheck(now),
    await keyCheck(loaded),
    await stateDirCheck(loaded),
    ...(await mappingChecks(loaded)),
  ];
  const transport = loaded.config.transport;
  if (transport === undefined) {
    return [...checks, warn("transport", "no transport section: validate works, submit does not")];
  }
  checks.push(...(await transportFileChecks(loaded, transport, now)));
  // Only asked when everything local holds: a failure there would only be reported twice.
  if (checks.every((c) => c.status !== "fail")) checks.push(await reachable(options, transport));
  if (checks.every((c) => c.status !== "fail")) checks.push(await receiptsCheck(options));
  return checks;
}

/** A wrong clock misdates runs, "future date" rules and certificate checks. */
function clockCheck(now: Date): Check {
  const year = now.getUTCFullYear();
  return year >= 2025 && year <= 2100
    ? ok("clock", `system time ${now.toISOString()}`)
    : fail("clock", `system time ${now.toISOString()} is implausible`);
}

async function keyCheck(loaded: LoadedConfig): Promise<Check> {
  const name = "pseudonymisation key";
  const { key_file: file, allow_shared_key_file } = loaded.config.pseudonymisation;
  const keyPath = loaded.resolve(file);
  try {
    const key = await loadPseudonymKey(keyPath, file, { allowShared: allow_shared_key_file });
    return key.looseMode
      ? warn(name, `${keyPath} is readable by group or others (allowed by allow_shared_key_file)`)
      : ok(name, `${keyPath}, key id ${key.keyId}, mode 0600`);
  } catch (error) {
    return fail(name, reason(error, "unreadable"));
  }
}

async function stateDirCheck(loaded: LoadedConfig): Promise<Check> {
  const stateDir = loaded.resolve(loaded.config.state_dir);
  try {
    await ensurePrivateDir(stateDir);
    const probe = path.join(stateDir, `.doctor-${process.pid}`);
    await writeFile(probe, "", { mode: 0o600 });
    await rm(probe);
    return ok("state directory", `${stateDir} is writable (mode 0700)`);
  } catch {
    return fail("state directory", `${stateDir} is not writable`);
  }
}

function mappingChecks(loaded: LoadedConfig): Promise<Check[]> {
  return Promise.all(
    datasetOrder.map(async (dataset) => {
      const file = loaded.config.datasets[dataset].mapping;
      return loadMapping(loaded.resolve(file), file).then(
        (mapping) => {
          requireWordCodeLists(loaded, mapping);
          return ok(`mapping ${dataset}`, file);
        },
        (error: unknown) => fail(`mapping ${dataset}`, reason(error, "unreadable")),
      );
    }),
  );
}

/** Secret files private, certificates valid, the receipt key readable. */
async function transportFileChecks(
  loaded: LoadedConfig,
  t: TransportConfig,
  now: Date,
): Promise<Check[]> {
  const secret = async (name: string, file: string) => {
    const mode = await stat(loaded.resolve(file)).then(
      (s) => s.mode & 0o777,
      () => undefined,
    );
    if (mode === undefined) return fail(name, `${file} is missing`);
    const octal = `0${mode.toString(8)}`;
    return (mode & 0o077) !== 0
      ? warn(name, `${file} has mode ${octal}: chmod 600`)
      : ok(name, `${file}, mode ${octal}`);
  };
  const certificate = async (name: string, file: string) => {
    const pem = await readFile(loaded.resolve(file), "utf8").catch(() => undefined);
    return pem === undefined ? fail(name, `${file} is missing`) : certificateCheck(name, pem, now);
  };
  const receiptKey = t.receipt_public_key_file;
  return Promise.all([
    secret("client key file", t.client_key_file),
    secret("token file", t.token_file),
    certificate("client certificate", t.client_cert_file),
    certificate("CA certificate", t.ca_file),
    access(loaded.resolve(receiptKey), constants.R_OK).then(
      () => ok("receipt public key", receiptKey),
      () => fail("receipt public key", `${receiptKey} is missing`),
    ),
  ]);
}

/** PHIN answers our own certificate and token: a list call, which changes nothing. */
async function reachable(options: DoctorOptions, t: TransportConfig): Promise<Check> {
  const name = "PHIN reachable";
  try {
    const transport = await loadTransport(options.loaded, options.env);
    // Shorter than a submission's timeouts: a person is waiting for the answer.
    const timeouts = { ...transport.timeouts, response_ms: 10_000, request_ms: 15_000 };
    const client = new PhinApiClient(transport.secrets, timeouts, options.onWait);
    const response = await client
      .list(options.loaded.config.provider_code, "2000-01")
      .finally(() => client.close());
    return response.status === 200
      ? ok(name, `${t.url} answered with our certificate and token`)
      : fail(name, `${t.url} answered HTTP ${response.status}`, "trust");
  } catch (error) {
    const trust = isPhinError(error) && error.errorClass === "trust";
    return fail(name, reason(error, "failed"), trust ? "trust" : "transient");
  }
}

/** The ledger verifies, and every receipt in it is one PHIN's list holds. */
async function receiptsCheck(options: DoctorOptions): Promise<Check> {
  const name = "receipts held by PHIN";
  try {
    const transport = await loadTransport(options.loaded, options.env);
    const file = ledgerPath(options.loaded);
    const local = await verifyLedgerFile(file, transport.receiptPublicKey);
    const first = local.problems[0];
    if (first !== undefined) {
      const where = first.seq === 0 ? "" : `entry ${first.seq}: `;
      const more = local.problems.length > 1 ? ` (and ${local.problems.length - 1} more)` : "";
      return fail(name, `the ledger does not verify: ${where}${first.problem}${more}`, "trust");
    }
    const timeouts = { ...transport.timeouts, response_ms: 10_000, request_ms: 15_000 };
    const client = new PhinApiClient(transport.secrets, timeouts, options.onWait);
    const policy = { ...transport.retry, attempts: 2, deadline: Date.now() + 20_000 };
    const provider = options.loaded.config.provider_code;
    const remote = await remoteSubmissions(client, policy, provider).finally(() => client.close());
    const { entries } = await readLedger(file);
    const r = reconcile(entries, remote);
    if (r.unknownToPhin.length > 0) {
      const ids = r.unknownToPhin.map((e) => `entry ${e.seq} (${e.submission_id})`).join(", ");
      return fail(name, `PHIN does not hold receipts the ledger records: ${ids}`, "trust");
    }
    if (r.missingFromLedger.length > 0) {
      const ids = r.missingFromLedger.map((m) => m.submission_id).join(", ");
      return warn(
        name,
        `PHIN holds submissions the ledger lacks (${ids}): run \`phin-submit receipts recover\``,
      );
    }
    return ok(name, `${local.receipts} receipts, each verified and held by PHIN`);
  } catch (error) {
    const trust = isPhinError(error) && error.errorClass === "trust";
    return fail(name, reason(error, "failed"), trust ? "trust" : "transient");
  }
}

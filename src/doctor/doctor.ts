// `phin-submit doctor`: checks a deployment before the scheduler relies on it. Certificates
// (validity, expiry within 30 days), secret file permissions, the state directory, the clock,
// mappings, and whether PHIN (or the sandbox) answers with our credentials. Never prints a
// secret: only paths, modes, sizes and dates.
import { X509Certificate } from "node:crypto";
import { access, constants, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { LoadedConfig } from "../config/load-config.ts";
import { isPhinError } from "../errors.ts";
import { ensurePrivateDir } from "../io/private-dir.ts";
import { loadMapping } from "../map/load-mapping.ts";
import { loadPseudonymKey } from "../minimise/pseudonym-key.ts";
import { datasetOrder } from "../schemas/registry.ts";
import { loadTransport } from "../transmit/load-transport.ts";
import { PhinApiClient } from "../transmit/phin-api-client.ts";

export type CheckStatus = "ok" | "warn" | "fail";

export interface Check {
  readonly name: string;
  readonly status: CheckStatus;
  readonly detail: string;
  /** Exit code class of a failure, for the command's exit code. */
  readonly failClass?: "config" | "trust" | "transient";
}

export const EXPIRY_WARNING_DAYS = 30;

async function fileMode(file: string): Promise<number | undefined> {
  return stat(file).then(
    (s) => s.mode & 0o777,
    () => undefined,
  );
}

export function certificateCheck(name: string, pem: string, now: Date): Check {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return { name, status: "fail", detail: "not a PEM certificate", failClass: "config" };
  }
  const from = new Date(cert.validFrom);
  const to = new Date(cert.validTo);
  const days = Math.floor((to.getTime() - now.getTime()) / 86_400_000);
  if (now < from)
    return {
      name,
      status: "fail",
      detail: `not valid until ${from.toISOString()}`,
      failClass: "trust",
    };
  if (days < 0)
    return { name, status: "fail", detail: `expired on ${to.toISOString()}`, failClass: "trust" };
  if (days < EXPIRY_WARNING_DAYS)
    return {
      name,
      status: "warn",
      detail: `expires in ${days} days (${to.toISOString()}): renew it`,
    };
  return { name, status: "ok", detail: `valid until ${to.toISOString()} (${days} days)` };
}

export async function runDoctor(options: {
  loaded: LoadedConfig;
  env: Readonly<Record<string, string | undefined>>;
  now: Date;
  toolVersion: string;
}): Promise<Check[]> {
  const { loaded, now } = options;
  const config = loaded.config;
  const checks: Check[] = [];
  const add = (c: Check) => checks.push(c);

  // Clock: a wrong clock misdates runs, "future date" rules and certificate checks.
  const year = now.getUTCFullYear();
  add(
    year >= 2025 && year <= 2100
      ? { name: "clock", status: "ok", detail: `system time ${now.toISOString()}` }
      : {
          name: "clock",
          status: "fail",
          detail: `system time ${now.toISOString()} is implausible`,
          failClass: "config",
        },
  );

  const keyPath = loaded.resolve(config.pseudonymisation.key_file);
  try {
    const key = await loadPseudonymKey(keyPath, config.pseudonymisation.key_file);
    add(
      key.looseMode
        ? {
            name: "pseudonymisation key",
            status: "warn",
            detail: `${keyPath} is readable by group or others: chmod 600`,
          }
        : {
            name: "pseudonymisation key",
            status: "ok",
            detail: `${keyPath}, key id ${key.keyId}, mode 0600`,
          },
    );
  } catch (error) {
    add({
      name: "pseudonymisation key",
      status: "fail",
      detail: isPhinError(error) ? error.message : "unreadable",
      failClass: "config",
    });
  }

  const stateDir = loaded.resolve(config.state_dir);
  try {
    await ensurePrivateDir(stateDir);
    const probe = path.join(stateDir, `.doctor-${process.pid}`);
    await writeFile(probe, "", { mode: 0o600 });
    await rm(probe);
    add({ name: "state directory", status: "ok", detail: `${stateDir} is writable (mode 0700)` });
  } catch {
    add({
      name: "state directory",
      status: "fail",
      detail: `${stateDir} is not writable`,
      failClass: "config",
    });
  }

  for (const name of datasetOrder) {
    const file = config.datasets[name].mapping;
    try {
      await loadMapping(loaded.resolve(file), file);
      add({ name: `mapping ${name}`, status: "ok", detail: file });
    } catch (error) {
      add({
        name: `mapping ${name}`,
        status: "fail",
        detail: isPhinError(error) ? error.message : "unreadable",
        failClass: "config",
      });
    }
  }

  if (config.transport === undefined) {
    add({
      name: "transport",
      status: "warn",
      detail: "no transport section: validate works, submit does not",
    });
    return checks;
  }
  const t = config.transport;
  for (const [name, file] of [
    ["client key", t.client_key_file],
    ["token", t.token_file],
  ] as const) {
    const mode = await fileMode(loaded.resolve(file));
    if (mode === undefined)
      add({
        name: `${name} file`,
        status: "fail",
        detail: `${file} is missing`,
        failClass: "config",
      });
    else if ((mode & 0o077) !== 0)
      add({
        name: `${name} file`,
        status: "warn",
        detail: `${file} has mode 0${mode.toString(8)}: chmod 600`,
      });
    else add({ name: `${name} file`, status: "ok", detail: `${file}, mode 0${mode.toString(8)}` });
  }
  for (const [name, file] of [
    ["client certificate", t.client_cert_file],
    ["CA certificate", t.ca_file],
  ] as const) {
    const pem = await readFile(loaded.resolve(file), "utf8").catch(() => undefined);
    add(
      pem === undefined
        ? { name, status: "fail", detail: `${file} is missing`, failClass: "config" }
        : certificateCheck(name, pem, now),
    );
  }
  try {
    await access(loaded.resolve(t.receipt_public_key_file), constants.R_OK);
    add({ name: "receipt public key", status: "ok", detail: t.receipt_public_key_file });
  } catch {
    add({
      name: "receipt public key",
      status: "fail",
      detail: `${t.receipt_public_key_file} is missing`,
      failClass: "config",
    });
  }

  // Reachability with our own credentials: a list call changes nothing.
  if (checks.some((c) => c.status === "fail")) return checks;
  try {
    const transport = await loadTransport(loaded, options.env);
    const client = new PhinApiClient(
      transport.secrets,
      { ...transport.timeouts, responseMs: 10_000, requestMs: 15_000 },
      `phin-submit/${options.toolVersion}`,
    );
    try {
      const response = await client.list(config.provider_code, "2000-01");
      add(
        response.status === 200
          ? {
              name: "PHIN reachable",
              status: "ok",
              detail: `${t.url} answered with our certificate and token`,
            }
          : {
              name: "PHIN reachable",
              status: "fail",
              detail: `${t.url} answered HTTP ${response.status}`,
              failClass: "trust",
            },
      );
    } finally {
      client.close();
    }
  } catch (error) {
    const trust = isPhinError(error) && error.errorClass === "trust";
    add({
      name: "PHIN reachable",
      status: "fail",
      detail: isPhinError(error)
        ? error.message
        : error instanceof Error
          ? error.message.replace(/Bearer \S+/g, "Bearer [redacted]")
          : "failed",
      failClass: trust ? "trust" : "transient",
    });
  }
  return checks;
}

// Reads the transport section's secrets (client key, token, CA, receipt key) from their files
// and refuses to run with TLS verification switched off. Secrets stay in memory only.
import { readFile } from "node:fs/promises";
import type { TransportConfig } from "../config/config-schema.ts";
import type { LoadedConfig } from "../config/load-config.ts";
import { PhinError } from "../errors.ts";
import type { ClientSecrets, ClientTimeouts } from "./phin-api-client.ts";
import type { RetryPolicy } from "./retry-policy.ts";

export interface TransportSetup {
  readonly secrets: ClientSecrets;
  readonly timeouts: ClientTimeouts;
  readonly receiptPublicKey: string;
  /** The deadline starts when sending starts (startRetryPolicy). */
  readonly retry: TransportConfig["retry"];
}

/** The retry policy for one run: its deadline starts now. */
export function startRetryPolicy(transport: TransportSetup): RetryPolicy {
  const { deadline_ms, ...retry } = transport.retry;
  return { ...retry, deadline: Date.now() + deadline_ms };
}

export async function loadTransport(
  loaded: LoadedConfig,
  env: Readonly<Record<string, string | undefined>>,
): Promise<TransportSetup> {
  // Checked before anything is read or sent: a process told to trust any certificate must not run.
  if (env.NODE_TLS_REJECT_UNAUTHORIZED === "0") {
    const message =
      "NODE_TLS_REJECT_UNAUTHORIZED=0 disables certificate checks; phin-submit refuses to run";
    throw new PhinError("TLS_REFUSED", message, {
      stage: "transmit",
      hint: "unset NODE_TLS_REJECT_UNAUTHORIZED; to trust a private CA set transport.ca_file",
    });
  }
  const t = loaded.config.transport;
  if (t === undefined) {
    const message = "the configuration has no transport section, which submitting needs";
    throw new PhinError("CONFIG_INVALID", message, {
      stage: "config",
      field: "transport",
      hint: "run `phin-submit sandbox` to get a transport section for the local sandbox, or ask PHIN for yours",
    });
  }
  const secret = async (field: keyof TransportConfig, file: string) => {
    try {
      const text = (await readFile(loaded.resolve(file), "utf8")).trim();
      if (text === "") throw new Error("empty");
      return text;
    } catch (cause) {
      throw new PhinError("SECRET_MISSING", `cannot read transport.${field} (${file})`, {
        stage: "config",
        file,
        field: `transport.${field}`,
        cause,
        hint: "check the path and the file's permissions",
      });
    }
  };
  const [clientCert, clientKey, ca, token, receiptPublicKey] = await Promise.all([
    secret("client_cert_file", t.client_cert_file),
    secret("client_key_file", t.client_key_file),
    secret("ca_file", t.ca_file),
    secret("token_file", t.token_file),
    secret("receipt_public_key_file", t.receipt_public_key_file),
  ]);
  return {
    secrets: {
      url: t.url,
      clientCert,
      clientKey,
      ca,
      token,
      serverSpkiSha256: t.server_spki_sha256,
    },
    timeouts: t.timeouts,
    receiptPublicKey,
    retry: t.retry,
  };
}

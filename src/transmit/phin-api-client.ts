// HTTPS client for the PHIN submission API (docs/api.md): mutual TLS pinned to the configured CA,
// bearer token, TLS 1.2 minimum, timeouts per phase, got's own retry off (retry-policy.ts owns
// retries). Every failure becomes either a TransientFailure or a PhinError whose message names
// the step and status, never a header, the token or a body.
import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import https from "node:https";
import { checkServerIdentity, type PeerCertificate } from "node:tls";
import got, { type Got, RequestError, type Response } from "got";
import type { TransportConfig } from "../config/config-schema.ts";
import { PhinError } from "../errors.ts";
import { toolVersion } from "../version.ts";
import { announceWait, type OnWait, parseRetryAfter, TransientFailure } from "./retry-policy.ts";

export interface ClientSecrets {
  readonly url: string;
  readonly clientCert: string;
  readonly clientKey: string;
  readonly ca: string;
  readonly token: string;
  /** Optional SPKI pin (base64 SHA-256 of the server's public key). */
  readonly serverSpkiSha256?: string | undefined;
}

/** Per phase, as configured (transport.timeouts). */
export type ClientTimeouts = TransportConfig["timeouts"];

export interface ApiResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const retryableStatus = new Set([408, 425, 429, 500, 502, 503, 504]);

/** An HTTP answer worth another attempt: among 409s only IN_PROGRESS (the others are final). */
export function isRetryableAnswer(status: number, code: unknown): boolean {
  return retryableStatus.has(status) || (status === 409 && code === "IN_PROGRESS");
}

/** TLS and certificate failures: never retried, never sent a byte (docs/api.md). */
function isTlsFailure(code: string | undefined, message: string): boolean {
  if (code === undefined) return /certificate|SSL|TLS/i.test(message);
  return (
    code.startsWith("ERR_SSL") ||
    code.startsWith("ERR_TLS") ||
    code === "EPROTO" ||
    code.includes("CERT") ||
    code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE" ||
    code === "ERR_PHIN_SPKI_PIN"
  );
}

/** A request that got no answer: refused TLS is final, anything else worth another attempt. */
function noAnswer(step: string, error: unknown): PhinError | TransientFailure {
  // Re-wrapped: got's errors carry the request options, headers and token included.
  const code = error instanceof RequestError ? error.code : (error as NodeJS.ErrnoException).code;
  if (!isTlsFailure(code, error instanceof Error ? error.message : "")) {
    return new TransientFailure(`${step}: ${code ?? "connection failed"}`);
  }
  const message = `${step}: the TLS connection to PHIN was refused (${code ?? "TLS error"})`;
  return new PhinError("TLS_REFUSED", message, {
    stage: "transmit",
    hint: "check transport.ca_file, the client certificate and key, and that the URL is PHIN's",
  });
}

/** An answer as the caller sees it; statuses worth retrying and refused credentials throw. */
function classify(step: string, response: Response<string>): ApiResponse {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = response.body === "" ? {} : JSON.parse(response.body);
    if (parsed !== null && typeof parsed === "object") body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: the status alone decides.
  }
  const status = response.statusCode;
  if (status < 400) return { status, body };
  const problem = typeof body.code === "string" ? ` ${body.code}` : "";
  if (isRetryableAnswer(status, body.code)) {
    const retryAfter = parseRetryAfter(response.headers["retry-after"], Date.now());
    throw new TransientFailure(`${step}: HTTP ${status}${problem}`, retryAfter);
  }
  if (status === 401 || status === 403) {
    const message = `${step}: PHIN refused our credentials (HTTP ${status}${problem})`;
    throw new PhinError("AUTH_REFUSED", message, {
      stage: "transmit",
      hint: "check transport.token_file and the client certificate; they are not retried",
    });
  }
  return { status, body };
}

/** Fails the handshake when the server's public key is not the pinned one. */
function pinnedIdentity(pin: string) {
  return (host: string, cert: PeerCertificate) => {
    const standard = checkServerIdentity(host, cert);
    if (standard) return standard;
    const spki = createHash("sha256")
      .update(cert.pubkey ?? Buffer.alloc(0))
      .digest("base64");
    if (spki === pin) return undefined;
    return Object.assign(new Error("server public key does not match the configured pin"), {
      code: "ERR_PHIN_SPKI_PIN",
    });
  };
}

const submission = (id: string) => `/v1/submissions/${encodeURIComponent(id)}`;

export class PhinApiClient {
  readonly #got: Got;
  readonly #agent: https.Agent;
  readonly #timeouts: ClientTimeouts;
  readonly #onWait: OnWait | undefined;

  /** `onWait` hears of a request still unanswered after 2 s. */
  constructor(secrets: ClientSecrets, timeouts: ClientTimeouts, onWait?: OnWait | undefined) {
    this.#timeouts = timeouts;
    this.#onWait = onWait;
    if (!secrets.url.startsWith("https://")) {
      throw new PhinError("CONFIG_INVALID", "transport.url must be an https:// URL", {
        stage: "config",
        field: "transport.url",
      });
    }
    const pin = secrets.serverSpkiSha256;
    this.#agent = new https.Agent({ keepAlive: true, maxSockets: 4 });
    this.#got = got.extend({
      prefixUrl: secrets.url.replace(/\/+$/, ""),
      agent: { https: this.#agent },
      https: {
        certificate: secrets.clientCert,
        key: secrets.clientKey,
        certificateAuthority: secrets.ca,
        minVersion: "TLSv1.2",
        rejectUnauthorized: true,
        ...(pin === undefined ? {} : { checkServerIdentity: pinnedIdentity(pin) }),
      },
      timeout: {
        connect: timeouts.connect_ms,
        secureConnect: timeouts.tls_ms,
        response: timeouts.response_ms,
        request: timeouts.request_ms,
      },
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      responseType: "text",
      headers: {
        "user-agent": `phin-submit/${toolVersion}`,
        authorization: `Bearer ${secrets.token}`,
        accept: "application/json",
      },
    });
  }

  close(): void {
    this.#agent.destroy();
  }

  /** One HTTP exchange, classified. A streamed `body` is opened afresh for each attempt. */
  async #request(
    step: string,
    method: "GET" | "POST" | "PUT",
    path: string,
    options: {
      attempt: number;
      body?: Buffer | (() => NodeJS.ReadableStream);
      headers?: Record<string, string>;
    },
  ): Promise<ApiResponse> {
    // A request still unanswered after 2 s is announced with the longest it may take: an upload
    // has the whole request timeout, anything else answers within connect + TLS + response.
    const { attempt, body, headers } = options;
    const t = this.#timeouts;
    const limitMs =
      typeof body === "function"
        ? t.request_ms
        : Math.min(t.request_ms, t.connect_ms + t.tls_ms + t.response_ms);
    const wait = { what: `PHIN to answer ${step}`, attempt, seconds: limitMs / 1000 };
    const waiting = setTimeout(() => announceWait(this.#onWait, wait), 2_000);
    let response: Response<string>;
    try {
      const sent = typeof body === "function" ? body() : body;
      response = await this.#got(path.replace(/^\//, ""), {
        method,
        headers: { "x-request-id": randomUUID(), ...headers },
        ...(sent === undefined ? {} : { body: sent as Buffer }),
      });
    } catch (error) {
      throw noAnswer(step, error);
    } finally {
      clearTimeout(waiting);
    }
    return classify(step, response);
  }

  open(manifestBytes: Buffer, idempotencyKey: string, attempt = 1): Promise<ApiResponse> {
    return this.#request("open submission", "POST", "/v1/submissions", {
      attempt,
      body: manifestBytes,
      headers: { "idempotency-key": idempotencyKey, "content-type": "application/json" },
    });
  }

  upload(id: string, name: string, file: string, sha256Hex: string, attempt = 1) {
    const digest = Buffer.from(sha256Hex, "hex").toString("base64");
    const where = `${submission(id)}/files/${encodeURIComponent(name)}`;
    return this.#request(`upload ${name}`, "PUT", where, {
      attempt,
      body: () => createReadStream(file),
      headers: {
        "content-digest": `sha-256=:${digest}:`,
        "content-type": "application/octet-stream",
        "idempotency-key": id,
      },
    });
  }

  commit(id: string, attempt = 1): Promise<ApiResponse> {
    return this.#request("commit", "POST", `${submission(id)}/commit`, {
      attempt,
      headers: { "idempotency-key": id },
    });
  }

  status(id: string, attempt = 1): Promise<ApiResponse> {
    return this.#request("status", "GET", submission(id), { attempt });
  }

  /** PHIN's submissions for a provider, of one period or (without one) of every period. */
  list(provider: string, period?: string, attempt = 1): Promise<ApiResponse> {
    const query = new URLSearchParams({ provider, ...(period === undefined ? {} : { period }) });
    return this.#request("list", "GET", `/v1/submissions?${query}`, { attempt });
  }
}

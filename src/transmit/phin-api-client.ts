// HTTPS client for the PHIN submission API (docs/api.md): mutual TLS pinned to the configured CA,
// bearer token, TLS 1.2 minimum, timeouts per phase, got's own retry off (retry-policy.ts owns
// retries). Every failure becomes either a TransientFailure or a PhinError whose message names
// the step and status, never a header, the token or a body.
import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import https from "node:https";
import type { PeerCertificate } from "node:tls";
import { checkServerIdentity } from "node:tls";
import got, { type Got, RequestError } from "got";
import { PhinError } from "../errors.ts";
import { announceWait, parseRetryAfter, TransientFailure } from "./retry-policy.ts";

export interface ClientSecrets {
  readonly url: string;
  readonly clientCert: string;
  readonly clientKey: string;
  readonly ca: string;
  readonly token: string;
  /** Optional SPKI pin (base64 SHA-256 of the server's public key). */
  readonly serverSpkiSha256?: string | undefined;
}

export interface ClientTimeouts {
  readonly connectMs: number;
  readonly tlsMs: number;
  readonly responseMs: number;
  readonly requestMs: number;
}

export interface ApiResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const retryableStatus = new Set([408, 425, 429, 500, 502, 503, 504]);
const transientCodes = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "ECONNABORTED",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
]);

/** TLS and certificate failures: never retried, never sent a byte (docs/api.md). */
function isTlsFailure(code: string | undefined, message: string): boolean {
  if (code === undefined) return /certificate|SSL|TLS/i.test(message);
  return (
    code.startsWith("ERR_SSL") ||
    code.startsWith("ERR_TLS") ||
    code === "EPROTO" ||
    code.includes("CERT") ||
    code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE" ||
    code === "UNABLE_TO_GET_ISSUER_CERT_LOCALLY" ||
    code === "ERR_PHIN_SPKI_PIN"
  );
}

function problemCode(body: Record<string, unknown>): string {
  return typeof body.code === "string" ? body.code : "";
}

export class PhinApiClient {
  readonly #got: Got;
  readonly #agent: https.Agent;
  readonly #timeouts: ClientTimeouts;

  constructor(secrets: ClientSecrets, timeouts: ClientTimeouts, userAgent: string) {
    this.#timeouts = timeouts;
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
        ...(pin === undefined
          ? {}
          : {
              checkServerIdentity: (host: string, cert: PeerCertificate) => {
                const standard = checkServerIdentity(host, cert);
                if (standard) return standard;
                const spki = createHash("sha256")
                  .update(cert.pubkey ?? Buffer.alloc(0))
                  .digest("base64");
                if (spki === pin) return undefined;
                return Object.assign(
                  new Error("server public key does not match the configured pin"),
                  { code: "ERR_PHIN_SPKI_PIN" },
                );
              },
            }),
      },
      timeout: {
        connect: timeouts.connectMs,
        secureConnect: timeouts.tlsMs,
        response: timeouts.responseMs,
        request: timeouts.requestMs,
      },
      retry: { limit: 0 },
      throwHttpErrors: false,
      followRedirect: false,
      responseType: "text",
      headers: {
        "user-agent": userAgent,
        authorization: `Bearer ${secrets.token}`,
        accept: "application/json",
      },
    });
  }

  close(): void {
    this.#agent.destroy();
  }

  /** One HTTP exchange, classified. `body` is rebuilt per attempt by the caller. */
  async #request(
    step: string,
    method: "GET" | "POST" | "PUT",
    path: string,
    options: {
      json?: unknown;
      body?: Buffer | (() => NodeJS.ReadableStream);
      headers?: Record<string, string>;
    } = {},
  ): Promise<ApiResponse> {
    let response: {
      statusCode: number;
      body: string;
      headers: Record<string, string | string[] | undefined>;
    };
    // A request still unanswered after 2 s is announced with the longest it may take.
    const t = this.#timeouts;
    const limitMs =
      typeof options.body === "function"
        ? t.requestMs
        : Math.min(t.requestMs, t.connectMs + t.tlsMs + t.responseMs);
    const waiting = setTimeout(() => announceWait(`PHIN to answer ${step}`, limitMs / 1000), 2_000);
    try {
      const body = typeof options.body === "function" ? options.body() : options.body;
      response = await this.#got(path.replace(/^\//, ""), {
        method,
        headers: { "x-request-id": randomUUID(), ...(options.headers ?? {}) },
        ...(options.json === undefined ? {} : { json: options.json }),
        ...(body === undefined ? {} : { body: body as Buffer }),
      });
    } catch (error) {
      // Re-wrapped: got's errors carry the request options, headers and token included.
      const code =
        error instanceof RequestError ? error.code : (error as NodeJS.ErrnoException).code;
      const message = error instanceof Error ? error.message : "";
      if (isTlsFailure(code, message)) {
        throw new PhinError(
          "TLS_REFUSED",
          `${step}: the TLS connection to PHIN was refused (${code ?? "TLS error"})`,
          {
            stage: "transmit",
            hint: "check transport.ca_file, the client certificate and key, and that the URL is PHIN's",
          },
        );
      }
      if (code !== undefined && (transientCodes.has(code) || code.startsWith("ERR_GOT"))) {
        throw new TransientFailure(`${step}: ${code}`);
      }
      throw new TransientFailure(`${step}: connection failed (${code ?? "unknown error"})`);
    } finally {
      clearTimeout(waiting);
    }
    let parsed: Record<string, unknown> = {};
    try {
      parsed = response.body === "" ? {} : (JSON.parse(response.body) as Record<string, unknown>);
    } catch {
      parsed = {};
    }
    const status = response.statusCode;
    if (status < 400) return { status, body: parsed };
    const code = problemCode(parsed);
    const retryAfterHeader = response.headers["retry-after"];
    const retryAfter = parseRetryAfter(
      Array.isArray(retryAfterHeader) ? retryAfterHeader[0] : retryAfterHeader,
      Date.now(),
    );
    if (retryableStatus.has(status) || (status === 409 && code === "IN_PROGRESS")) {
      throw new TransientFailure(`${step}: HTTP ${status}${code ? ` ${code}` : ""}`, retryAfter);
    }
    if (status === 401 || status === 403) {
      throw new PhinError(
        "AUTH_REFUSED",
        `${step}: PHIN refused our credentials (HTTP ${status}${code ? ` ${code}` : ""})`,
        {
          stage: "transmit",
          hint: "check transport.token_file and the client certificate; they are not retried",
        },
      );
    }
    return { status, body: parsed };
  }

  async open(manifestBytes: Buffer, idempotencyKey: string): Promise<ApiResponse> {
    return this.#request("open submission", "POST", "/v1/submissions", {
      body: manifestBytes,
      headers: { "idempotency-key": idempotencyKey, "content-type": "application/json" },
    });
  }

  async upload(
    submissionId: string,
    name: string,
    file: string,
    sha256Hex: string,
  ): Promise<ApiResponse> {
    const digest = Buffer.from(sha256Hex, "hex").toString("base64");
    return this.#request(
      `upload ${name}`,
      "PUT",
      `/v1/submissions/${encodeURIComponent(submissionId)}/files/${encodeURIComponent(name)}`,
      {
        body: () => createReadStream(file),
        headers: {
          "content-digest": `sha-256=:${digest}:`,
          "content-type": "application/octet-stream",
          "idempotency-key": submissionId,
        },
      },
    );
  }

  async commit(submissionId: string): Promise<ApiResponse> {
    return this.#request(
      "commit",
      "POST",
      `/v1/submissions/${encodeURIComponent(submissionId)}/commit`,
      {
        headers: { "idempotency-key": submissionId },
      },
    );
  }

  async status(submissionId: string): Promise<ApiResponse> {
    return this.#request("status", "GET", `/v1/submissions/${encodeURIComponent(submissionId)}`);
  }

  async list(provider: string, period: string): Promise<ApiResponse> {
    return this.#request(
      "list",
      "GET",
      `/v1/submissions?provider=${encodeURIComponent(provider)}&period=${encodeURIComponent(period)}`,
    );
  }
}

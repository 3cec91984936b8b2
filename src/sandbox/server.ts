// The PHIN sandbox (api.md): a real HTTPS server on loopback with mutual TLS, bearer token,
// idempotent open/upload/commit, signed receipts, simulated processing and scripted faults.
// startSandbox() runs it in-process for tests; `phin-submit sandbox` runs it for people.
import { createHash, randomUUID } from "node:crypto";
import { open } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { SecureVersion } from "node:tls";
import { createGunzip } from "node:zlib";
import { z } from "zod";
import { type SignedReceipt, signReceipt } from "../receipt/receipt.ts";
import {
  $FaultScript,
  type FaultAction,
  FaultQueue,
  type FaultRule,
  type Route,
  routes,
} from "./faults.ts";
import { loadOrCreateMaterial, type SandboxMaterial } from "./pki.ts";
import { SandboxStore, type SubmissionMeta } from "./store.ts";
import { validateSubmission } from "./validate-submission.ts";

export interface SandboxOptions {
  readonly dataDir: string;
  /** Loopback only; 0 picks a free port. */
  readonly port?: number;
  /** Use this material instead of the data dir's (tests with wrong CAs and the like). */
  readonly material?: SandboxMaterial;
  /** Delay before a committed submission is validated (ms, default 200). */
  readonly processingDelayMs?: number;
  readonly faults?: readonly FaultRule[];
  /** Largest file accepted (bytes, default 2 GiB). */
  readonly maxFileBytes?: number;
  readonly minTlsVersion?: SecureVersion;
  readonly maxTlsVersion?: SecureVersion;
  /** Provider codes this client may submit for (default: any). */
  readonly providers?: readonly string[];
}

export interface Sandbox {
  readonly url: string;
  readonly port: number;
  readonly material: SandboxMaterial;
  /** Requests that arrived, per route (counted before any fault), and in total. */
  readonly counters: Record<Route | "total", number>;
  readonly faults: FaultQueue;
  readonly store: SandboxStore;
  /** Arrival times (epoch ms) per route, for backoff assertions. */
  readonly arrivals: Record<Route, number[]>;
  close(): Promise<void>;
}

const $Manifest = z.object({
  submission_id: z.string().min(1),
  provider_code: z.string().min(1),
  period: z.string().regex(/^\d{4}-\d{2}$/),
  schema_version: z.number().int(),
  format: z.string().default("csv"),
  files: z
    .array(
      z.object({
        name: z.string().regex(/^[\w.-]+$/),
        bytes: z.number().int().nonnegative(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        records: z.number().int(),
      }),
    )
    .min(1),
  supersedes: z.string().nullable().default(null),
  reason: z.string().nullable().default(null),
});

function problem(
  res: ServerResponse,
  status: number,
  code: string,
  title: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { "content-type": "application/problem+json", ...headers });
  res.end(
    JSON.stringify({
      type: `https://phin.example/problems/${code.toLowerCase()}`,
      title,
      status,
      code,
      ...extra,
    }),
  );
}

function json(res: ServerResponse, status: number, body: unknown | Buffer) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(Buffer.isBuffer(body) ? body : JSON.stringify(body));
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function flipByte(file: string): Promise<void> {
  const handle = await open(file, "r+");
  try {
    const one = Buffer.alloc(1);
    await handle.read(one, 0, 1, 0);
    one[0] = (one[0] ?? 0) ^ 0x01;
    await handle.write(one, 0, 1, 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const material = options.material ?? (await loadOrCreateMaterial(options.dataDir)).material;
  const store = new SandboxStore(options.dataDir);
  await store.load();
  const faults = new FaultQueue();
  faults.add(...(options.faults ?? []));
  const counters = Object.fromEntries([...routes, "total"].map((r) => [r, 0])) as Record<
    Route | "total",
    number
  >;
  const arrivals = Object.fromEntries(routes.map((r) => [r, [] as number[]])) as Record<
    Route,
    number[]
  >;
  const delay = options.processingDelayMs ?? 200;
  const maxFileBytes = options.maxFileBytes ?? 2 * 1024 ** 3;
  const inProgress = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>(); // processing under way: close() waits for it

  const processSubmission = async (meta: SubmissionMeta) => {
    meta.state = "validating";
    await store.save(meta);
    const feedback = await validateSubmission(meta, (name) =>
      store.filePath(meta.submission_id, name),
    );
    meta.state = feedback.length === 0 ? "accepted" : "rejected";
    meta.feedback = feedback;
    await store.save(meta);
  };
  const scheduleProcessing = (meta: SubmissionMeta) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      const work = processSubmission(meta).finally(() => running.delete(work));
      running.add(work);
    }, delay);
    timers.add(timer);
  };
  for (const meta of store.all())
    if (meta.state === "received" || meta.state === "validating") scheduleProcessing(meta);

  const missingFiles = async (meta: SubmissionMeta) => {
    const missing: string[] = [];
    for (const f of meta.files)
      if (!(await store.hasFile(meta.submission_id, f.name))) missing.push(f.name);
    return missing;
  };

  const view = async (meta: SubmissionMeta) => {
    const receipt = await store.receipt(meta.submission_id);
    return {
      submission_id: meta.submission_id,
      state: meta.state,
      missing_files: meta.state === "open" ? await missingFiles(meta) : [],
      feedback: meta.feedback,
      receipt: receipt === undefined ? null : (JSON.parse(receipt.toString("utf8")) as unknown),
    };
  };

  /** Apply a receipt fault to what is sent (the stored receipt stays true). */
  const tamper = (receipt: Buffer, fault: FaultAction | undefined): Buffer => {
    if (fault?.kind === "bad_signature") {
      const signed = JSON.parse(receipt.toString("utf8")) as SignedReceipt;
      const sig = Buffer.from(signed.signature, "base64");
      sig[0] = (sig[0] ?? 0) ^ 0xff;
      return Buffer.from(JSON.stringify({ ...signed, signature: sig.toString("base64") }));
    }
    if (fault?.kind === "wrong_digest") {
      const signed = JSON.parse(receipt.toString("utf8")) as SignedReceipt;
      const [first, ...rest] = signed.receipt.files;
      const files = first === undefined ? [] : [{ ...first, sha256: "0".repeat(64) }, ...rest];
      return Buffer.from(
        JSON.stringify(
          signReceipt(
            { ...signed.receipt, files },
            material.receiptPrivateKey,
            material.receiptPublicKey,
          ),
        ),
      );
    }
    return receipt;
  };

  /**
   * Loopback-only admin endpoint for people driving the CLI sandbox by hand: read the request
   * counters, add fault rules. Needs the bearer token; never counted as API traffic.
   */
  const admin = async (req: IncomingMessage, res: ServerResponse, what: string | undefined) => {
    const remote = req.socket.remoteAddress ?? "";
    if (!["127.0.0.1", "::1", "::ffff:127.0.0.1"].includes(remote))
      return problem(res, 403, "FORBIDDEN", "admin is loopback only");
    if (req.headers.authorization !== `Bearer ${material.token}`)
      return problem(res, 401, "UNAUTHORIZED", "a valid bearer token is required");
    if (req.method === "GET" && what === "counters")
      return json(res, 200, { counters, fired: faults.fired });
    if (req.method === "POST" && what === "faults") {
      const body = await readBody(req, 64 * 1024);
      const parsed = $FaultScript.safeParse(
        body === undefined ? null : JSON.parse(body.toString("utf8") || "null"),
      );
      if (!parsed.success)
        return problem(
          res,
          400,
          "BAD_FAULTS",
          "the body is not a fault script (see src/sandbox/faults.ts)",
        );
      faults.add(...parsed.data);
      return json(res, 200, { added: parsed.data.length });
    }
    return problem(res, 404, "NOT_FOUND", "no such admin endpoint");
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "https://sandbox.invalid");
    const segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    let route: Route | undefined;
    if (req.method === "POST" && segments.length === 2 && segments[1] === "submissions")
      route = "open";
    else if (req.method === "GET" && segments.length === 2 && segments[1] === "submissions")
      route = "list";
    else if (req.method === "PUT" && segments.length === 5 && segments[3] === "files")
      route = "upload";
    else if (req.method === "POST" && segments.length === 4 && segments[3] === "commit")
      route = "commit";
    else if (req.method === "GET" && segments.length === 3) route = "status";
    if (segments[0] === "_admin") return admin(req, res, segments[1]);
    if (segments[0] !== "v1" || route === undefined)
      return problem(res, 404, "NOT_FOUND", "no such endpoint");
    counters[route]++;
    counters.total++;
    arrivals[route].push(Date.now());

    if (req.headers.authorization !== `Bearer ${material.token}`) {
      req.resume();
      return problem(res, 401, "UNAUTHORIZED", "a valid bearer token is required");
    }
    const fault = faults.take(route);
    if (fault?.kind === "status") {
      req.resume();
      return problem(
        res,
        fault.status,
        fault.code ?? "INJECTED",
        "injected fault",
        {},
        fault.retry_after ? { "retry-after": fault.retry_after } : {},
      );
    }
    if (fault?.kind === "delay") await sleep(fault.ms);
    if (fault?.kind === "reset") {
      // Take part of the body, then drop the connection without a reply.
      req.once("data", () => req.socket.destroy());
      if (req.readableEnded || route === "status" || route === "list" || route === "commit")
        req.socket.destroy();
      return;
    }
    const reply = fault?.kind === "drop_after" ? () => req.socket.destroy() : undefined;

    if (route === "open") {
      const key = req.headers["idempotency-key"];
      const body = await readBody(req, 1024 * 1024);
      if (body === undefined) return problem(res, 413, "TOO_LARGE", "manifest too large");
      if (typeof key !== "string" || key === "")
        return problem(res, 400, "KEY_MISSING", "Idempotency-Key is required");
      let parsed: z.infer<typeof $Manifest>;
      try {
        parsed = $Manifest.parse(JSON.parse(body.toString("utf8")));
      } catch {
        return problem(res, 400, "BAD_MANIFEST", "the body is not a valid manifest");
      }
      if (parsed.submission_id !== key)
        return problem(
          res,
          400,
          "KEY_MISMATCH",
          "Idempotency-Key must be the manifest's submission_id",
        );
      if (options.providers && !options.providers.includes(parsed.provider_code)) {
        return problem(res, 403, "FORBIDDEN", "this client may not submit for that provider");
      }
      if (inProgress.has(key))
        return problem(
          res,
          409,
          "IN_PROGRESS",
          "a request with this key is being processed",
          {},
          { "retry-after": "1" },
        );
      inProgress.add(key);
      try {
        const sha = createHash("sha256").update(body).digest("hex");
        const existing = store.get(key);
        if (existing !== undefined) {
          if (existing.manifest_sha256 !== sha)
            return problem(res, 422, "KEY_REUSED", "this key was used with a different manifest");
          const state = await view(existing);
          if (reply) return reply();
          return json(res, 200, state);
        }
        const samePeriod = store
          .all()
          .filter((m) => m.provider_code === parsed.provider_code && m.period === parsed.period);
        if (parsed.supersedes !== null) {
          if (
            !samePeriod.some((m) => m.submission_id === parsed.supersedes && m.state === "accepted")
          ) {
            return problem(
              res,
              409,
              "SUPERSEDES_UNKNOWN",
              "supersedes names no accepted submission of this provider and period",
            );
          }
        } else if (samePeriod.some((m) => m.state !== "open" && m.state !== "rejected")) {
          return problem(
            res,
            409,
            "ALREADY_SUBMITTED",
            "this period already has a submission; send a resubmission with supersedes",
          );
        }
        const meta: SubmissionMeta = {
          submission_id: key,
          provider_code: parsed.provider_code,
          period: parsed.period,
          manifest_sha256: sha,
          supersedes: parsed.supersedes,
          files: parsed.files,
          format: parsed.format,
          schema_version: parsed.schema_version,
          state: "open",
          created_at: new Date().toISOString(),
          committed_at: null,
          feedback: null,
        };
        await store.create(meta, body);
        if (reply) return reply();
        return json(res, 201, {
          submission_id: key,
          state: "open",
          missing_files: parsed.files.map((f) => f.name),
        });
      } finally {
        inProgress.delete(key);
      }
    }

    const id = segments[2] as string;
    const meta = store.get(id);
    if (route === "list") {
      const provider = url.searchParams.get("provider");
      const period = url.searchParams.get("period");
      const matching = store
        .all()
        .filter(
          (m) => (!provider || m.provider_code === provider) && (!period || m.period === period),
        );
      return json(res, 200, {
        submissions: matching.map((m) => ({
          submission_id: m.submission_id,
          state: m.state,
          supersedes: m.supersedes,
          created_at: m.created_at,
        })),
      });
    }
    if (meta === undefined) {
      req.resume();
      return problem(res, 404, "UNKNOWN_SUBMISSION", "no such submission");
    }
    if (route === "status") return json(res, 200, await view(meta));

    if (route === "upload") {
      const name = segments[4] as string;
      const file = meta.files.find((f) => f.name === name);
      if (file === undefined) {
        req.resume();
        return problem(res, 404, "UNKNOWN_FILE", "the manifest has no such file");
      }
      const digest = /^sha-256=:([A-Za-z0-9+/=]+):$/.exec(
        String(req.headers["content-digest"] ?? ""),
      )?.[1];
      const expectedB64 = Buffer.from(file.sha256, "hex").toString("base64");
      if (digest !== expectedB64) {
        req.resume();
        return problem(
          res,
          422,
          "DIGEST_MISMATCH",
          "Content-Digest is missing or differs from the manifest",
        );
      }
      if (Number(req.headers["content-length"] ?? 0) > maxFileBytes) {
        req.resume();
        return problem(res, 413, "TOO_LARGE", "the file is above the size limit");
      }
      if (await store.hasFile(id, name)) {
        req.resume();
        if (reply) return reply();
        return json(res, 200, { name, stored: true });
      }
      if (meta.state !== "open") {
        req.resume();
        return problem(res, 409, "ALREADY_COMMITTED", "the submission is committed");
      }
      const body = req.headers["content-encoding"] === "gzip" ? req.pipe(createGunzip()) : req;
      const stored = await store.storeFile(id, name, body, file, maxFileBytes);
      if (stored.tooLarge)
        return problem(res, 413, "TOO_LARGE", "the file is above the size limit");
      if (!stored.ok)
        return problem(
          res,
          422,
          "DIGEST_MISMATCH",
          "the bytes do not match the digest and size in the manifest",
        );
      if (fault?.kind === "flip_byte") await flipByte(store.filePath(id, name));
      if (reply) return reply();
      return json(res, 201, { name, stored: true });
    }

    // commit
    req.resume();
    const existing = await store.receipt(id);
    if (existing !== undefined) {
      if (reply) return reply();
      return json(res, 200, tamper(existing, fault));
    }
    const missing = await missingFiles(meta);
    if (missing.length > 0)
      return problem(res, 409, "FILES_MISSING", "files are missing", { missing_files: missing });
    const signed = signReceipt(
      {
        receipt_id: `rcpt-${randomUUID()}`,
        submission_id: id,
        provider_code: meta.provider_code,
        period: meta.period,
        schema_version: meta.schema_version,
        manifest_sha256: meta.manifest_sha256,
        files: meta.files.map((f) => ({
          name: f.name,
          bytes: f.bytes,
          sha256: f.sha256,
          records: f.records,
        })),
        supersedes: meta.supersedes,
        received_at: new Date().toISOString(),
      },
      material.receiptPrivateKey,
      material.receiptPublicKey,
    );
    const bytes = Buffer.from(JSON.stringify(signed));
    await store.saveReceipt(id, bytes);
    meta.state = "received";
    meta.committed_at = new Date().toISOString();
    await store.save(meta);
    scheduleProcessing(meta);
    if (reply) return reply();
    return json(res, 201, tamper(bytes, fault));
  };

  const server: Server = createServer(
    {
      cert: material.serverCert,
      key: material.serverKey,
      ca: material.caCert,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: options.minTlsVersion ?? "TLSv1.2",
      ...(options.maxTlsVersion ? { maxVersion: options.maxTlsVersion } : {}),
    },
    (req, res) => {
      handle(req, res).catch(() => {
        if (!res.headersSent) problem(res, 500, "INTERNAL", "sandbox error");
        else res.destroy();
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    material,
    counters,
    arrivals,
    faults,
    store,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      await Promise.allSettled(running);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

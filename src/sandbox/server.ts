// The PHIN sandbox: HTTPS on loopback with mutual TLS, bearer token, idempotent open/upload/commit,
// signed receipts, simulated processing and scripted faults. This module owns the route table,
// the checks before each handler (handlers.ts) and start-up; tests and the CLI both start it.
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { SecureVersion } from "node:tls";
import { PhinError } from "../errors.ts";
import { FaultQueue, type FaultRule, type Route, routes } from "./faults.ts";
import * as handlers from "./handlers.ts";
import { hasToken, json, problem, unauthorised } from "./http.ts";
import type { SandboxMaterial } from "./material-files.ts";
import { loadOrCreateMaterial } from "./pki.ts";
import { SandboxStore, type SubmissionMeta } from "./store.ts";
import { validateSubmission } from "./validate-submission.ts";

export interface SandboxOptions {
  readonly dataDir: string;
  /** Loopback only; 0 picks a free port. */
  readonly port?: number;
  /** Delay before a committed submission is validated (ms, default 200). */
  readonly processingDelayMs?: number;
  readonly faults?: readonly FaultRule[];
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

// "METHOD /path" with `:name` capturing a decoded segment; admin routes are never counted.
const table: readonly [pattern: string, route: Route | "admin", handler: handlers.Handler][] = [
  ["POST /v1/submissions", "open", handlers.openSubmission],
  ["GET /v1/submissions", "list", handlers.listSubmissions],
  ["GET /v1/submissions/:id", "status", handlers.showStatus],
  ["PUT /v1/submissions/:id/files/:name", "upload", handlers.uploadFile],
  ["POST /v1/submissions/:id/commit", "commit", handlers.commitSubmission],
  ["GET /_admin/counters", "admin", handlers.adminCounters],
  ["POST /_admin/faults", "admin", handlers.adminAddFaults],
];

function match(method: string, segments: readonly string[]) {
  for (const [pattern, route, handler] of table) {
    const [verb, ...parts] = pattern.split(/[ /]+/);
    if (verb !== method || parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const fits = parts.every((part, i) => {
      if (part.startsWith(":")) params[part.slice(1)] = segments[i] as string;
      return part.startsWith(":") || part === segments[i];
    });
    if (fits) return { route, handler, params };
  }
  return undefined;
}

async function dispatch(ctx: handlers.SandboxContext, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? "/", "https://sandbox.invalid");
  const segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const admin = segments[0] === "_admin";
  if (admin && !["127.0.0.1", "::1", "::ffff:127.0.0.1"].includes(req.socket.remoteAddress ?? ""))
    return problem(res, 403, "FORBIDDEN", "admin is loopback only");
  if (admin && !hasToken(req, ctx.material.token)) return unauthorised(res);
  const found = match(req.method ?? "", segments);
  if (found === undefined)
    return problem(res, 404, "NOT_FOUND", admin ? "no such admin endpoint" : "no such endpoint");
  const { route, handler, params } = found;
  const ok = (status: number, body: unknown) => json(res, status, body);
  if (route === "admin") return handler(ctx, { req, res, url, params, fault: undefined, ok });
  ctx.counters[route]++;
  ctx.counters.total++;
  ctx.arrivals[route].push(Date.now());
  if (!hasToken(req, ctx.material.token)) return unauthorised(res);
  const fault = ctx.faults.take(route);
  if (fault?.kind === "status") {
    const headers = fault.retry_after ? { "retry-after": fault.retry_after } : undefined;
    return problem(res, fault.status, fault.code ?? "INJECTED", "injected fault", {}, headers);
  }
  if (fault?.kind === "delay") await sleep(fault.ms);
  if (fault?.kind === "reset") {
    // Open and upload lose the connection once part of their body is in; the others at once.
    req.once("data", () => req.socket.destroy());
    if (req.readableEnded || (route !== "open" && route !== "upload")) req.socket.destroy();
    return;
  }
  // drop_after: the handler does all its work, then the connection closes instead of the reply.
  const send = fault?.kind === "drop_after" ? () => req.socket.destroy() : ok;
  return handler(ctx, { req, res, url, params, fault, ok: send });
}

/** A port that is taken or may not be bound is the user's choice to change, not a bug. */
function listenError(error: NodeJS.ErrnoException, port: number): unknown {
  if (error.code !== "EADDRINUSE" && error.code !== "EACCES") return error;
  const why = error.code === "EADDRINUSE" ? "is already in use" : "may not be bound by this user";
  return new PhinError("CONFIG_INVALID", `port ${port} on 127.0.0.1 ${why}`, {
    stage: "config",
    field: "--port",
    hint: "choose another port with --port, or --port 0 for any free one",
    cause: error,
  });
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const material = await loadOrCreateMaterial(options.dataDir);
  const store = new SandboxStore(options.dataDir);
  await store.load();
  const faults = new FaultQueue();
  faults.add(...(options.faults ?? []));
  const timers = new Set<NodeJS.Timeout>();
  /** Processing under way: close() waits for it, so no work outlives the server. */
  const running = new Set<Promise<void>>();
  const delay = options.processingDelayMs ?? 200;
  // PHIN's own processing, later: validate the committed files and record the verdict.
  const processSubmission = async (meta: SubmissionMeta) => {
    meta.state = "validating";
    await store.save(meta);
    const feedback = await validateSubmission(meta, store);
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
  const ctx: handlers.SandboxContext = {
    material,
    store,
    faults,
    counters: Object.fromEntries([...routes, "total"].map((r) => [r, 0])) as Sandbox["counters"],
    arrivals: Object.fromEntries(routes.map((r) => [r, [] as number[]])) as Sandbox["arrivals"],
    providers: options.providers,
    inProgress: new Set(),
    scheduleProcessing,
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
      dispatch(ctx, req, res).catch(() => {
        if (!res.headersSent) problem(res, 500, "INTERNAL", "sandbox error");
        else res.destroy();
      });
    },
  );
  const port = options.port ?? 0;
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) => reject(listenError(error, port)));
    server.listen(port, "127.0.0.1", () => resolve());
  });
  // Submissions a previous run left committed but unprocessed are processed now.
  for (const meta of store.all())
    if (meta.state === "received" || meta.state === "validating") scheduleProcessing(meta);
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${bound}`,
    port: bound,
    material,
    counters: ctx.counters,
    arrivals: ctx.arrivals,
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

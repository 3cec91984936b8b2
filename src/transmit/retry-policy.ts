// The one layer that retries (docs/api.md, "Retry policy"): p-retry around a single request, with
// exponential backoff and jitter, Retry-After honoured up to a cap, an attempt budget and an
// overall deadline. Anything not transient (TLS, auth, other 4xx, bad receipts) fails at once.
// Waits over 2 s are told to the listener of reportingWaits (the CLI shows them on a terminal).
import { AsyncLocalStorage } from "node:async_hooks";
import pRetry, { AbortError } from "p-retry";
import { isPhinError, PhinError } from "../errors.ts";

export interface RetryPolicy {
  /** Attempts per request, the first included. */
  readonly attempts: number;
  readonly baseMs: number;
  readonly factor: number;
  readonly maxMs: number;
  readonly retryAfterCapMs: number;
  /** Epoch ms after which no new attempt starts. */
  readonly deadline: number;
}

/** A failure worth another attempt; `retryAfterMs` when the server said how long to wait. */
export class TransientFailure extends Error {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs?: number) {
    super(message);
    this.name = "TransientFailure";
    this.retryAfterMs = retryAfterMs;
  }
}

export interface RetryHooks {
  /** Wait (injectable so unit tests can use fake timers through the global setTimeout). */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** Told before each retry: for logs and progress, never given request data. */
  readonly onRetry?: (info: { attempt: number; reason: string; delayMs: number }) => void;
}

/** A network wait: what is awaited (step, attempt, cause; never request data) and for how long. */
export interface NetworkWait {
  readonly what: string;
  readonly attempt: number;
  /** Upper bound of the wait. */
  readonly seconds: number;
}

export type OnWait = (wait: NetworkWait) => void;

// Carried by async context rather than by argument, so the pipeline between the CLI and this
// layer need not pass it along; `attempt` is the attempt running where the wait happens.
const waits = new AsyncLocalStorage<{ readonly onWait: OnWait; readonly attempt: number }>();

/** Runs `work` telling `onWait` of every network wait longer than 2 s inside it. */
export function reportingWaits<T>(onWait: OnWait, work: () => Promise<T>): Promise<T> {
  return waits.run({ onWait, attempt: 1 }, work);
}

/** Tells the current listener of a wait, if it is long enough to be worth saying. */
export function announceWait(what: string, seconds: number, attempt?: number): void {
  const store = waits.getStore();
  if (store === undefined || seconds <= 2) return;
  store.onWait({ what, attempt: attempt ?? store.attempt, seconds: Math.round(seconds) });
}

/** The attempt number in force inside `work`, for waits announced by the HTTP client. */
function duringAttempt<T>(attempt: number, work: () => Promise<T>): Promise<T> {
  const store = waits.getStore();
  return store === undefined ? work() : waits.run({ ...store, attempt }, work);
}

const sleepGlobal = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Parse Retry-After: delta seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export async function withRetries<T>(
  what: string,
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  hooks: RetryHooks = {},
): Promise<T> {
  const sleep = hooks.sleep ?? sleepGlobal;
  const now = hooks.now ?? Date.now;
  let last = "";
  try {
    return await pRetry(
      async (attempt) => {
        if (now() > policy.deadline) {
          throw new AbortError(
            new PhinError(
              "TRANSPORT_FAILED",
              `${what}: the overall deadline passed${last ? ` (last problem: ${last})` : ""}`,
              {
                stage: "transmit",
                hint: "safe to rerun: the same submission id resumes where it stopped",
              },
            ),
          );
        }
        try {
          return await duringAttempt(attempt, () => operation(attempt));
        } catch (error) {
          if (error instanceof TransientFailure) {
            last = error.message;
            throw error;
          }
          // Everything else is final: TLS, authentication, rejection, receipts, bugs.
          throw new AbortError(error instanceof Error ? error : new Error(String(error)));
        }
      },
      {
        retries: policy.attempts - 1,
        factor: policy.factor,
        minTimeout: policy.baseMs,
        maxTimeout: policy.maxMs,
        randomize: true,
        maxRetryTime: Math.max(0, policy.deadline - now()),
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft, retryDelay }) => {
          if (!(error instanceof TransientFailure) || retriesLeft === 0) return;
          const wanted = error.retryAfterMs;
          if (wanted !== undefined && wanted > policy.retryAfterCapMs) {
            throw new PhinError(
              "TRANSPORT_FAILED",
              `${what}: PHIN asked to retry after ${Math.round(wanted / 1000)} s, above the ${Math.round(policy.retryAfterCapMs / 1000)} s cap`,
              {
                stage: "transmit",
                hint: "PHIN is unavailable for a while; rerun later (safe to rerun)",
              },
            );
          }
          // p-retry then waits its own backoff delay: together at least what the server asked.
          const extra = wanted === undefined ? 0 : Math.max(0, wanted - retryDelay);
          hooks.onRetry?.({
            attempt: attemptNumber,
            reason: error.message,
            delayMs: retryDelay + extra,
          });
          const reason = error.message.replace(`${what}: `, "");
          announceWait(
            `attempt ${attemptNumber + 1} of ${policy.attempts} at ${what} (last: ${reason})`,
            (retryDelay + extra) / 1000,
            attemptNumber + 1,
          );
          if (extra > 0) await sleep(extra);
        },
      },
    );
  } catch (error) {
    if (isPhinError(error)) throw error;
    if (error instanceof TransientFailure) {
      throw new PhinError(
        "TRANSPORT_FAILED",
        `${what}: gave up after ${policy.attempts} attempts (last problem: ${error.message})`,
        {
          stage: "transmit",
          hint: "safe to rerun: the same submission id resumes where it stopped",
        },
      );
    }
    throw error;
  }
}

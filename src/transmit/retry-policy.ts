// The one layer that retries (docs/api.md, "Retry policy"): p-retry around a single request, with
// exponential backoff and jitter, Retry-After honoured up to a cap, an attempt budget and an
// overall deadline. Anything not transient (TLS, auth, other 4xx, bad receipts) fails at once.
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

/** A network wait: what is awaited (step, attempt, cause; never request data) and for how long. */
export interface NetworkWait {
  readonly what: string;
  readonly attempt: number;
  /** Upper bound of the wait. */
  readonly seconds: number;
}

export type OnWait = (wait: NetworkWait) => void;

/** Tells `onWait` of a wait long enough to be worth saying: a shorter one is not noticed. */
export function announceWait(onWait: OnWait | undefined, wait: NetworkWait): void {
  if (onWait !== undefined && wait.seconds > 2)
    onWait({ ...wait, seconds: Math.round(wait.seconds) });
}

export interface RetryHooks {
  /** Told before each retry: for logs and progress, never given request data. */
  readonly onRetry?: (info: { attempt: number; reason: string; delayMs: number }) => void;
  /** Told of each wait before a retry that is over 2 s (the CLI shows them on a terminal). */
  readonly onWait?: OnWait | undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Parse Retry-After: delta seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function transportFailed(
  message: string,
  hint = "safe to rerun: the same submission id resumes where it stopped",
): PhinError {
  return new PhinError("TRANSPORT_FAILED", message, { stage: "transmit", hint });
}

export async function withRetries<T>(
  what: string,
  operation: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  hooks: RetryHooks = {},
): Promise<T> {
  let last = "";
  try {
    return await pRetry(
      async (attempt) => {
        if (Date.now() > policy.deadline) {
          const problem = last ? ` (last problem: ${last})` : "";
          throw new AbortError(transportFailed(`${what}: the overall deadline passed${problem}`));
        }
        try {
          return await operation(attempt);
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
        maxRetryTime: Math.max(0, policy.deadline - Date.now()),
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft, retryDelay }) => {
          if (!(error instanceof TransientFailure) || retriesLeft === 0) return;
          const wanted = error.retryAfterMs;
          if (wanted !== undefined && wanted > policy.retryAfterCapMs) {
            const asked = Math.round(wanted / 1000);
            const cap = Math.round(policy.retryAfterCapMs / 1000);
            throw transportFailed(
              `${what}: PHIN asked to retry after ${asked} s, above the ${cap} s cap`,
              "PHIN is unavailable for a while; rerun later (safe to rerun)",
            );
          }
          // p-retry then waits its own backoff delay: together at least what the server asked.
          const extra = wanted === undefined ? 0 : Math.max(0, wanted - retryDelay);
          const delayMs = retryDelay + extra;
          hooks.onRetry?.({ attempt: attemptNumber, reason: error.message, delayMs });
          const reason = error.message.replace(`${what}: `, "");
          announceWait(hooks.onWait, {
            what: `attempt ${attemptNumber + 1} of ${policy.attempts} at ${what} (last: ${reason})`,
            attempt: attemptNumber + 1,
            seconds: delayMs / 1000,
          });
          if (extra > 0) await sleep(extra);
        },
      },
    );
  } catch (error) {
    if (isPhinError(error)) throw error;
    if (error instanceof TransientFailure) {
      const problem = `(last problem: ${error.message})`;
      throw transportFailed(`${what}: gave up after ${policy.attempts} attempts ${problem}`);
    }
    throw error;
  }
}

// The one layer that retries (docs/api.md, "Retry policy"): p-retry around a single request, with
// exponential backoff and jitter, Retry-After honoured up to a cap, an attempt budget and an
// overall deadline. Anything not transient (TLS, auth, other 4xx, bad receipts) fails at once.
import pRetry, { AbortError } from "p-retry";
import type { TransportConfig } from "../config/config-schema.ts";
import { PhinError } from "../errors.ts";

/** transport.retry as configured, with `deadline`: the epoch ms after which no attempt starts. */
export type RetryPolicy = Readonly<Omit<TransportConfig["retry"], "deadline_ms">> & {
  readonly deadline: number;
};

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

// The global timer, not node:timers/promises: the tests' fake clock drives it.
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
  // Attempts actually made: p-retry may stop early (deadline), so not always policy.attempts.
  let made = 0;
  const tried = () => `${made} attempt${made === 1 ? "" : "s"}`;
  try {
    return await pRetry(
      async (attempt) => {
        if (Date.now() > policy.deadline) {
          const problem = last ? `; last problem: ${last}` : "";
          const message = `${what}: the overall deadline passed (after ${tried()}${problem})`;
          throw new AbortError(transportFailed(message));
        }
        made = attempt;
        return operation(attempt);
      },
      {
        retries: policy.attempts - 1,
        factor: policy.factor,
        minTimeout: policy.base_ms,
        maxTimeout: policy.max_ms,
        randomize: true,
        maxRetryTime: Math.max(0, policy.deadline - Date.now()),
        // Only a transient failure is retried; TLS, authentication, rejection, receipts and bugs
        // are final.
        shouldRetry: ({ error }) => error instanceof TransientFailure,
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft, retryDelay }) => {
          if (!(error instanceof TransientFailure)) return;
          last = error.message;
          if (retriesLeft === 0) return;
          const wanted = error.retryAfterMs;
          if (wanted !== undefined && wanted > policy.retry_after_cap_ms) {
            const asked = Math.round(wanted / 1000);
            const cap = Math.round(policy.retry_after_cap_ms / 1000);
            throw transportFailed(
              `${what}: PHIN asked to retry after ${asked} s, above the ${cap} s cap`,
              "PHIN is unavailable for a while; rerun later (safe to rerun)",
            );
          }
          if (wanted !== undefined && Date.now() + wanted > policy.deadline) {
            // Sleeping through it would only end at the deadline with nothing sent: stop now.
            const at = new Date(Date.now() + wanted).toISOString();
            throw transportFailed(
              `${what}: PHIN asked to be called again at ${at} (Retry-After ${Math.round(wanted / 1000)} s), after the run's deadline; stopped after ${tried()}`,
              `rerun after ${at} (safe to rerun: the same submission id resumes)`,
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
    if (error instanceof TransientFailure) {
      const problem = `(last problem: ${error.message})`;
      throw transportFailed(`${what}: gave up after ${tried()} ${problem}`);
    }
    throw error;
  }
}

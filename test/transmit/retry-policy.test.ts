// The retry policy with fake timers: which failures are retried, how long it waits, and when
// it gives up. (The real-clock end-to-end test is in submit.test.ts.)
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PhinError } from "../../src/errors.ts";
import {
  type NetworkWait,
  parseRetryAfter,
  type RetryPolicy,
  TransientFailure,
  withRetries,
} from "../../src/transmit/retry-policy.ts";

const policy = (over: Partial<RetryPolicy> = {}): RetryPolicy => ({
  attempts: 8,
  base_ms: 1000,
  factor: 2,
  max_ms: 60_000,
  retry_after_cap_ms: 120_000,
  deadline: Date.now() + 15 * 60_000,
  ...over,
});

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("withRetries", () => {
  it("waits at least Retry-After between attempts, then succeeds", async () => {
    const times: number[] = [];
    let calls = 0;
    const run = withRetries(
      "open",
      async () => {
        times.push(Date.now());
        if (++calls < 3) throw new TransientFailure("HTTP 503", 5_000);
        return "ok";
      },
      policy({ base_ms: 100 }),
    );
    await vi.runAllTimersAsync();
    await expect(run).resolves.toBe("ok");
    expect(calls).toBe(3);
    expect((times[1] as number) - (times[0] as number)).toBeGreaterThanOrEqual(5_000);
    expect((times[2] as number) - (times[1] as number)).toBeGreaterThanOrEqual(5_000);
  });

  it("backs off exponentially with jitter when there is no Retry-After", async () => {
    const times: number[] = [];
    const run = withRetries(
      "open",
      async () => {
        times.push(Date.now());
        throw new TransientFailure("ECONNRESET");
      },
      policy({ attempts: 4 }),
    );
    const settled = run.catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    const error = (await settled) as PhinError;
    expect(error.code).toBe("TRANSPORT_FAILED");
    expect(error.message).toContain("gave up after 4 attempts");
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    // randomize multiplies by 1..2: 1-2 s, 2-4 s, 4-8 s.
    expect(gaps[0]).toBeGreaterThanOrEqual(1000);
    expect(gaps[0]).toBeLessThanOrEqual(2000);
    expect(gaps[1]).toBeGreaterThanOrEqual(2000);
    expect(gaps[2]).toBeGreaterThanOrEqual(4000);
    expect(gaps[2]).toBeLessThanOrEqual(8000);
  });

  it("gives up at once when Retry-After is above the cap", async () => {
    let calls = 0;
    const run = withRetries(
      "open",
      async () => {
        calls++;
        throw new TransientFailure("HTTP 503", 600_000);
      },
      policy(),
    ).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    const error = (await run) as PhinError;
    expect(calls).toBe(1);
    expect(error.message).toMatch(/above the 120 s cap/);
  });

  it("never retries a final error (TLS, auth, rejection)", async () => {
    let calls = 0;
    const run = withRetries(
      "open",
      async () => {
        calls++;
        throw new PhinError("AUTH_REFUSED", "401", { stage: "transmit" });
      },
      policy(),
    ).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(((await run) as PhinError).code).toBe("AUTH_REFUSED");
    expect(calls).toBe(1);
  });

  it("stops starting attempts after the overall deadline", async () => {
    let calls = 0;
    const run = withRetries(
      "open",
      async () => {
        calls++;
        throw new TransientFailure("HTTP 503", 30_000);
      },
      policy({ deadline: Date.now() + 45_000 }),
    ).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    const error = (await run) as PhinError;
    expect(error.code).toBe("TRANSPORT_FAILED");
    expect(calls).toBeLessThanOrEqual(3);
  });
});

describe("the deadline and the attempts reported", () => {
  it("a Retry-After ending past the deadline stops at once, saying when PHIN asked to be called", async () => {
    let calls = 0;
    const start = Date.now();
    const run = withRetries(
      "open",
      async () => {
        calls++;
        throw new TransientFailure("open: HTTP 503", 30_000);
      },
      policy({ deadline: start + 4_000 }),
    ).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    const error = (await run) as PhinError;
    expect(error.code).toBe("TRANSPORT_FAILED");
    expect(calls).toBe(1);
    expect(Date.now() - start).toBeLessThan(1_000);
    const at = new Date(start + 30_000).toISOString();
    expect(error.message).toContain(`called again at ${at}`);
    expect(error.message).toContain("stopped after 1 attempt");
  });

  it("a Retry-After within the deadline is waited for", async () => {
    let calls = 0;
    const run = withRetries(
      "open",
      async () => {
        if (++calls === 1) throw new TransientFailure("open: HTTP 503", 3_000);
        return "ok";
      },
      policy({ base_ms: 100, max_ms: 100, deadline: Date.now() + 4_000 }),
    );
    await vi.runAllTimersAsync();
    await expect(run).resolves.toBe("ok");
    expect(calls).toBe(2);
  });

  it("reports the attempts actually made when the deadline ends the retries", async () => {
    let calls = 0;
    const run = withRetries(
      "open",
      async () => {
        calls++;
        throw new TransientFailure("open: ECONNRESET");
      },
      policy({ base_ms: 1_000, factor: 1, max_ms: 1_000, deadline: Date.now() + 2_500 }),
    ).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    const error = (await run) as PhinError;
    expect(calls).toBeLessThan(8);
    expect(error.message).toMatch(new RegExp(`after ${calls} attempts?`));
  });
});

describe("onWait", () => {
  it("is told of each wait over 2 s, with the attempt it waits for", async () => {
    const waits: NetworkWait[] = [];
    let calls = 0;
    const run = withRetries(
      "status",
      async () => {
        if (++calls < 3)
          throw new TransientFailure(
            calls === 1 ? "status: ECONNREFUSED" : "status: HTTP 503",
            calls === 1 ? 1_000 : 5_000,
          );
        return "ok";
      },
      policy({ base_ms: 100, max_ms: 100 }),
      { onWait: (w) => waits.push(w) },
    );
    await vi.runAllTimersAsync();
    await expect(run).resolves.toBe("ok");
    // The first wait (1 s) is too short to mention; the second is not.
    expect(waits).toEqual([
      { what: "attempt 3 of 8 at status (last: HTTP 503)", attempt: 3, seconds: 5 },
    ]);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("2", 0)).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 0)).toBe(10_000);
    expect(parseRetryAfter("soon", 0)).toBeUndefined();
    expect(parseRetryAfter(undefined, 0)).toBeUndefined();
  });
});

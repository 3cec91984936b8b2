// The period lock: a live holder blocks and is named; a stale, empty, unreadable or foreign lock
// is judged by age and liveness and taken over; a takeover is won by exactly one run.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isPhinError } from "../../src/errors.ts";
import { acquirePeriodLock, periodLockFile } from "../../src/io/period-lock.ts";
import { tempDir } from "../helpers/cli.ts";

function state(lockText?: string, ageMs = 0): { dir: string; file: string } {
  const dir = tempDir("lock");
  const file = periodLockFile(dir, "NQX", "2026-10");
  if (lockText !== undefined) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, lockText);
    const at = new Date(Date.now() - ageMs);
    utimesSync(file, at, at);
  }
  return { dir, file };
}

/** A pid that was alive a moment ago and is not now. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(child.stdout.toString());
}

const holder = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    pid: process.pid,
    host: os.hostname(),
    user: "someone",
    run_id: "R1",
    since: new Date().toISOString(),
    ...over,
  });

async function lockedMessage(dir: string): Promise<string> {
  const error = await acquirePeriodLock(dir, "NQX", "2026-10", "R2").then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isPhinError(error) && error.code).toBe("LOCKED");
  return (error as Error).message;
}

describe("acquirePeriodLock", () => {
  it("writes a complete holder record and removes it on release", async () => {
    const { dir, file } = state();
    const lock = await acquirePeriodLock(dir, "NQX", "2026-10", "R1");
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({
      pid: process.pid,
      run_id: "R1",
    });
    await lock.release();
    expect(() => readFileSync(file)).toThrow();
  });

  it("a live holder blocks, and is named", async () => {
    const { dir } = state(holder());
    expect(await lockedMessage(dir)).toMatch(/locked by run R1 \(pid \d+ on .*, user someone/);
  });

  it("a holder whose process is gone is taken over", async () => {
    const { dir, file } = state(holder({ pid: deadPid() }));
    const lock = await acquirePeriodLock(dir, "NQX", "2026-10", "R2");
    expect(JSON.parse(readFileSync(file, "utf8")).run_id).toBe("R2");
    await lock.release();
  });

  it("a holder from before the last boot is taken over, even if its pid is alive again", async () => {
    const before = new Date(Date.now() - os.uptime() * 1000 - 3_600_000).toISOString();
    const { dir } = state(holder({ since: before }));
    await (await acquirePeriodLock(dir, "NQX", "2026-10", "R2")).release();
  });

  it.each([
    ["empty", ""],
    ["not JSON", "garbage"],
    ["foreign JSON", '{"owner":"cron"}'],
  ])("an old %s lock is taken over", async (_what, text) => {
    const { dir } = state(text, 60_000);
    await (await acquirePeriodLock(dir, "NQX", "2026-10", "R2")).release();
  });

  it("a fresh empty lock is waited on for its short grace, then taken over", async () => {
    const { dir } = state("");
    const started = Date.now();
    await (await acquirePeriodLock(dir, "NQX", "2026-10", "R2")).release();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
  });

  it.skipIf(process.getuid?.() === 0)("an unreadable old lock is taken over", async () => {
    const { dir, file } = state(holder(), 60_000);
    chmodSync(file, 0o000);
    await (await acquirePeriodLock(dir, "NQX", "2026-10", "R2")).release();
  });

  it("another host's lock holds for a day, then is taken over", async () => {
    const young = state(holder({ host: "elsewhere" }), 3_600_000);
    expect(await lockedMessage(young.dir)).toContain("on elsewhere");
    const old = state(holder({ host: "elsewhere" }), 25 * 3_600_000);
    await (await acquirePeriodLock(old.dir, "NQX", "2026-10", "R2")).release();
  });

  it("of many runs taking over one stale lock at once, exactly one wins", async () => {
    const { dir, file } = state(holder({ pid: deadPid() }));
    const runs = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => acquirePeriodLock(dir, "NQX", "2026-10", `T${i}`)),
    );
    const won = runs.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    const winner = JSON.parse(readFileSync(file, "utf8")).run_id;
    expect(winner).toMatch(/^T\d$/);
    for (const r of runs)
      if (r.status === "rejected") expect(String(r.reason.message)).toContain(`run ${winner}`);
  });
});

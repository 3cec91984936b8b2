// One run per provider and period at a time. The lock file names its holder (holder.ts) and
// appears complete: it is written beside the lock, then hard-linked into place, which fails when
// a lock exists. An existing lock is judged (holder.ts), not trusted: a stale one is taken over by
// renaming our complete file over it, so there is never a moment without a lock; takeovers are
// serialised by a short-lived `.takeover` file, so two runs cannot both take over the same lock.
// Hand-written rather than proper-lockfile because the second run must name the holder.
import { link, open, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { PhinError } from "../errors.ts";
import { describeHolder, type Holder, judgeHolder, thisHolder } from "./holder.ts";
import { onInterrupt } from "./interrupt.ts";
import { ensurePrivateDir } from "./private-dir.ts";

export interface PeriodLock {
  readonly file: string;
  release(): Promise<void>;
}

/** A takeover file older than this was left by a crash mid-takeover (takeovers take ms). */
const TAKEOVER_STALE_MS = 10_000;
const ATTEMPTS = 20;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const errno = (error: unknown) => (error as NodeJS.ErrnoException).code;

export function periodLockFile(stateDir: string, provider: string, period: string): string {
  return path.join(stateDir, "locks", `${provider}-${period}.lock`);
}

export async function acquirePeriodLock(
  stateDir: string,
  provider: string,
  period: string,
  runId: string,
): Promise<PeriodLock> {
  const file = periodLockFile(stateDir, provider, period);
  await ensurePrivateDir(path.dirname(file));
  const mine = JSON.stringify(thisHolder(runId));
  const temp = `${file}.${process.pid}-${runId}.new`;
  const handle = await open(temp, "w", 0o600);
  await handle.writeFile(mine);
  await handle.sync();
  await handle.close();
  const remove = async () => {
    // Only our own lock: never remove one another run has since taken over.
    if ((await readFile(file, "utf8").catch(() => "")) === mine) await rm(file, { force: true });
  };
  // A run stopped by SIGINT or SIGTERM lets go of its lock too (another host could not judge it).
  const unregister = onInterrupt(remove);
  const release = async () => {
    unregister();
    await remove();
  };
  const locked = { file, release };
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        await link(temp, file);
        return locked;
      } catch (error) {
        if (errno(error) !== "EEXIST") throw error;
      }
      const judged = await judgeHolder(file);
      if (judged.state === "live") throw lockedBy(provider, period, file, judged.holder);
      if (judged.state === "young") await sleep(Math.min(judged.waitMs + 50, 500));
      if (judged.state === "stale" && (await takeOver(file, temp))) return locked;
    }
    throw lockedBy(provider, period, file, undefined);
  } catch (error) {
    unregister();
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * Replace a stale lock with ours in one rename, under the takeover file. The lock is judged again
 * once the takeover file is ours: another run may have taken it over in the meantime.
 */
async function takeOver(file: string, temp: string): Promise<boolean> {
  const guard = `${file}.takeover`;
  try {
    await (await open(guard, "wx", 0o600)).close();
  } catch (error) {
    if (errno(error) !== "EEXIST") throw error;
    const age = await stat(guard).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > TAKEOVER_STALE_MS) await rm(guard, { force: true });
    else await sleep(20);
    return false;
  }
  try {
    const again = await judgeHolder(file);
    if (again.state !== "stale") return false;
    await rename(temp, file);
    return true;
  } finally {
    await rm(guard, { force: true });
  }
}

function lockedBy(
  provider: string,
  period: string,
  file: string,
  holder: Holder | undefined,
): PhinError {
  const who = holder === undefined ? "another run" : describeHolder(holder);
  return new PhinError("LOCKED", `${provider} ${period} is locked by ${who}`, {
    stage: "transmit",
    file,
    hint: `wait for that run to finish; if it is gone, delete ${file}`,
  });
}

// One run per provider and period at a time. The lock is a file created exclusively (O_EXCL),
// holding who took it; a lock whose process is gone (same host, pid not alive) is stale and
// taken over, so a crashed run never blocks the next month's scheduler. Hand-written rather than
// proper-lockfile because the second run must name the holder, which that library does not keep.
import { open, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PhinError } from "../errors.ts";
import { ensurePrivateDir } from "./private-dir.ts";

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly user: string;
  readonly run_id: string;
  readonly since: string;
}

export interface PeriodLock {
  readonly file: string;
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export async function acquirePeriodLock(
  stateDir: string,
  provider: string,
  period: string,
  runId: string,
): Promise<PeriodLock> {
  const dir = path.join(stateDir, "locks");
  await ensurePrivateDir(dir);
  const file = path.join(dir, `${provider}-${period}.lock`);
  const holder: LockHolder = {
    pid: process.pid,
    host: os.hostname(),
    user: os.userInfo().username,
    run_id: runId,
    since: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, "wx", 0o600);
      await handle.write(JSON.stringify(holder));
      await handle.sync();
      await handle.close();
      return { file, release: () => rm(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      let current: LockHolder | undefined;
      try {
        current = JSON.parse(await readFile(file, "utf8")) as LockHolder;
      } catch {
        current = undefined; // being written right now, or torn by a crash
      }
      if (current !== undefined && current.host === holder.host && !alive(current.pid)) {
        await rm(file, { force: true });
        continue;
      }
      const who =
        current === undefined
          ? "another run"
          : `run ${current.run_id} (pid ${current.pid} on ${current.host}, user ${current.user}, since ${current.since})`;
      throw new PhinError("LOCKED", `${provider} ${period} is locked by ${who}`, {
        stage: "transmit",
        file,
        hint: `wait for that run to finish; if it is gone, delete ${file}`,
      });
    }
  }
  throw new PhinError("LOCKED", `${provider} ${period} is locked`, { stage: "transmit", file });
}

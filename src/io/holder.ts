// Who holds a lock or a staging folder, and whether that holder is still there. A holder file
// names the process (pid, host, user, run id, since). It is judged, never trusted blindly: a
// holder on this host whose process is gone (or that predates the last boot, so its pid may be
// reused) is stale; one on another host is stale once older than a day; a file that cannot be
// read as a holder (empty, foreign, unreadable) is stale once it has been so for a short grace,
// since our own holder files are complete the moment they appear.
import { readFile, stat } from "node:fs/promises";
import os from "node:os";

export interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly user: string;
  readonly run_id: string;
  readonly since: string;
}

/** A holder file that does not read as a holder is judged stale after this long. */
export const UNREADABLE_GRACE_MS = 2_000;
/** Another host's process cannot be asked; its holder file is stale after this long. */
export const FOREIGN_MAX_AGE_MS = 24 * 3_600_000;

export type Judgement =
  | { readonly state: "gone" }
  | { readonly state: "live"; readonly holder: Holder }
  | { readonly state: "stale"; readonly holder: Holder | undefined; readonly why: string }
  /** Unreadable but too young to judge: look again after `waitMs`. */
  | { readonly state: "young"; readonly waitMs: number };

export function thisHolder(runId: string, now = new Date()): Holder {
  return {
    pid: process.pid,
    host: os.hostname(),
    user: os.userInfo().username,
    run_id: runId,
    since: now.toISOString(),
  };
}

export function describeHolder(h: Holder): string {
  return `run ${h.run_id} (pid ${h.pid} on ${h.host}, user ${h.user}, since ${h.since})`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function asHolder(text: string): Holder | undefined {
  try {
    const h = JSON.parse(text) as Partial<Holder> | null;
    const ok =
      h !== null &&
      typeof h === "object" &&
      Number.isInteger(h.pid) &&
      (h.pid as number) > 0 &&
      typeof h.host === "string" &&
      typeof h.user === "string" &&
      typeof h.run_id === "string" &&
      typeof h.since === "string" &&
      !Number.isNaN(Date.parse(h.since));
    return ok ? (h as Holder) : undefined;
  } catch {
    return undefined;
  }
}

/** Judge the holder file at `file` (see the header for the rules). */
export async function judgeHolder(file: string, now = Date.now()): Promise<Judgement> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (info === undefined) return { state: "gone" };
  const age = now - info.mtimeMs;
  const text = await readFile(file, "utf8").catch(() => undefined);
  const holder = text === undefined ? undefined : asHolder(text);
  if (holder === undefined) {
    if (age >= UNREADABLE_GRACE_MS) {
      const why = text === undefined ? "unreadable" : text === "" ? "empty" : "not a holder record";
      return { state: "stale", holder: undefined, why: `the file is ${why}` };
    }
    return { state: "young", waitMs: UNREADABLE_GRACE_MS - age };
  }
  if (holder.host !== os.hostname()) {
    return age >= FOREIGN_MAX_AGE_MS
      ? { state: "stale", holder, why: `held on another host for over a day` }
      : { state: "live", holder };
  }
  // A minute's margin: uptime is coarse, and a holder just after boot is not stale.
  const bootedAt = now - os.uptime() * 1000 - 60_000;
  if (Date.parse(holder.since) < bootedAt)
    return { state: "stale", holder, why: "taken before this machine last started" };
  if (!alive(holder.pid)) return { state: "stale", holder, why: `process ${holder.pid} is gone` };
  return { state: "live", holder };
}

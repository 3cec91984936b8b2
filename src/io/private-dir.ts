// Folders that may hold submission data are created 0700, whatever the umask. A folder that
// cannot be made or written is a configuration problem (the state directory), named by its path.
import { statSync } from "node:fs";
import { chmod, mkdir } from "node:fs/promises";
import path from "node:path";
import { PhinError } from "../errors.ts";

export async function ensurePrivateDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
  } catch (cause) {
    throw unusableDir(dir, cause);
  }
}

/** The error for a state directory (or a folder or file in it) that cannot be used. */
export function unusableDir(dir: string, cause: unknown): PhinError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const why =
    code === "ENOTDIR" || code === "EEXIST"
      ? notADirectory(dir)
      : code === "EACCES" || code === "EPERM" || code === "EROFS"
        ? "it cannot be written"
        : `it cannot be created (${code ?? "unknown error"})`;
  return new PhinError("STATE_DIR_UNUSABLE", `cannot use ${dir}: ${why}`, {
    stage: "config",
    file: dir,
    field: "state_dir",
    cause,
    hint: "point state_dir (or PHIN_STATE_DIR, --state-dir) at a folder this user can write",
  });
}

/** Names the path in the way: the folder itself, or the nearest part above it that is a file. */
function notADirectory(dir: string): string {
  for (let p = path.resolve(dir); p !== path.dirname(p); p = path.dirname(p)) {
    const info = statSync(p, { throwIfNoEntry: false });
    if (info === undefined) continue;
    if (info.isDirectory()) break;
    return p === path.resolve(dir) ? "it is not a directory" : `${p} is not a directory`;
  }
  return "it, or a folder above it, is not a directory";
}

// A run's staging folder (state/staging/<run_id>/): its work in progress, patient-level until
// published. Beside it, `<run_id>.holder` names the process that owns it (holder.ts), written
// before the folder is made and removed after it is gone, so a folder whose holder is stale (the
// process died, even by SIGKILL) or missing is a leftover. Every command sweeps leftovers at start.
import { readdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { judgeHolder, thisHolder, UNREADABLE_GRACE_MS } from "./holder.ts";
import { onInterrupt } from "./interrupt.ts";
import { ensurePrivateDir } from "./private-dir.ts";

export interface Staging {
  readonly dir: string;
  /** After the folder was published (renamed away): the holder goes. */
  done(): Promise<void>;
  /** The run failed or was stopped: folder and holder go. */
  remove(): Promise<void>;
}

const holderFile = (root: string, runId: string) => path.join(root, `${runId}.holder`);

export async function createStaging(stateDir: string, runId: string): Promise<Staging> {
  const root = path.join(stateDir, "staging");
  await ensurePrivateDir(root);
  const holder = holderFile(root, runId);
  await writeFile(holder, JSON.stringify(thisHolder(runId)), { mode: 0o600, flag: "wx" });
  const dir = path.join(root, runId);
  await ensurePrivateDir(dir);
  const remove = async () => {
    // Retried: a write of the interrupted run may still land while the folder is emptied.
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    await rm(holder, { force: true });
  };
  const unregister = onInterrupt(remove);
  return {
    dir,
    done: async () => {
      unregister();
      await rm(holder, { force: true });
    },
    remove: async () => {
      unregister();
      await remove();
    },
  };
}

/** Remove the staging folders of runs that are gone; returns their run ids. */
export async function sweepStaging(stateDir: string): Promise<string[]> {
  const root = path.join(stateDir, "staging");
  const names = await readdir(root).catch(() => [] as string[]);
  const runs = new Set(names.map((n) => n.replace(/\.holder$/, "")));
  const swept: string[] = [];
  for (const runId of runs) {
    const judged = await judgeHolder(holderFile(root, runId));
    if (judged.state === "live" || judged.state === "young") continue;
    // No holder: the run removed it last (a crash between the two removals), or an older
    // version made the folder. Left alone while it may still be being made.
    if (judged.state === "gone") {
      const age = await stat(path.join(root, runId)).then(
        (s) => Date.now() - s.mtimeMs,
        () => undefined,
      );
      if (age === undefined || age < UNREADABLE_GRACE_MS) continue;
    }
    await rm(path.join(root, runId), { recursive: true, force: true });
    await rm(holderFile(root, runId), { force: true });
    swept.push(runId);
  }
  return swept;
}

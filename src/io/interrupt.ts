// SIGINT and SIGTERM stop the run: what a run registered here (its staging folder, above all) is
// removed first, then the process exits 130 or 143 as a shell would report the signal. Only the
// installed command listens (tests that run main() in-process do not).
import { EXIT_INTERRUPTED } from "../errors.ts";

const cleanups = new Set<() => Promise<void>>();

/** Run `cleanup` if the process is interrupted; returns the function that unregisters it. */
export function onInterrupt(cleanup: () => Promise<void>): () => void {
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

export function exitOnInterrupt(say: (text: string) => void): void {
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      // A second signal while cleaning up changes nothing: the first one's exit follows.
      if (stopping) return;
      stopping = true;
      const pending = [...cleanups].map((c) => c().catch(() => {}));
      void Promise.all(pending).then(() => {
        say(`phin-submit: stopped by ${signal}; the run's work in progress was removed\n`);
        process.exit(EXIT_INTERRUPTED[signal]);
      });
    });
  }
}

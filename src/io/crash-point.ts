// Test-only: when PHIN_CRASH_AT names this point, the process kills itself with SIGKILL there,
// so the crash matrix (test/proof/crash-matrix.test.ts) can stop a run at every step that writes.
// Unset (always, outside tests) it does nothing.
export function crashPoint(name: string): void {
  if (process.env.PHIN_CRASH_AT === name) process.kill(process.pid, "SIGKILL");
}

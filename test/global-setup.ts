// One temp folder per test run: the workers, and every process they start, get it as TMPDIR,
// and the teardown removes it, so the suite leaves the system temp dir as it found it.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), "phin-test-run-"));
  process.env.TMPDIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}

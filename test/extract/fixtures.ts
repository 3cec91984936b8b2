// Shared helpers for the extract tests: fixtures in a scratch folder, draining a source, and
// catching a PhinError while checking that no record value reached any rendering of it.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect } from "vitest";
import { PhinError } from "../../src/errors.ts";
import type { SourceBatch } from "../../src/extract/source.ts";

/** A distinctive cell value: must never appear in any error text. */
export const SECRET = "Zebedee-Surname";

/** A scratch folder removed after the test file. */
export function scratch(prefix: string): {
  dir: string;
  write(name: string, content: string | Buffer): string;
} {
  const dir = mkdtempSync(path.join(os.tmpdir(), `phin-extract-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    write(name, content) {
      const full = path.join(dir, name);
      writeFileSync(full, content);
      return full;
    },
  };
}

export async function rowsOf<R>(source: {
  batches(): AsyncIterable<SourceBatch<R>>;
}): Promise<{ row: R; line: number }[]> {
  const out: { row: R; line: number }[] = [];
  for await (const batch of source.batches()) {
    expect(batch.rows.length).toBe(batch.lines.length);
    for (const [i, row] of batch.rows.entries()) out.push({ row, line: batch.lines[i] as number });
  }
  return out;
}

/** Run until it throws; the error must be a PhinError whose every rendering is value-free. */
export async function failure(
  run: () => unknown,
  secrets: readonly string[] = [SECRET],
): Promise<PhinError> {
  let caught: unknown;
  try {
    await run();
  } catch (error) {
    caught = error;
  }
  if (caught === undefined) throw new Error("expected a PhinError, nothing was thrown");
  expect(caught).toBeInstanceOf(PhinError);
  const error = caught as PhinError;
  for (const text of [
    String(error),
    error.message,
    JSON.stringify(error),
    error.hint ?? "",
    error.field ?? "",
    error.stack ?? "",
  ]) {
    for (const secret of secrets) expect(text).not.toContain(secret);
  }
  expect(JSON.parse(JSON.stringify(error))).not.toHaveProperty("cause");
  expect(error.stage === "extract" || error.stage === "map").toBe(true);
  return error;
}

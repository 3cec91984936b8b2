// Loads the provider's pseudonymisation key from its file. The key never appears in a flag, a
// log, an error or the manifest; only its key id (first 8 hex of its SHA-256) does.
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { PhinError } from "../errors.ts";

export const MIN_KEY_BYTES = 32;

export interface PseudonymKey {
  readonly bytes: Buffer;
  /** First 8 hex characters of SHA-256 of the key: shows a rotation without revealing the key. */
  readonly keyId: string;
  /** True when the file is readable by group or others (doctor and the run summary warn). */
  readonly looseMode: boolean;
}

export async function loadPseudonymKey(file: string, display: string): Promise<PseudonymKey> {
  const where = { stage: "config", file: display, field: "pseudonymisation.key_file" } as const;
  let raw: Buffer;
  let mode: number;
  try {
    [raw, mode] = await Promise.all([readFile(file), stat(file).then((s) => s.mode)]);
  } catch (cause) {
    throw new PhinError("SECRET_MISSING", `cannot read the pseudonymisation key file ${display}`, {
      ...where,
      cause,
      hint: "create it with: head -c 32 /dev/urandom | xxd -p -c 64 > KEYFILE && chmod 600 KEYFILE",
    });
  }
  // One trailing newline is an editor's, not the key's.
  const bytes = raw.at(-1) === 0x0a ? raw.subarray(0, raw.at(-2) === 0x0d ? -2 : -1) : raw;
  if (bytes.length < MIN_KEY_BYTES) {
    const message = `the pseudonymisation key in ${display} is ${bytes.length} bytes; at least ${MIN_KEY_BYTES} are required`;
    throw new PhinError("SECRET_INVALID", message, where);
  }
  const keyId = createHash("sha256").update(bytes).digest("hex").slice(0, 8);
  return { bytes: Buffer.from(bytes), keyId, looseMode: (mode & 0o077) !== 0 };
}

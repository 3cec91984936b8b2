// Loads the provider's pseudonymisation key from its file. The key never appears in a flag, a
// log, an error or the manifest; only its key id (first 8 hex of its SHA-256) does. A key must be
// strong (at least 256 bits by the simple test below) and private to its owner.
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { PhinError } from "../errors.ts";

export const MIN_KEY_BITS = 256;
/** Fewer different characters than this is a pattern, not a random key. */
const MIN_DISTINCT = 8;

export interface PseudonymKey {
  readonly bytes: Buffer;
  /** First 8 hex characters of SHA-256 of the key: shows a rotation without revealing the key. */
  readonly keyId: string;
  /** True when the file is readable by group or others (allowed only when the config says so). */
  readonly looseMode: boolean;
}

export interface KeyOptions {
  /** `pseudonymisation.allow_shared_key_file`: accept a file readable by group or others. */
  readonly allowShared: boolean;
}

/**
 * Bits a key holds at most, judged by the smallest alphabet its characters come from: hex text
 * carries 4 bits a character, base64 text 6, other printable text 6.5, raw bytes 8.
 */
export function keyBits(bytes: Uint8Array): number {
  const text = Buffer.from(bytes).toString("latin1");
  let perChar = 8;
  if (/^[0-9a-fA-F]*$/.test(text)) perChar = 4;
  else if (/^[A-Za-z0-9+/_=-]*$/.test(text)) perChar = 6;
  else if (/^[\x20-\x7e]*$/.test(text)) perChar = 6.5;
  return bytes.length * perChar;
}

/** Why a key is too weak, or null when it passes. The reason never quotes the key. */
export function keyWeakness(bytes: Uint8Array): string | null {
  const bits = keyBits(bytes);
  if (bits < MIN_KEY_BITS) {
    const hex = /^[0-9a-fA-F]*$/.test(Buffer.from(bytes).toString("latin1"));
    const what = hex ? `${bytes.length} hex characters` : `${bytes.length} bytes`;
    return `is ${what}, at most ${bits} bits; at least ${MIN_KEY_BITS} are required (32 random bytes, or 64 hex characters)`;
  }
  if (new Set(bytes).size < MIN_DISTINCT)
    return `repeats fewer than ${MIN_DISTINCT} different characters: it is a pattern, not a random key`;
  return null;
}

export async function loadPseudonymKey(
  file: string,
  display: string,
  options: KeyOptions,
): Promise<PseudonymKey> {
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
  const looseMode = (mode & 0o077) !== 0;
  if (looseMode && !options.allowShared) {
    const message = `the pseudonymisation key file ${display} is readable by group or others (mode 0${(mode & 0o777).toString(8)})`;
    throw new PhinError("SECRET_FILE_SHARED", message, {
      ...where,
      hint: "chmod 600 the key file (pseudonymisation.allow_shared_key_file accepts a published test key only)",
    });
  }
  // One trailing newline is an editor's, not the key's.
  const bytes = raw.at(-1) === 0x0a ? raw.subarray(0, raw.at(-2) === 0x0d ? -2 : -1) : raw;
  const weakness = keyWeakness(bytes);
  if (weakness !== null) {
    const message = `the pseudonymisation key in ${display} ${weakness}`;
    throw new PhinError("SECRET_INVALID", message, {
      ...where,
      hint: "create one with: head -c 32 /dev/urandom | xxd -p -c 64 > KEYFILE && chmod 600 KEYFILE",
    });
  }
  const keyId = createHash("sha256").update(bytes).digest("hex").slice(0, 8);
  return { bytes: Buffer.from(bytes), keyId, looseMode };
}

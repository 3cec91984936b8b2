// Bytes to text in the encoding a mapping declares, one chunk at a time (TextDecoder in stream
// mode, so a character split across chunks is fine). Invalid UTF-8 is an error naming the line
// (windows-1252 exports mislabelled as UTF-8 are the usual cause); UTF-16/32 and BOM/encoding
// contradictions are caught at the start of the file, however small the chunks.
import { PhinError } from "../errors.ts";

export type TextEncoding = "utf-8" | "windows-1252" | "latin1";

/** Bytes inspected for NUL (UTF-16/32 text has NUL bytes in ASCII ranges). */
const PROBE_BYTES = 4096;
/** Bytes needed to recognise any byte order mark. */
const HEAD_BYTES = 4;

/**
 * Offset of the first byte in `bytes` that starts an invalid UTF-8 sequence (leading
 * continuation bytes belong to a character begun in the previous chunk and are skipped), or
 * `bytes.length` when the chunk ends inside a character, or -1 when it is all valid.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < 3 && i < n && ((bytes[i] as number) & 0xc0) === 0x80) i++;
  while (i < n) {
    const c = bytes[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let low = 0x80;
    let high = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) low = 0xa0;
      if (c === 0xed) high = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) low = 0x90;
      if (c === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return n;
      const b = bytes[i + k] as number;
      if (k === 1 ? b < low || b > high : (b & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return -1;
}

function encodingError(
  file: string,
  line: number,
  message: string,
  hint: string,
  cause?: unknown,
): PhinError {
  return new PhinError("SOURCE_ENCODING", `${file}:${line}: ${message}`, {
    stage: "extract",
    file,
    line,
    hint,
    ...(cause === undefined ? {} : { cause }),
  });
}

const WRONG_UTF8_HINT =
  'the file is probably windows-1252: set source.encoding to "windows-1252" in the mapping';

/** Check the first bytes of the file; returns how many to skip (a UTF-8 BOM). */
function checkHead(head: Uint8Array, encoding: TextEncoding, file: string): number {
  const [b0, b1, b2] = head;
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    throw encodingError(
      file,
      1,
      "the file starts with a UTF-16 or UTF-32 byte order mark; those encodings are not supported",
      "save the extract as UTF-8 (or windows-1252) and set source.encoding to match",
    );
  }
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) {
    if (encoding !== "utf-8") {
      throw encodingError(
        file,
        1,
        `the file starts with a UTF-8 byte order mark but the mapping declares ${encoding}`,
        'set source.encoding to "utf-8" in the mapping',
      );
    }
    return 3;
  }
  return 0;
}

/**
 * Decode a byte stream to text chunks. A UTF-8 byte order mark is dropped (and refused when
 * another encoding is declared); UTF-16/32 (a BOM, or NUL bytes near the start) is refused.
 * latin1 is decoded as windows-1252, as the WHATWG Encoding standard (and every browser) does:
 * exports labelled "latin1" hold windows-1252's euro sign and curly quotes in 0x80-0x9F.
 * `lineAt(offset)` gives the line of the file's byte at `offset`, asked only for a message.
 */
export async function* decodeText(
  bytes: AsyncIterable<Buffer>,
  encoding: TextEncoding,
  file: string,
  lineAt: (offset: number) => Promise<number>,
): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding === "utf-8" ? "utf-8" : "windows-1252", {
    fatal: encoding === "utf-8",
    ignoreBOM: true,
  });
  /** Bytes held back until a byte order mark can be recognised. */
  let head: Buffer | null = Buffer.alloc(0);
  let probed = 0;
  /** Offset in the file of the chunk being decoded. */
  let offset = 0;
  const failure = async (chunk: Buffer, stream: boolean, cause: unknown): Promise<PhinError> => {
    const bad = firstInvalidUtf8(chunk);
    const line = await lineAt(offset + (bad === -1 ? 0 : bad));
    return !stream && (bad === -1 || bad === chunk.length)
      ? encodingError(
          file,
          line,
          "the file ends inside a UTF-8 character",
          "the file was probably cut short; export it again",
          cause,
        )
      : encodingError(file, line, "bytes that are not valid UTF-8", WRONG_UTF8_HINT, cause);
  };
  const decode = async (chunk: Buffer, stream: boolean): Promise<string> => {
    try {
      return stream ? decoder.decode(chunk, { stream: true }) : decoder.decode(chunk);
    } catch (cause) {
      throw await failure(chunk, stream, cause);
    }
  };
  const probe = async (chunk: Buffer) => {
    if (probed >= PROBE_BYTES) return;
    const part = chunk.subarray(0, PROBE_BYTES - probed);
    probed += part.length;
    const nul = part.indexOf(0);
    if (nul !== -1) {
      throw encodingError(
        file,
        await lineAt(offset + nul),
        "the file has NUL bytes, so it looks like UTF-16 or UTF-32, which are not supported",
        "save the extract as UTF-8 (or windows-1252) and set source.encoding to match",
      );
    }
  };
  for await (const raw of bytes) {
    let chunk = raw;
    if (head !== null) {
      head = Buffer.concat([head, chunk]);
      if (head.length < HEAD_BYTES) continue;
      offset = checkHead(head, encoding, file);
      chunk = head.subarray(offset);
      head = null;
    }
    await probe(chunk);
    const text = await decode(chunk, true);
    offset += chunk.length;
    if (text.length > 0) yield text;
  }
  let last: Buffer = Buffer.alloc(0);
  if (head !== null) {
    offset = checkHead(head, encoding, file);
    last = head.subarray(offset);
    await probe(last);
  }
  const text = await decode(last, false);
  if (text.length > 0) yield text;
}

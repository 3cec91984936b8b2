// Bytes to text in the encoding a mapping declares, a chunk at a time (TextDecoder in stream
// mode, so a character split across chunks is fine). Invalid UTF-8 is an error naming its line;
// UTF-16/32 and a byte order mark contradicting the declared encoding are refused at the start.
import { isUtf8 } from "node:buffer";
import { PhinError } from "../errors.ts";

export type TextEncoding = "utf-8" | "windows-1252" | "latin1";

/** Bytes searched for NUL, which UTF-16/32 text has in its ASCII characters. */
const PROBE_BYTES = 4096;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const NUL = "the file has NUL bytes, so it looks like UTF-16 or UTF-32, which are not supported";
const CUT = "the file ends inside a UTF-8 character";
const CUT_HINT = "the file was probably cut short; export it again";
const INVALID = "bytes that are not valid UTF-8";
const WINDOWS_1252 =
  'the file is probably windows-1252: set source.encoding to "windows-1252" in the mapping';
const SAVE_AS_UTF8 = "save the extract as UTF-8 (or windows-1252) and set source.encoding to match";

function encodingError(file: string, line: number, message: string, hint: string): PhinError {
  return new PhinError("SOURCE_ENCODING", `${file}:${line}: ${message}`, {
    stage: "extract",
    file,
    line,
    hint,
  });
}

/** How many bytes of the file's start to skip: a UTF-8 byte order mark. */
function checkStart(start: Buffer, encoding: TextEncoding, file: string): number {
  const [b0, b1] = start;
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    const message =
      "the file starts with a UTF-16 or UTF-32 byte order mark; those are not supported";
    throw encodingError(file, 1, message, SAVE_AS_UTF8);
  }
  if (!start.subarray(0, 3).equals(UTF8_BOM)) return 0;
  if (encoding === "utf-8") return 3;
  const message = `the file starts with a UTF-8 byte order mark but the mapping declares ${encoding}`;
  throw encodingError(file, 1, message, 'set source.encoding to "utf-8" in the mapping');
}

/**
 * Where the first line that is not valid UTF-8 starts in `bytes`: the last bytes decoded before
 * (so that a character they began is checked whole) and then the chunk the decoder refused.
 * Continuation bytes at the very start end a character begun earlier and are skipped. A last
 * line cut inside a character is no error in mid-stream, but then the decoder's error must lie
 * in that line anyway.
 */
function firstBadLine(bytes: Buffer): number {
  let from = 0;
  while (from < 3 && ((bytes[from] ?? 0) & 0xc0) === 0x80) from++;
  for (;;) {
    const lf = bytes.indexOf(0x0a, from);
    if (lf === -1 || !isUtf8(bytes.subarray(from, lf))) return from;
    from = lf + 1;
  }
}

/** The same bytes, the first chunk holding at least three (to recognise a byte order mark). */
async function* startInOneChunk(bytes: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let start: Buffer | null = Buffer.alloc(0);
  for await (const chunk of bytes) {
    if (start === null) {
      yield chunk;
      continue;
    }
    start = Buffer.concat([start, chunk]);
    if (start.length >= 3) {
      yield start;
      start = null;
    }
  }
  if (start !== null && start.length > 0) yield start;
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
  /** The file offset of the chunk being decoded, and the last three bytes decoded before it. */
  let offset = 0;
  let before: Buffer = Buffer.alloc(0);
  const decode = async (chunk: Buffer, last: boolean): Promise<string> => {
    const nul = offset < PROBE_BYTES ? chunk.subarray(0, PROBE_BYTES - offset).indexOf(0) : -1;
    if (nul !== -1) throw encodingError(file, await lineAt(offset + nul), NUL, SAVE_AS_UTF8);
    try {
      const text = decoder.decode(chunk, { stream: !last });
      offset += chunk.length;
      before = chunk.length >= 3 ? chunk.subarray(-3) : Buffer.concat([before, chunk]).subarray(-3);
      return text;
    } catch {
      if (last) throw encodingError(file, await lineAt(offset), CUT, CUT_HINT);
      const bad = firstBadLine(Buffer.concat([before, chunk]));
      throw encodingError(file, await lineAt(offset - before.length + bad), INVALID, WINDOWS_1252);
    }
  };
  let atStart = true;
  for await (const chunk of startInOneChunk(bytes)) {
    const skip = atStart ? checkStart(chunk, encoding, file) : 0;
    atStart = false;
    offset += skip;
    const text = await decode(chunk.subarray(skip), false);
    if (text.length > 0) yield text;
  }
  // Only a character left incomplete can fail here.
  const text = await decode(Buffer.alloc(0), true);
  if (text.length > 0) yield text;
}

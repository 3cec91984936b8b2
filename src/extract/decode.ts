// Bytes to text in the encoding a mapping declares, one chunk at a time. Invalid UTF-8 is an
// error naming the line (windows-1252 exports mislabelled as UTF-8 are the usual cause); UTF-16
// and BOM/encoding contradictions are caught on the first chunk.
import { PhinError } from "../errors.ts";

export type TextEncoding = "utf-8" | "windows-1252" | "latin1";

const UTF8_BOM = [0xef, 0xbb, 0xbf];

function countNewlines(text: string, end = text.length): number {
  let n = 0;
  let at = text.indexOf("\n");
  while (at !== -1 && at < end) {
    n++;
    at = text.indexOf("\n", at + 1);
  }
  return n;
}

function encodingError(file: string, line: number, message: string, hint: string): PhinError {
  return new PhinError("SOURCE_ENCODING", `${file}:${line}: ${message}`, {
    stage: "extract",
    file,
    line,
    hint,
  });
}

/**
 * Decode a byte stream. The first chunk is checked for a byte order mark (a UTF-8 BOM is
 * dropped) and for UTF-16/32 (NUL bytes), which no supported encoding allows.
 */
export async function* decodeText(
  bytes: AsyncIterable<Buffer>,
  encoding: TextEncoding,
  file: string,
): AsyncGenerator<string> {
  // latin1 is decoded as windows-1252 by the WHATWG decoder; both are single-byte and total.
  const decoder = new TextDecoder(encoding === "utf-8" ? "utf-8" : "windows-1252", {
    fatal: encoding === "utf-8",
    ignoreBOM: true,
  });
  let first = true;
  let lines = 1;
  for await (const raw of bytes) {
    let chunk = raw;
    if (first) {
      first = false;
      if (
        (chunk[0] === 0xff && chunk[1] === 0xfe) ||
        (chunk[0] === 0xfe && chunk[1] === 0xff) ||
        chunk.subarray(0, 4096).includes(0)
      ) {
        throw encodingError(
          file,
          1,
          "the file looks like UTF-16 or UTF-32, which is not supported",
          "save the extract as UTF-8 or windows-1252",
        );
      }
      if (UTF8_BOM.every((b, i) => chunk[i] === b)) {
        if (encoding !== "utf-8") {
          throw encodingError(
            file,
            1,
            `the file starts with a UTF-8 byte order mark but the mapping declares ${encoding}`,
            'set source.encoding to "utf-8" in the mapping',
          );
        }
        chunk = chunk.subarray(3);
      }
    }
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch (cause) {
      // Find the line of the first bad byte by decoding the chunk leniently.
      const lenient = new TextDecoder("utf-8").decode(chunk);
      const bad = lenient.indexOf("\uFFFD");
      throw new PhinError(
        "SOURCE_ENCODING",
        `${file}:${lines + countNewlines(lenient, bad === -1 ? 0 : bad)}: bytes that are not valid UTF-8`,
        {
          stage: "extract",
          file,
          line: lines + countNewlines(lenient, bad === -1 ? 0 : bad),
          cause,
          hint: 'the file is probably windows-1252: set source.encoding to "windows-1252" in the mapping',
        },
      );
    }
    lines += countNewlines(text);
    if (text.length > 0) yield text;
  }
  try {
    const rest = decoder.decode();
    if (rest.length > 0) yield rest;
  } catch (cause) {
    throw new PhinError(
      "SOURCE_ENCODING",
      `${file}:${lines}: the file ends inside a UTF-8 character`,
      {
        stage: "extract",
        file,
        line: lines,
        cause,
        hint: "the file was probably cut short",
      },
    );
  }
}

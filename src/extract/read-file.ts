// Opens an extract as a stream of decoded text: missing, oversized and empty files are reported
// before any parsing starts.
import { createReadStream, type ReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { PhinError } from "../errors.ts";
import { decodeText, type TextEncoding } from "./decode.ts";
import type { SourceLimits } from "./source.ts";

/** What both file sources are opened with. */
export interface ExtractFile {
  /** Absolute path to read. */
  readonly path: string;
  /** Display path for messages. */
  readonly file: string;
  readonly encoding: TextEncoding;
  readonly limits: SourceLimits;
  /** Read chunk size in bytes (tests use tiny ones to split records across chunks). */
  readonly highWaterMark?: number;
}

export interface OpenedExtract {
  /** The byte stream, for progress and to close early. */
  readonly stream: ReadStream;
  readonly size: number;
  /** The decoded text, chunk by chunk (a generator: iterate it, or call next). */
  readonly text: AsyncGenerator<string>;
}

export async function openExtract(options: ExtractFile): Promise<OpenedExtract> {
  const { path, file } = options;
  const size = await stat(path).then(
    (info) => (info.isFile() ? info.size : -1),
    () => -1,
  );
  if (size === -1) {
    throw new PhinError(
      "SOURCE_NOT_FOUND",
      `${file}: the extract does not exist or is not a file`,
      {
        stage: "extract",
        file,
        hint: "check the source path in the configuration and that the period's extract was exported",
      },
    );
  }
  const max = options.limits.maxFileBytes;
  if (size > max) {
    throw new PhinError("SOURCE_TOO_LARGE", `${file}: ${size} bytes is above the ${max}-byte cap`, {
      stage: "extract",
      file,
      hint: "raise max_file_bytes in the mapping if the extract is genuine",
    });
  }
  if (size === 0) {
    throw new PhinError("SOURCE_EMPTY", `${file}: the extract is empty`, {
      stage: "extract",
      file,
      hint: "re-export the extract; an empty file usually means the export failed",
    });
  }
  const stream = createReadStream(path, { highWaterMark: options.highWaterMark ?? 1 << 16 });
  const lineAt = (offset: number) => lineAtOffset(path, offset);
  const text = decodeText(stream, options.encoding, file, lineAt);
  return { stream, size, text };
}

/**
 * The line (1-based) of the byte at `offset` in the file at `path`: one more than the line
 * feeds before it. Read only when a message needs it, so no line is counted on the way.
 */
async function lineAtOffset(path: string, offset: number): Promise<number> {
  let line = 1;
  if (offset <= 0) return line;
  for await (const chunk of createReadStream(path, { end: offset - 1 })) {
    const bytes = chunk as Buffer;
    for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) line++;
  }
  return line;
}

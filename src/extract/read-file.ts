// Opens an extract for streaming: missing files, oversized files and empty files are reported
// before any parsing starts.
import { createReadStream, type ReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { PhinError } from "../errors.ts";

/** Bytes per read: large enough that a read is cheap, small enough to stream. */
const READ_CHUNK_BYTES = 1 << 16;

export async function openExtract(
  path: string,
  file: string,
  maxFileBytes: number,
  highWaterMark = READ_CHUNK_BYTES,
): Promise<{ stream: ReadStream; size: number }> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error("not a regular file");
    size = info.size;
  } catch (cause) {
    throw new PhinError(
      "SOURCE_NOT_FOUND",
      `${file}: the extract does not exist or is not a file`,
      {
        stage: "extract",
        file,
        cause,
        hint: "check the source path in the configuration and that the period's extract was exported",
      },
    );
  }
  if (size > maxFileBytes) {
    throw new PhinError(
      "SOURCE_TOO_LARGE",
      `${file}: ${size} bytes is above the ${maxFileBytes}-byte cap`,
      {
        stage: "extract",
        file,
        hint: "raise max_file_bytes in the mapping if the extract is genuine",
      },
    );
  }
  if (size === 0) {
    throw new PhinError("SOURCE_EMPTY", `${file}: the extract is empty`, {
      stage: "extract",
      file,
      hint: "re-export the extract; an empty file usually means the export failed",
    });
  }
  return { stream: createReadStream(path, { highWaterMark }), size };
}

/**
 * The line (1-based) of the byte at `offset` in the file at `path`: one more than the line
 * feeds before it. Read only when a message needs it, so no line is counted on the way.
 */
export async function lineAtOffset(path: string, offset: number): Promise<number> {
  let line = 1;
  if (offset <= 0) return line;
  for await (const chunk of createReadStream(path, { end: offset - 1 })) {
    const bytes = chunk as Buffer;
    for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) line++;
  }
  return line;
}

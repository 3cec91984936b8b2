// XML text to record trees. saxes checks that the text is well-formed XML 1.0 (strict; no DTD;
// only the five predefined entities and character references); the handlers here find the record
// elements and build each one only along the paths the mapping reads.
// Errors name the line and never quote the document (an unescaped "<" turns data into "element
// names"), so saxes's messages, which quote names, are replaced by our own words.
import { SaxesParser, type SaxesTagPlain } from "saxes";
import { PhinError } from "../errors.ts";
import { Batcher, type SourceBatch, type SourceLimits } from "./source.ts";
import { type PathNode, XmlElement, XmlPaths } from "./xml-element.ts";

/** Deepest element nesting accepted: no real extract comes near it; a hostile one could. */
const MAX_DEPTH = 256;
/** XML 1.0 whatever the declaration says; no namespace processing (names are read as written). */
const PARSER_OPTIONS = { xmlns: false, forceXMLVersion: true, defaultXMLVersion: "1.0" } as const;
const NOT_BLANK = /[^ \t\r\n]/;
/** An & that does not start a reference: saxes then reads on to the next ";", lines later. */
const BARE_AMPERSAND = /&(?!#[0-9]+;|#x[0-9a-fA-F]+;|[A-Za-z_:][\w.:-]*;)/;
const AMPERSAND = "an & that does not start a valid reference (write &amp;)";

const SAXES_ERROR = /^\d+:\d+: /;
/** saxes's messages (they quote names from the document), first match, and what we say. */
const SAXES_MESSAGES: readonly (readonly [RegExp, string])[] = [
  [/^disallowed character\.$/, "a character that XML does not allow (such as NUL or U+FFFE)"],
  [/^duplicate attribute/, "an attribute given twice in one tag"],
  [/^unquoted attribute value/, "an attribute value that is not quoted"],
  [/^the string "\]\]>"/, "]]> in text, which XML does not allow (write ]]&gt;)"],
  [/^unexpected close tag/, "an end tag that does not match the element it closes"],
  [/^unmatched closing tag/, "an end tag with no open element"],
  [/^documents may contain only one root/, "a second root element"],
  [/^undefined entity/, "a reference to an undeclared entity (only the five XML entities)"],
  [/^malformed character entity/, "a character reference to a character XML does not allow"],
  [/^malformed comment/, "a comment that is not well-formed"],
  [/entity/, AMPERSAND],
  [/attribute/, "a tag whose attributes are not well-formed"],
  [/tag|name/, "a tag that is not well-formed"],
  [/XML declaration|processing instruction/, "an XML declaration or PI that is not well-formed"],
];

type XmlErrorCode = "XML_MALFORMED" | "XML_FORBIDDEN" | "RECORD_TOO_LARGE" | "SOURCE_TOO_LARGE";

const HINTS: Record<XmlErrorCode, string> = {
  XML_MALFORMED: "re-export the extract; the file is not well-formed XML",
  XML_FORBIDDEN: "export the file without a DOCTYPE or entity declarations",
  RECORD_TOO_LARGE: "raise max_record_bytes in the mapping if the extract is genuine",
  SOURCE_TOO_LARGE: "raise max_records in the mapping if the extract is genuine",
};

/** Blank text (not CDATA) before any other is indentation, not part of a value. */
function isBlank(text: string, cdata: boolean): boolean {
  return cdata ? text === "" : !NOT_BLANK.test(text);
}

function lineBreaks(text: string): number {
  return text.match(/\r\n?|\n/g)?.length ?? 0;
}

/** Reads one XML document written to it chunk by chunk; records come out in batches. */
export class XmlRecordReader {
  readonly #file: string;
  readonly #limits: SourceLimits;
  readonly #recordNames: readonly string[];
  readonly #parser = new SaxesParser(PARSER_OPTIONS);
  sawRoot = false;
  sawRecord = false;
  /** Depth of open elements, and how many of the outermost match the record path. */
  #depth = 0;
  #matched = 0;
  /** Inside a record: the path node and the built element (or null) of each open element. */
  readonly #nodes: PathNode[] = [];
  readonly #open: (XmlElement | null)[] = [];
  readonly #paths = new XmlPaths();
  /** Line and offset of the start tag of the record being read. */
  #recordLine = 1;
  #recordAt = 0;
  /** Offset and line just after the last parser event. */
  #markAt = 0;
  #markLine = 1;
  /** The text written since just before the last event (for errors that look back). */
  #recent: string[] = [];
  #recentAt = 0;
  readonly #batcher = new Batcher<XmlElement>();

  constructor(file: string, recordNames: readonly string[], limits: SourceLimits) {
    this.#file = file;
    this.#recordNames = recordNames;
    this.#limits = limits;
    // Seven handlers at most: saxes adds each as a property of the parser, and with an eighth
    // V8 stores them all in a dictionary, which makes the parse three times slower. So saxes's
    // errors are caught as thrown (#guard), not through an error handler.
    const p = this.#parser;
    p.on("opentag", (tag) => this.#openTag(tag));
    p.on("closetag", () => this.#closeTag());
    p.on("text", (text) => this.#text(text, false));
    p.on("cdata", (text) => this.#text(text, true));
    p.on("comment", () => this.#mark());
    p.on("processinginstruction", () => this.#mark());
    p.on("doctype", (doctype) => {
      throw this.#error(
        "XML_FORBIDDEN",
        p.line - lineBreaks(doctype),
        "a DOCTYPE declaration, which is refused (entity expansion and external entities)",
      );
    });
  }

  write(chunk: string): void {
    this.#recent.push(chunk);
    this.#guard(() => this.#parser.write(chunk));
    const p = this.#parser;
    const max = this.#limits.maxRecordBytes;
    const inRecord = this.#open.length > 0;
    if (p.position - (inRecord ? this.#recordAt : this.#markAt) > max) {
      const amp = this.#bareAmpersand();
      if (amp !== null) throw this.#error("XML_MALFORMED", amp, AMPERSAND);
      throw inRecord
        ? this.#recordTooLarge()
        : this.#error(
            "RECORD_TOO_LARGE",
            p.line,
            `a tag, comment or text outside the records is larger than max_record_bytes (${max})`,
          );
    }
    const recent = this.#recent;
    while (recent.length > 1 && this.#recentAt + (recent[0] as string).length < this.#markAt - 1)
      this.#recentAt += (recent.shift() as string).length;
  }

  /** The document is complete: final checks, and the last batch. */
  end(): void {
    this.#guard(() => this.#parser.close());
    this.#batcher.flush();
  }

  /** Batches completed since the last call. */
  takeBatches(): SourceBatch<XmlElement>[] {
    return this.#batcher.take();
  }

  /**
   * saxes throws an Error "line:column: what" where the text is not well-formed: told in our own
   * words. Anything else (ours, or a bug) goes on as it is.
   */
  #guard(run: () => void): void {
    try {
      run();
    } catch (error) {
      if (
        error instanceof Error &&
        !(error instanceof PhinError) &&
        SAXES_ERROR.test(error.message)
      )
        throw this.#fromSaxes(error.message.replace(SAXES_ERROR, ""));
      throw error;
    }
  }

  #error(code: XmlErrorCode, line: number, message: string): PhinError {
    return new PhinError(code, `${this.#file}:${line}: ${message}`, {
      stage: "extract",
      file: this.#file,
      line,
      hint: HINTS[code],
    });
  }

  #sinceMark(): string {
    return this.#recent.join("").slice(Math.max(0, this.#markAt - 1 - this.#recentAt));
  }

  /** The line of a bare & after the last event, or null. */
  #bareAmpersand(): number | null {
    const text = this.#sinceMark();
    const at = text.search(BARE_AMPERSAND);
    return at === -1 ? null : this.#markLine + lineBreaks(text.slice(0, at));
  }

  #fromSaxes(what: string): PhinError {
    const line = this.#parser.line;
    if (what.startsWith("document must contain a root")) {
      return new PhinError("SOURCE_EMPTY", `${this.#file}: the extract holds no XML element`, {
        stage: "extract",
        file: this.#file,
        hint: "re-export the extract; an empty file usually means the export failed",
      });
    }
    const ends = what.startsWith("unclosed tag") || what.startsWith("unexpected end");
    if (ends || what.includes("entity")) {
      const amp = this.#bareAmpersand();
      if (amp !== null) return this.#error("XML_MALFORMED", amp, AMPERSAND);
    }
    if (ends) {
      const open = this.#depth;
      return this.#error(
        "XML_MALFORMED",
        line,
        open === 0 || this.#sinceMark().includes("<")
          ? "the document ends inside a tag, comment or declaration"
          : `the document ends with ${open} element${open === 1 ? "" : "s"} still open`,
      );
    }
    if (what.startsWith("text data outside")) {
      const where = this.sawRoot ? "after" : "before";
      return this.#error("XML_MALFORMED", line, `text ${where} the root element`);
    }
    if (what.startsWith("incorrect syntax")) {
      const text = this.#sinceMark();
      return text.startsWith("<!ENTITY", text.indexOf("<!"))
        ? this.#error("XML_FORBIDDEN", line, "an ENTITY declaration, which is refused")
        : this.#error("XML_MALFORMED", line, "an unknown <! declaration");
    }
    if (what.startsWith("inappropriately located doctype"))
      return this.#error("XML_FORBIDDEN", line, "a DOCTYPE declaration, which is refused");
    const known = SAXES_MESSAGES.find(([pattern]) => pattern.test(what));
    return this.#error("XML_MALFORMED", line, known?.[1] ?? "the file is not well-formed XML");
  }

  #mark(): void {
    this.#markAt = this.#parser.position;
    this.#markLine = this.#parser.line;
  }

  #openTag(tag: SaxesTagPlain): void {
    // The tag's "<" comes right after the last event (any text before it is an event).
    const tagLine = this.#markLine;
    const tagAt = this.#markAt;
    this.#mark();
    const depth = this.#depth++;
    if (depth >= MAX_DEPTH) {
      throw this.#error(
        "XML_MALFORMED",
        this.#parser.line,
        `elements nested more than ${MAX_DEPTH} deep`,
      );
    }
    this.sawRoot = true;
    const open = this.#open;
    let node: PathNode;
    let el: XmlElement | null = null;
    if (open.length > 0) {
      const parent = open[open.length - 1] as XmlElement | null;
      node = this.#paths.child(this.#nodes[this.#nodes.length - 1] as PathNode, tag.name);
      if (parent !== null) {
        parent.holdsElements = true;
        if (node.build) {
          el = new XmlElement(tag.name);
          if (parent.children === null) parent.children = [el];
          else parent.children.push(el);
        }
      }
    } else {
      if (this.#matched !== depth || tag.name !== this.#recordNames[depth]) return;
      if (++this.#matched < this.#recordNames.length) return;
      node = this.#paths.root;
      el = new XmlElement(tag.name);
      this.sawRecord = true;
      this.#recordLine = tagLine;
      this.#recordAt = tagAt;
    }
    const keep = node.keepAttributes;
    const attributes = tag.attributes;
    for (const name in attributes) {
      this.#paths.sawAttribute(node, name);
      if (el !== null && (keep === null || keep.has(name))) {
        el.attrs ??= [];
        el.attrs.push(name, (attributes[name] as string).trim());
      }
    }
    this.#nodes.push(node);
    open.push(el);
  }

  #closeTag(): void {
    this.#mark();
    const depth = --this.#depth;
    if (this.#matched > depth) this.#matched = depth;
    const open = this.#open;
    if (open.length === 0) return;
    this.#nodes.pop();
    const el = open.pop() as XmlElement | null;
    if (el !== null && el.text !== "") el.text = el.text.trim();
    if (open.length === 0) this.#emit(el as XmlElement);
  }

  /** Text or CDATA: kept where the mapping reads it, noted (for column names) wherever not blank. */
  #text(text: string, cdata: boolean): void {
    this.#mark();
    const depth = this.#open.length;
    if (depth === 0) return;
    const node = this.#nodes[depth - 1] as PathNode;
    const el = this.#open[depth - 1] as XmlElement | null;
    if (el === null || !node.keepText) {
      if (!node.hasText && !isBlank(text, cdata)) node.hasText = true;
    } else if (el.text !== "" || !isBlank(text, cdata)) {
      node.hasText = true;
      el.text += text;
    }
  }

  #emit(record: XmlElement): void {
    const size = this.#parser.position - this.#recordAt;
    if (size > this.#limits.maxRecordBytes) throw this.#recordTooLarge();
    const { maxRecords } = this.#limits;
    if (this.#batcher.count === maxRecords) {
      const message = `more than ${maxRecords} records (max_records)`;
      throw this.#error("SOURCE_TOO_LARGE", this.#recordLine, message);
    }
    this.#batcher.add(record, this.#recordLine, size);
  }

  #recordTooLarge(): PhinError {
    const message = `the record element is larger than max_record_bytes (${this.#limits.maxRecordBytes})`;
    return this.#error("RECORD_TOO_LARGE", this.#recordLine, message);
  }

  /** Build only what these relative paths need, from the next element on. */
  restrict(paths: Iterable<string>): void {
    this.#paths.restrict(paths);
  }

  columnNames(): string[] {
    return this.#paths.columnNames();
  }
}

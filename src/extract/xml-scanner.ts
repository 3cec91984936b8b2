// The XML scanner: a single pass over the decoded text, chunk by chunk, tracking the element
// stack; inside a record element it builds a small tree (XmlElement) straight from the
// characters, so a 1 GB export never becomes one string and each record is tokenized exactly
// once. DOCTYPE and ENTITY declarations are refused outright (entity expansion, external
// entities); the only references decoded are the five predefined entities and numeric character
// references, and any other `&name;` is refused.
//
// Messages name the line, never a name or text from the document: when an export forgets to
// escape "<" in a value, words of that value turn into "element names".
import { PhinError } from "../errors.ts";
import { BATCH_CHARS, type SourceLimits } from "./source.ts";
import { attributeOf, XmlElement } from "./xml-element.ts";
import { decodeReferences, firstBadReference, referenceProblem } from "./xml-entities.ts";

/**
 * Records per XML batch, below the shared BATCH_SIZE: a record's element tree is garbage once
 * the batch is mapped, and a smaller batch lets it die in V8's young generation instead of being
 * copied and promoted by the scavenger (GC was ~25% of an XML run, most of it these trees). The
 * per-batch cost downstream (one write, one drain) stays small at this size. 64, not 128: a
 * batch of 128 CarePoint records allocates more than the 8 MB young generation holds (200k
 * records: 36 full collections and 1.8 s of scavenges against 4 and 0.7 s).
 */
const XML_BATCH_SIZE = 64;
/** Distinct element and attribute paths remembered (column names for the report). */
const MAX_COLUMN_NAMES = 2000;
/** Deepest element nesting accepted: no real extract comes near it; a hostile one could. */
const MAX_DEPTH = 256;

/**
 * One relative element path inside records (the trie of every path seen, and of the paths the
 * mapping reads). It lists column names for the "left behind" report and, once restrictTo has
 * been called, says what the scanner builds: elements on no read path are scanned (well-formed,
 * references checked) but never become objects or strings.
 */
class PathNode {
  /** Relative path from the record element; "" for the record element itself. */
  readonly path: string;
  readonly children = new Map<string, PathNode>();
  /** Attribute names seen on elements at this path. */
  readonly attributes = new Set<string>();
  /** Text that is not blank was seen in an element at this path. */
  hasText = false;
  /** Build elements at this path (they are on a read path). */
  build: boolean;
  /** Keep the text of elements at this path. */
  keepText: boolean;
  /** Attributes kept; null: all. */
  keepAttributes: Set<string> | null;
  constructor(path: string, keep: boolean) {
    this.path = path;
    this.build = keep;
    this.keepText = keep;
    this.keepAttributes = keep ? null : new Set();
  }
}

export type ScanResult = "more" | "full" | "end";
type XmlErrorCode = "XML_MALFORMED" | "XML_FORBIDDEN" | "RECORD_TOO_LARGE" | "SOURCE_TOO_LARGE";

const NONE = Number.MAX_SAFE_INTEGER;
const NAME_SLOTS_MASK = 1023;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** `text` holds `word` at `at` (the caller checked the length fits); a loop beats startsWith here. */
function sameAt(text: string, at: number, word: string): boolean {
  for (let i = 0; i < word.length; i++)
    if (text.charCodeAt(at + i) !== word.charCodeAt(i)) return false;
  return true;
}

/**
 * A copy of text[from, to) that does not share the chunk's memory (a slice of 13 or more
 * characters is a view that would keep the whole 64 KiB chunk alive for as long as a long-lived
 * table holds the name).
 */
function detach(text: string, from: number, to: number): string {
  let out = "";
  for (let at = from; at < to; at += 1024) {
    const codes: number[] = [];
    for (let i = at; i < Math.min(to, at + 1024); i++) codes.push(text.charCodeAt(i));
    out += String.fromCharCode(...codes);
  }
  return out;
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let at = text.indexOf("\n", from); at !== -1 && at < to; at = text.indexOf("\n", at + 1))
    n++;
  return n;
}

export class XmlScanner {
  readonly #file: string;
  readonly #limits: SourceLimits;
  readonly #recordNames: readonly string[];
  /** Text not yet consumed starts at #pos; #buf[0] is at absolute offset #base. */
  #buf = "";
  #pos = 0;
  #base = 0;
  eof = false;
  /** Lines are counted lazily: #line is the line at position #counted of #buf. */
  #line = 1;
  #counted = 0;
  /** Position of the next '&' at or after some earlier position; -1 unknown; NONE none. */
  #nextAmp = -1;
  /** Names of the open elements, root first. */
  readonly #stack: string[] = [];
  /** How many leading #stack entries equal the record path. */
  #matched = 0;
  sawRoot = false;
  /** Inside a record: the path node and the built element (or null) of each open element. */
  readonly #nodes: PathNode[] = [];
  readonly #open: (XmlElement | null)[] = [];
  #recordStartAbs = 0;
  #recordLine = 0;
  #recordCount = 0;
  /** Every relative path seen (capped), and what to build. */
  readonly root = new PathNode("", true);
  #pathCount = 0;
  restricted = false;
  /** Shared node for paths beyond the cap: never listed, built only when unrestricted. */
  readonly #overflow = new PathNode("", true);
  /** Interned element and attribute names by hash (see #intern). */
  readonly #names: (string | undefined)[] = new Array(NAME_SLOTS_MASK + 1).fill(undefined);
  /**
   * By the slot of a start tag's name: the name of the start tag that came next last time, and
   * its slot. Exports repeat one layout record after record, so the next name is nearly always
   * the one seen after the same name before, and checking that guess in place spares the hash
   * loop and the table (the name loop was ~9 % of the scanner).
   */
  readonly #after: (string | undefined)[] = new Array(NAME_SLOTS_MASK + 1).fill(undefined);
  readonly #afterSlot = new Int32Array(NAME_SLOTS_MASK + 1);
  /** Slot of the last start tag's name. */
  #lastSlot = 0;
  rows: XmlElement[] = [];
  /** Characters of the records in `rows` (see BATCH_CHARS). */
  batchChars = 0;
  lines: number[] = [];

  constructor(file: string, recordNames: readonly string[], limits: SourceLimits) {
    this.#file = file;
    this.#recordNames = recordNames;
    this.#limits = limits;
  }

  #error(code: XmlErrorCode, line: number, message: string): PhinError {
    const hint =
      code === "RECORD_TOO_LARGE"
        ? "raise max_record_bytes in the mapping if the extract is genuine"
        : code === "SOURCE_TOO_LARGE"
          ? "raise max_records in the mapping if the extract is genuine"
          : code === "XML_FORBIDDEN"
            ? "export the file without a DOCTYPE or entity declarations"
            : "re-export the extract; the file is not well-formed XML";
    return new PhinError(code, `${this.#file}:${line}: ${message}`, {
      stage: "extract",
      file: this.#file,
      line,
      hint,
    });
  }

  /**
   * The name at #buf[from, to) (hash computed by the caller), from a small table of names seen
   * before: element and attribute names repeat in every record, so this saves allocating them.
   */
  #intern(from: number, to: number, hash: number): string {
    const slot = hash & NAME_SLOTS_MASK;
    const known = this.#names[slot];
    if (known !== undefined && known.length === to - from && sameAt(this.#buf, from, known))
      return known;
    const name = detach(this.#buf, from, to);
    this.#names[slot] = name;
    return name;
  }

  /** The path node for child `name` of `parent`, created (up to the cap) on first sight. */
  child(parent: PathNode, name: string): PathNode {
    const known = parent.children.get(name);
    if (known !== undefined) return known;
    if (parent === this.#overflow || this.#pathCount >= MAX_COLUMN_NAMES) return this.#overflow;
    this.#pathCount++;
    const node = new PathNode(
      parent.path === "" ? name : `${parent.path}/${name}`,
      !this.restricted,
    );
    parent.children.set(name, node);
    return node;
  }

  #lineAt(at: number): number {
    if (at > this.#counted) this.#line += countLines(this.#buf, this.#counted, at);
    else if (at < this.#counted) this.#line -= countLines(this.#buf, at, this.#counted);
    this.#counted = at;
    return this.#line;
  }

  /** Append decoded text, dropping what has been consumed. */
  push(chunk: string): void {
    const keep = this.#pos;
    if (keep > this.#counted) this.#lineAt(keep);
    this.#counted -= keep;
    this.#base += keep;
    this.#pos = 0;
    this.#nextAmp = -1;
    if (keep >= this.#buf.length) this.#buf = chunk;
    // Joined, not concatenated: `a + b` is a rope (a cons string), and even once flattened it
    // stays a cons whose every charCodeAt goes through one more indirection (the scanner's
    // character loops ran ~1.5x slower on it); Array.join builds a flat string.
    else this.#buf = [this.#buf.slice(keep), chunk].join("");
  }

  #firstAmp(from: number): number {
    if (this.#nextAmp < from) {
      const at = this.#buf.indexOf("&", from);
      this.#nextAmp = at === -1 ? NONE : at;
    }
    return this.#nextAmp;
  }

  /** Refuse bad references in #buf[from, to); true when there are references to decode. */
  #checkReferences(from: number, to: number): boolean {
    if (this.#firstAmp(from) >= to) return false;
    const bad = firstBadReference(this.#buf, this.#nextAmp, to);
    if (bad !== -1) {
      const problem = referenceProblem(this.#buf, bad, to);
      throw problem === "undeclared"
        ? this.#error(
            "XML_FORBIDDEN",
            this.#lineAt(bad),
            "a reference to an undeclared entity (only the five XML entities are accepted)",
          )
        : this.#error(
            "XML_MALFORMED",
            this.#lineAt(bad),
            "an & that does not start a valid reference (write &amp;)",
          );
    }
    this.#nextAmp = -1;
    return true;
  }

  #blank(from: number, to: number): boolean {
    const buf = this.#buf;
    for (let p = from; p < to; p++) if (!isSpace(buf.charCodeAt(p))) return false;
    return true;
  }

  /** Text between constructs, from..to. */
  #text(from: number, to: number): void {
    if (this.#stack.length === 0) {
      for (let p = from; p < to; p++) {
        if (!isSpace(this.#buf.charCodeAt(p))) {
          throw this.#error(
            "XML_MALFORMED",
            this.#lineAt(p),
            this.sawRoot ? "text after the root element" : "text before the root element",
          );
        }
      }
      return;
    }
    const hasReferences = this.#checkReferences(from, to);
    const depth = this.#nodes.length;
    if (depth === 0) return;
    const node = this.#nodes[depth - 1] as PathNode;
    const el = this.#open[depth - 1] as XmlElement | null;
    if (el === null || !node.keepText) {
      if (!node.hasText && !this.#blank(from, to)) node.hasText = true;
      return;
    }
    if (el.text === "" && this.#blank(from, to)) return;
    node.hasText = true;
    const raw = this.#buf.slice(from, to);
    const text = hasReferences ? decodeReferences(raw) : raw;
    el.text = el.text === "" ? text : el.text + text;
  }

  /** CDATA content at #buf[from, to): text as written. */
  #cdata(from: number, to: number): void {
    const depth = this.#nodes.length;
    if (depth === 0 || to === from) return;
    const node = this.#nodes[depth - 1] as PathNode;
    const el = this.#open[depth - 1] as XmlElement | null;
    node.hasText = true;
    if (el !== null && node.keepText) el.text += this.#buf.slice(from, to);
  }

  /** Close the innermost element, which ends at `end`. */
  #popElement(end: number): void {
    const stack = this.#stack;
    stack.pop();
    if (this.#matched > stack.length) this.#matched = stack.length;
    const nodes = this.#nodes;
    if (nodes.length === 0) return;
    nodes.pop();
    const el = this.#open.pop() as XmlElement | null;
    if (el !== null && el.text !== "") el.text = el.text.trim();
    if (nodes.length === 0) this.#emit(el as XmlElement, end);
  }

  #emit(record: XmlElement, end: number): void {
    if (this.#base + end - this.#recordStartAbs > this.#limits.maxRecordBytes) {
      throw this.#error(
        "RECORD_TOO_LARGE",
        this.#recordLine,
        `the record element is larger than max_record_bytes (${this.#limits.maxRecordBytes})`,
      );
    }
    if (++this.#recordCount > this.#limits.maxRecords) {
      throw this.#error(
        "SOURCE_TOO_LARGE",
        this.#recordLine,
        `more than ${this.#limits.maxRecords} records (max_records)`,
      );
    }
    this.rows.push(record);
    this.lines.push(this.#recordLine);
    this.batchChars += this.#base + end - this.#recordStartAbs;
  }

  /** Not enough text to finish the construct at `at`: ask for more, or fail at the end. */
  #more(at: number): ScanResult {
    this.#pos = at;
    if (this.eof) {
      throw this.#error(
        "XML_MALFORMED",
        this.#lineAt(at),
        "the document ends inside a tag, comment or declaration",
      );
    }
    const max = this.#limits.maxRecordBytes;
    if (this.#nodes.length > 0) {
      if (this.#base + this.#buf.length - this.#recordStartAbs > max) {
        throw this.#error(
          "RECORD_TOO_LARGE",
          this.#recordLine,
          `the record element is larger than max_record_bytes (${max})`,
        );
      }
    } else if (this.#buf.length - at > max) {
      throw this.#error(
        "RECORD_TOO_LARGE",
        this.#lineAt(at),
        `a tag, comment or text outside the records is larger than max_record_bytes (${max})`,
      );
    }
    return "more";
  }

  /** A batch is ready: enough records, or enough text. */
  full(): boolean {
    return this.rows.length >= XML_BATCH_SIZE || this.batchChars >= BATCH_CHARS;
  }

  /** Scan until a batch is full, the text runs out ("more") or the document ends. */
  scan(): ScanResult {
    const buf = this.#buf;
    const n = buf.length;
    const stack = this.#stack;
    const nodes = this.#nodes;
    const open = this.#open;
    let pos = this.#pos;
    while (!this.full()) {
      const lt = buf.indexOf("<", pos);
      if (lt === -1) {
        if (!this.eof) return this.#more(pos);
        this.#text(pos, n);
        this.#pos = n;
        if (stack.length > 0) {
          throw this.#error(
            "XML_MALFORMED",
            this.#lineAt(n),
            `the document ends with ${stack.length} element${stack.length === 1 ? "" : "s"} still open`,
          );
        }
        return "end";
      }
      if (lt > pos) this.#text(pos, lt);
      pos = lt;
      const c1 = lt + 1 < n ? buf.charCodeAt(lt + 1) : -1;
      if (c1 === 47 /* / */) {
        // End tag: must close the innermost open element.
        const top = stack[stack.length - 1];
        // The usual one, `</name>` with the > right after the name: no search for the >.
        if (top !== undefined) {
          const at = lt + 2 + top.length;
          if (at < n && buf.charCodeAt(at) === 62 && sameAt(buf, lt + 2, top)) {
            pos = at + 1;
            this.#popElement(pos);
            continue;
          }
        }
        const gt = buf.indexOf(">", lt + 2);
        if (gt === -1) return this.#more(lt);
        let ok = top !== undefined && lt + 2 + top.length <= gt && sameAt(buf, lt + 2, top);
        if (ok) {
          for (let p = lt + 2 + (top as string).length; p < gt; p++)
            if (!isSpace(buf.charCodeAt(p))) ok = false;
        }
        if (!ok) {
          throw this.#error(
            "XML_MALFORMED",
            this.#lineAt(lt),
            top === undefined
              ? "an end tag with no open element"
              : "an end tag that does not match the element it closes",
          );
        }
        pos = gt + 1;
        this.#popElement(pos);
        continue;
      }
      if (c1 === 33 /* ! */) {
        if (n - lt < 9 && !this.eof) return this.#more(lt);
        if (buf.startsWith("<!--", lt)) {
          const end = buf.indexOf("-->", lt + 4);
          if (end === -1) return this.#more(lt);
          pos = end + 3;
          continue;
        }
        if (buf.startsWith("<![CDATA[", lt)) {
          const end = buf.indexOf("]]>", lt + 9);
          if (end === -1) return this.#more(lt);
          if (stack.length === 0)
            throw this.#error("XML_MALFORMED", this.#lineAt(lt), "CDATA outside the root element");
          this.#cdata(lt + 9, end);
          pos = end + 3;
          continue;
        }
        const what = buf.slice(lt + 2, lt + 9).toUpperCase();
        if (what.startsWith("DOCTYPE") || what.startsWith("ENTITY")) {
          throw this.#error(
            "XML_FORBIDDEN",
            this.#lineAt(lt),
            `${what.startsWith("DOCTYPE") ? "a DOCTYPE" : "an ENTITY"} declaration, which is refused (entity expansion and external entities)`,
          );
        }
        throw this.#error("XML_MALFORMED", this.#lineAt(lt), "an unknown <! declaration");
      }
      if (c1 === 63 /* ? */) {
        const end = buf.indexOf("?>", lt + 2);
        if (end === -1) return this.#more(lt);
        pos = end + 2;
        continue;
      }
      if (c1 === -1) return this.#more(lt);

      // Start tag: the name, then attributes read in place.
      let p = lt + 1;
      let name: string;
      let slot: number;
      const guess = this.#after[this.#lastSlot];
      const guessEnd = guess === undefined ? n : p + guess.length;
      const next = guessEnd < n ? buf.charCodeAt(guessEnd) : -1;
      if (
        (next === 62 /* > */ || next === 47 /* / */ || isSpace(next)) &&
        sameAt(buf, p, guess as string)
      ) {
        name = guess as string;
        slot = this.#afterSlot[this.#lastSlot] as number;
        p = guessEnd;
      } else {
        let hash = 0;
        for (; p < n; p++) {
          const c = buf.charCodeAt(p);
          if (c === 62 /* > */ || c === 47 /* / */ || isSpace(c)) break;
          hash = (hash * 31 + c) | 0;
        }
        if (p >= n) return this.#more(lt);
        if (p === lt + 1)
          throw this.#error("XML_MALFORMED", this.#lineAt(lt), "a tag without a name");
        name = this.#intern(lt + 1, p, hash);
        slot = hash & NAME_SLOTS_MASK;
        this.#after[this.#lastSlot] = name;
        this.#afterSlot[this.#lastSlot] = slot;
      }
      const depth = stack.length;
      const recordNames = this.#recordNames;
      const inRecord = nodes.length > 0;
      const matches =
        !inRecord &&
        this.#matched === depth &&
        depth < recordNames.length &&
        name === recordNames[depth];
      // The element's path node and whether it is built: inside a record, or the record itself.
      let node: PathNode | null = null;
      let parent: XmlElement | null = null;
      if (inRecord) {
        node = this.child(nodes[nodes.length - 1] as PathNode, name);
        parent = open[open.length - 1] as XmlElement | null;
      } else if (matches && depth + 1 === recordNames.length) node = this.root;
      const build = node?.build === true && (parent !== null || !inRecord);
      const keepAttributes = node === null ? null : node.keepAttributes;
      let attrs: string[] | null = null;
      let selfClosing = false;
      for (;;) {
        while (p < n && isSpace(buf.charCodeAt(p))) p++;
        if (p >= n) return this.#more(lt);
        const c = buf.charCodeAt(p);
        if (c === 62 /* > */) {
          p++;
          break;
        }
        if (c === 47 /* / */) {
          if (p + 1 >= n) return this.#more(lt);
          if (buf.charCodeAt(p + 1) !== 62) {
            throw this.#error("XML_MALFORMED", this.#lineAt(lt), "a tag that is not well-formed");
          }
          selfClosing = true;
          p += 2;
          break;
        }
        const attrStart = p;
        let attrHash = 0;
        for (; p < n; p++) {
          const a = buf.charCodeAt(p);
          if (
            a === 61 /* = */ ||
            a === 62 ||
            a === 47 ||
            a === 34 ||
            a === 39 ||
            a === 60 ||
            isSpace(a)
          )
            break;
          attrHash = (attrHash * 31 + a) | 0;
        }
        if (p >= n) return this.#more(lt);
        const attrEnd = p;
        while (p < n && isSpace(buf.charCodeAt(p))) p++;
        if (p + 1 >= n) return this.#more(lt);
        if (attrEnd === attrStart || buf.charCodeAt(p) !== 61) {
          throw this.#error(
            "XML_MALFORMED",
            this.#lineAt(lt),
            "a tag whose attributes are not well-formed",
          );
        }
        p++;
        while (p < n && isSpace(buf.charCodeAt(p))) p++;
        if (p >= n) return this.#more(lt);
        const quote = buf.charCodeAt(p);
        if (quote !== 34 && quote !== 39) {
          throw this.#error(
            "XML_MALFORMED",
            this.#lineAt(lt),
            "an attribute value that is not quoted",
          );
        }
        const close = buf.indexOf(quote === 34 ? '"' : "'", p + 1);
        if (close === -1) return this.#more(lt);
        const lessThan = buf.indexOf("<", p + 1);
        if (lessThan !== -1 && lessThan < close) {
          throw this.#error(
            "XML_MALFORMED",
            this.#lineAt(lt),
            "an attribute value that contains <",
          );
        }
        const hasReferences = this.#checkReferences(p + 1, close);
        if (node !== null) {
          const attrName = this.#intern(attrStart, attrEnd, attrHash);
          if (
            node !== this.#overflow &&
            !node.attributes.has(attrName) &&
            this.#pathCount < MAX_COLUMN_NAMES
          ) {
            node.attributes.add(attrName);
            this.#pathCount++;
          }
          if (build && (keepAttributes === null || keepAttributes.has(attrName))) {
            const raw = buf.slice(p + 1, close);
            attrs ??= [];
            attrs.push(attrName, (hasReferences ? decodeReferences(raw) : raw).trim());
          }
        }
        p = close + 1;
        const after = p < n ? buf.charCodeAt(p) : -1;
        if (after !== -1 && after !== 62 && after !== 47 && !isSpace(after)) {
          throw this.#error(
            "XML_MALFORMED",
            this.#lineAt(lt),
            "a tag whose attributes are not well-formed",
          );
        }
      }
      if (depth >= MAX_DEPTH) {
        throw this.#error(
          "XML_MALFORMED",
          this.#lineAt(lt),
          `elements nested more than ${MAX_DEPTH} deep`,
        );
      }
      if (depth === 0) {
        if (this.sawRoot)
          throw this.#error("XML_MALFORMED", this.#lineAt(lt), "a second root element");
        this.sawRoot = true;
      }
      stack.push(name);
      this.#lastSlot = slot;
      if (matches) this.#matched++;
      if (node !== null) {
        let el: XmlElement | null = null;
        if (build) {
          el = new XmlElement(name);
          if (attrs !== null) el.attrs = attrs;
          if (parent !== null) {
            if (parent.children === null) parent.children = [el];
            else parent.children.push(el);
          }
        }
        if (!inRecord) {
          this.#recordStartAbs = this.#base + lt;
          this.#recordLine = this.#lineAt(lt);
        }
        nodes.push(node);
        open.push(el);
      }
      pos = p;
      if (selfClosing) this.#popElement(pos);
    }
    this.#pos = pos;
    return "full";
  }

  /** Build only what these relative paths need (see PathNode). */
  restrict(paths: Iterable<string>): void {
    this.restricted = true;
    const reset = (node: PathNode) => {
      node.build = node.keepText = false;
      node.keepAttributes = new Set();
      for (const c of node.children.values()) reset(c);
    };
    reset(this.root);
    reset(this.#overflow);
    this.root.build = true;
    each: for (const path of paths) {
      const steps = path.split("/").filter((s) => s !== "." && s !== "");
      const last = steps[steps.length - 1];
      const attribute = last?.startsWith("@") ? last.slice(1) : undefined;
      let node = this.root;
      for (const step of attribute === undefined ? steps : steps.slice(0, -1)) {
        node = this.child(node, step);
        if (node === this.#overflow) continue each;
        node.build = true;
      }
      if (attribute === undefined) node.keepText = true;
      else node.keepAttributes?.add(attribute);
    }
    for (const row of this.rows) this.#prune(row, this.root);
  }

  /** Drop from a built element what the restriction does not keep (records read at open). */
  #prune(el: XmlElement, node: PathNode): void {
    if (!node.keepText) el.text = "";
    const keep = node.keepAttributes;
    if (el.attrs !== null && keep !== null) {
      const attrs = el.attrs.filter((_, i) => i % 2 === 0 && keep.has(el.attrs?.[i] as string));
      el.attrs =
        attrs.length === 0
          ? null
          : attrs.flatMap((name) => [name, attributeOf(el, name) as string]);
    }
    if (el.children !== null) {
      const kept: XmlElement[] = [];
      for (const c of el.children) {
        const child = node.children.get(c.name);
        if (child?.build === true) {
          this.#prune(c, child);
          kept.push(c);
        }
      }
      el.children = kept.length === 0 ? null : kept;
    }
  }

  /** Relative paths of text and attributes seen so far, capped. */
  columnNames(): string[] {
    const out: string[] = [];
    const walk = (node: PathNode) => {
      if (node.hasText) out.push(node.path === "" ? "." : node.path);
      for (const a of node.attributes) out.push(node.path === "" ? `@${a}` : `${node.path}/@${a}`);
      for (const c of node.children.values()) walk(c);
    };
    walk(this.root);
    return out.sort().slice(0, MAX_COLUMN_NAMES);
  }
}

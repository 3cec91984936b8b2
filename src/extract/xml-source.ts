// XML extracts as a Source, streamed one record element at a time: a small scanner follows the
// element nesting through the decoded text and builds each record element's tree as it goes
// (xml-record-builder.ts), so a 1 GB export never becomes one string. DOCTYPE and entity
// declarations are refused outright (billion laughs, external entities); entity processing is
// ours and covers only the predefined and numeric references.
import { PhinError } from "../errors.ts";
import { decodeText, type TextEncoding } from "./decode.ts";
import { openExtract } from "./read-file.ts";
import type {
  GroupAccessor,
  OpenedSource,
  SourceBatch,
  SourceLimits,
  ValueAccessor,
} from "./source.ts";
import { BATCH_SIZE } from "./source.ts";
import { decodeReferences, firstUndeclaredReference } from "./xml-entities.ts";
import { parseAttributes, RecordBuilder } from "./xml-record-builder.ts";

/** One record element: its text, or "@attr" / child name -> node(s) / "#text" / "#cdata". */
export type XmlNode = string | { readonly [name: string]: XmlNode | readonly XmlNode[] };
export type XmlRecord = XmlNode;

export interface XmlSourceOptions {
  readonly path: string;
  readonly file: string;
  readonly encoding: TextEncoding;
  /** Element names from the root to the record element, `/`-separated. */
  readonly recordPath: string;
  readonly limits: SourceLimits;
  readonly highWaterMark?: number;
}

const TEXT = "#text";
const CDATA = "#cdata";
const MAX_COLUMN_NAMES = 2000;
const nameChar = /[\s/>]/;

/** The text of a node: element text with references decoded, CDATA as written. */
function textOf(node: XmlNode | readonly XmlNode[] | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (Array.isArray(node)) return textOf(node[0] as XmlNode | undefined);
  if (typeof node === "string") return decodeReferences(node).trim();
  const obj = node as Record<string, XmlNode>;
  const text = obj[TEXT];
  const cdata = obj[CDATA];
  if (text === undefined && cdata === undefined) {
    // An element with children or attributes only has no text of its own.
    return Object.keys(obj).every((k) => k.startsWith("@")) ? "" : undefined;
  }
  const parts = [
    typeof text === "string" ? decodeReferences(text) : "",
    ...(Array.isArray(cdata) ? cdata : [cdata ?? ""]),
  ];
  return parts.join("").trim();
}

function child(node: XmlNode | undefined, name: string): XmlNode | readonly XmlNode[] | undefined {
  if (node === undefined || typeof node === "string") return undefined;
  return (node as Record<string, XmlNode | readonly XmlNode[]>)[name];
}

const first = (n: XmlNode | readonly XmlNode[] | undefined): XmlNode | undefined =>
  Array.isArray(n) ? (n[0] as XmlNode | undefined) : (n as XmlNode | undefined);

/** Compile `a/b/@c` (or `.`) into a function from a node to its value. */
function compilePath(path: string): ValueAccessor<XmlNode> {
  const steps = path === "." ? [] : path.split("/");
  const last = steps[steps.length - 1];
  if (last?.startsWith("@")) {
    const elements = steps.slice(0, -1);
    return (row) => {
      let node: XmlNode | undefined = row;
      for (const s of elements) node = first(child(node, s));
      const value = first(child(node, last));
      return typeof value === "string" ? decodeReferences(value).trim() : undefined;
    };
  }
  return (row) => {
    let node: XmlNode | undefined = row;
    for (const s of steps) {
      node = first(child(node, s));
      if (node === undefined) return undefined;
    }
    return textOf(node);
  };
}

function compileGroup(path: string): GroupAccessor<XmlNode> {
  const steps = path.split("/");
  return (row) => {
    let nodes: XmlNode[] = [row];
    for (const s of steps) {
      const next: XmlNode[] = [];
      for (const n of nodes) {
        const c = child(n, s);
        if (Array.isArray(c)) next.push(...(c as XmlNode[]));
        else if (c !== undefined) next.push(c as XmlNode);
      }
      nodes = next;
    }
    return nodes;
  };
}

function collectLeafPaths(node: XmlNode, prefix: string, out: Set<string>): void {
  if (out.size >= MAX_COLUMN_NAMES) return;
  if (typeof node === "string") {
    out.add(prefix === "" ? "." : prefix);
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === TEXT || key === CDATA) {
      out.add(prefix === "" ? "." : prefix);
      continue;
    }
    const path = prefix === "" ? key : `${prefix}/${key}`;
    for (const v of Array.isArray(value) ? value : [value])
      collectLeafPaths(v as XmlNode, path, out);
  }
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let at = text.indexOf("\n", from); at !== -1 && at < to; at = text.indexOf("\n", at + 1))
    n++;
  return n;
}

export async function openXmlSource(options: XmlSourceOptions): Promise<OpenedSource<XmlRecord>> {
  const { file, limits } = options;
  const recordNames = options.recordPath.split("/");
  const recordDepth = recordNames.length;
  const recordName = recordNames[recordDepth - 1] as string;
  const { stream, size } = await openExtract(
    options.path,
    file,
    limits.maxFileBytes,
    options.highWaterMark,
  );
  const chunks = decodeText(stream, options.encoding, file)[Symbol.asyncIterator]();

  const error = (
    code: "XML_MALFORMED" | "XML_FORBIDDEN" | "RECORD_TOO_LARGE" | "SOURCE_TOO_LARGE",
    line: number,
    message: string,
  ) => new PhinError(code, `${file}:${line}: ${message}`, { stage: "extract", file, line });

  let buf = "";
  let pos = 0;
  /** Newlines are counted lazily: `line` is the line at position `counted` of buf. */
  let line = 1;
  let counted = 0;
  const lineAt = (at: number): number => {
    if (at > counted) {
      line += countLines(buf, counted, at);
      counted = at;
    }
    return line;
  };
  let eof = false;
  let sawRoot = false;
  const stack: string[] = [];
  /** While inside a record: where its start tag begins in buf, and its line. */
  let recordStart = -1;
  let recordLine = 0;
  let recordCount = 0;
  const names = new Set<string>();
  let rows: XmlNode[] = [];
  let lines: number[] = [];

  const onStack = () =>
    stack.length === recordDepth &&
    stack[recordDepth - 1] === recordName &&
    stack.every((n, i) => n === recordNames[i]);

  const builder = new RecordBuilder();
  let lastNewName = 0;
  /** Absolute offset of buf[0] in the document, for record sizes across compactions. */
  let base = 0;
  let recordStartAbs = 0;

  const emitRecord = (record: XmlNode) => {
    // Column names for the "left behind" list: every record until the names stop changing for
    // a while, then every 64th (walking every tree measured 6 % of an XML run).
    if (
      names.size < MAX_COLUMN_NAMES &&
      (recordCount - lastNewName < 1000 || recordCount % 64 === 0)
    ) {
      const before = names.size;
      collectLeafPaths(record, "", names);
      if (names.size !== before) lastNewName = recordCount;
    }
    recordCount++;
    if (recordCount > limits.maxRecords)
      throw error("SOURCE_TOO_LARGE", recordLine, `more than ${limits.maxRecords} records`);
    rows.push(record);
    lines.push(recordLine);
    recordStart = -1;
  };

  /** Advance over one construct at pos; false when buf holds too little to finish it. */
  const step = (): boolean => {
    const lt = buf.indexOf("<", pos);
    if (lt === -1) {
      if (!eof) return false;
      if (stack.length > 0 || /\S/.test(buf.slice(pos))) {
        const last = lineAt(buf.length);
        if (stack.length > 0) {
          throw error(
            "XML_MALFORMED",
            last,
            `the document ends inside <${stack[stack.length - 1]}>`,
          );
        }
        throw error("XML_MALFORMED", lineAt(pos), "text after the root element");
      }
      pos = buf.length;
      return true;
    }
    if (lt > pos) {
      const segment = buf.slice(pos, lt);
      if (stack.length === 0 && /\S/.test(segment))
        throw error("XML_MALFORMED", lineAt(pos), "text outside the root element");
      const bad = firstUndeclaredReference(segment);
      if (bad !== -1)
        throw error(
          "XML_FORBIDDEN",
          lineAt(pos) + countLines(segment, 0, bad),
          "a reference to an undeclared entity (entities are refused)",
        );
      if (recordStart !== -1) builder.text(segment);
      pos = lt;
    }
    const next = buf.charCodeAt(pos + 1);
    let end: number;
    if (next === 63 /* ? */) {
      end = buf.indexOf("?>", pos + 2);
      if (end === -1) return false;
      end += 2;
    } else if (next === 33 /* ! */) {
      if (buf.length - pos < 9 && !eof) return false;
      if (buf.startsWith("<!--", pos)) {
        end = buf.indexOf("-->", pos + 4);
        if (end === -1) return false;
        end += 3;
      } else if (buf.startsWith("<![CDATA[", pos)) {
        end = buf.indexOf("]]>", pos + 9);
        if (end === -1) return false;
        if (recordStart !== -1) builder.cdata(buf.slice(pos + 9, end));
        end += 3;
      } else {
        const what = buf.slice(pos + 2, pos + 9).toUpperCase();
        if (what.startsWith("DOCTYPE") || what.startsWith("ENTITY")) {
          throw error(
            "XML_FORBIDDEN",
            lineAt(pos),
            `${what.startsWith("DOCTYPE") ? "DOCTYPE" : "ENTITY"} declarations are refused (entity expansion attacks)`,
          );
        }
        throw error("XML_MALFORMED", lineAt(pos), "an unexpected <! declaration");
      }
    } else {
      // A start or end tag; '>' inside quoted attribute values does not end it.
      let q = pos + 1;
      let quote = 0;
      for (; q < buf.length; q++) {
        const c = buf.charCodeAt(q);
        if (quote !== 0) {
          if (c === quote) quote = 0;
        } else if (c === 34 || c === 39) quote = c;
        else if (c === 62 /* > */) break;
      }
      if (q >= buf.length) return false;
      end = q + 1;
      const tag = buf.slice(pos, end);
      if (next === 47 /* / */) {
        const name = tag.slice(2, -1).trim();
        const open = stack.pop();
        if (open !== name)
          throw error(
            "XML_MALFORMED",
            lineAt(pos),
            open === undefined
              ? `an end tag </${name}> with no start tag`
              : `</${name}> closes <${open}>`,
          );
        pos = end;
        if (recordStart !== -1) {
          const record = builder.end();
          if (record !== undefined) emitRecord(record);
        }
        return true;
      }
      const nameEnd = tag.slice(1).search(nameChar);
      const name = nameEnd === -1 ? tag.slice(1, -1) : tag.slice(1, nameEnd + 1);
      if (name === "") throw error("XML_MALFORMED", lineAt(pos), "a tag without a name");
      const bad = firstUndeclaredReference(tag);
      if (bad !== -1)
        throw error(
          "XML_FORBIDDEN",
          lineAt(pos),
          "a reference to an undeclared entity (entities are refused)",
        );
      if (stack.length === 0) {
        if (sawRoot) throw error("XML_MALFORMED", lineAt(pos), "a second root element");
        sawRoot = true;
      }
      const selfClosing = tag.endsWith("/>");
      stack.push(name);
      if (recordStart === -1 && onStack()) {
        recordStart = pos;
        recordStartAbs = base + pos;
        recordLine = lineAt(pos);
      }
      if (recordStart !== -1) {
        const attrs = parseAttributes(tag, nameEnd === -1 ? tag.length - 1 : nameEnd + 1);
        if (attrs === undefined)
          throw error(
            "XML_MALFORMED",
            lineAt(pos),
            `the attributes of <${name}> are not well-formed`,
          );
        builder.start(name, attrs);
      }
      pos = end;
      if (selfClosing) {
        stack.pop();
        if (recordStart !== -1) {
          const record = builder.end();
          if (record !== undefined) emitRecord(record);
        }
      }
      return true;
    }
    pos = end;
    return true;
  };

  /** Scan until a batch of records is ready or the document ends. */
  const fill = async () => {
    while (rows.length < BATCH_SIZE) {
      if (pos >= buf.length && eof) break;
      if (step()) {
        if (recordStart !== -1 && base + pos - recordStartAbs > limits.maxRecordBytes) {
          throw error(
            "RECORD_TOO_LARGE",
            recordLine,
            "the record element is larger than the configured max_record_bytes",
          );
        }
        continue;
      }
      if (eof) {
        if (stack.length > 0)
          throw error(
            "XML_MALFORMED",
            lineAt(pos),
            `the document ends inside <${stack[stack.length - 1]}>`,
          );
        throw error(
          "XML_MALFORMED",
          lineAt(pos),
          "the document ends inside a tag, comment or declaration",
        );
      }
      // The open record is already in the builder: keep only the unfinished construct.
      const keep = pos;
      if (recordStart !== -1) recordStart = 0;
      lineAt(keep);
      counted -= keep;
      buf = buf.slice(keep);
      pos -= keep;
      base += keep;
      const next = await chunks.next();
      if (next.done) eof = true;
      else {
        buf += next.value;
        // Flatten the cons string once (charCodeAt on it stays slow), as in the CSV tokenizer.
        Number(buf);
      }
      if (
        recordStart !== -1 &&
        base + buf.length - recordStartAbs > limits.maxRecordBytes * 2 + 65536
      ) {
        throw error(
          "RECORD_TOO_LARGE",
          recordLine,
          "the record element is larger than the configured max_record_bytes",
        );
      }
    }
  };

  try {
    await fill();
    if (!sawRoot && pos >= buf.length && eof)
      throw new PhinError("SOURCE_EMPTY", `${file}: the extract holds no XML element`, {
        stage: "extract",
        file,
      });
    if (rows.length === 0) {
      throw new PhinError(
        "SOURCE_HEADER_ONLY",
        `${file}: no <${recordName}> records at ${options.recordPath}`,
        {
          stage: "extract",
          file,
          hint: "check record_path in the mapping and the export's date filter",
        },
      );
    }
  } catch (e) {
    stream.destroy();
    throw e;
  }

  return {
    file,
    value: compilePath,
    group: compileGroup,
    valueIn: (_group, path) => compilePath(path),
    columnNames: () => [...names].sort(),
    // Each record element is parsed whole; accessors read only mapped paths.
    restrictTo: () => {},
    async *batches(): AsyncGenerator<SourceBatch<XmlRecord>> {
      try {
        for (;;) {
          if (rows.length === 0) await fill();
          if (rows.length === 0) return;
          const batch = { rows, lines };
          rows = [];
          lines = [];
          yield batch;
        }
      } finally {
        stream.destroy();
      }
    },
    progress: () => ({ bytes: stream.bytesRead, totalBytes: size }),
    async close() {
      stream.destroy();
    },
  };
}

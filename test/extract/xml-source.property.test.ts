// Properties of the XML source: the record trees built from saxes's events along the mapped
// paths, and tags split across chunks. Random record trees are written out as XML in
// randomly chosen but equivalent spellings (references for any character, either quote, spaces
// inside tags, CDATA, comments and processing instructions between anything) and read back in
// random chunk sizes: every value, attribute and group must be what the tree says. Random damage
// to such a document must end in a PhinError or a clean read, never another exception.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PhinError } from "../../src/errors.ts";
import { defaultSourceLimits } from "../../src/extract/source.ts";
import { openXmlSource, type XmlRecord } from "../../src/extract/xml-source.ts";
import { rowsOf, scratch } from "./fixtures.ts";

const { write } = scratch("xml-property");

/** Names that are prefixes of each other or differ in one character only (a sloppy match). */
const names = ["N", "Na", "Nb", "Name", "B"] as const;
const attributeNames = ["a", "id", "ab"] as const;

type Node =
  | { kind: "text"; text: string; style: number }
  | { kind: "cdata"; text: string }
  | { kind: "comment" }
  | { kind: "pi" }
  | Element;
interface Element {
  kind: "element";
  name: string;
  attrs: [string, string, number][];
  children: Node[];
  /** Spelling choices for the tags (spaces, self-closing when empty). */
  style: number;
}

const textUnit = fc.constantFrom("a", "Z", "1", " ", "\n", "\t", "&", "<", ">", '"', "'", "é", "€");
// Attribute values: no line breaks or tabs, which XML would normalise to spaces.
const attrUnit = fc.constantFrom("a", "Z", "1", " ", "&", "<", ">", '"', "'", "é", "€");
const cdataUnit = fc.constantFrom("a", " ", "<", "&", "]", ">", "é");
// A CDATA section ends at its first "]]>", so its text cannot hold one.
const cdataText = fc.string({ unit: cdataUnit, maxLength: 6 }).filter((t) => !t.includes("]]>"));

const attrs = fc
  .subarray([...attributeNames])
  .chain((chosen) =>
    fc.tuple(
      ...chosen.map((name) =>
        fc.tuple(fc.constant(name), fc.string({ unit: attrUnit, maxLength: 6 }), fc.nat(7)),
      ),
    ),
  );

const tree = fc.letrec<{ element: Element; node: Node }>((tie) => ({
  element: fc.record({
    kind: fc.constant("element" as const),
    name: fc.constantFrom(...names),
    attrs,
    children: fc.array(tie("node"), { maxLength: 4, depthIdentifier: "tree" }),
    style: fc.nat(7),
  }) as fc.Arbitrary<Element>,
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true, depthIdentifier: "tree" },
    fc.record({
      kind: fc.constant("text" as const),
      text: fc.string({ unit: textUnit, maxLength: 8 }),
      style: fc.nat(7),
    }),
    // Indentation: blank text between the other nodes, as most exports are written.
    fc.record({
      kind: fc.constant("text" as const),
      text: fc.constantFrom(" ", "\n  ", "\t"),
      style: fc.constant(0),
    }),
    tie("element"),
    fc.record({ kind: fc.constant("cdata" as const), text: cdataText }),
    fc.record({ kind: fc.constant("comment" as const) }),
    fc.record({ kind: fc.constant("pi" as const) }),
  ) as fc.Arbitrary<Node>,
}));

/** A record: an `Item` element whose children come from the tree. */
const record = fc.record({
  attrs,
  children: fc.array(tree.node, { maxLength: 6 }),
  style: fc.nat(7),
});

// ---------------------------------------------------------------------------------------------
// Writing a tree as XML

/** One character as text, in one of its spellings. */
function spell(c: string, style: number, inAttribute: '"' | "'" | null): string {
  const code = c.codePointAt(0) as number;
  const numeric = style % 3 === 1 ? `&#${code};` : `&#x${code.toString(16).toUpperCase()};`;
  if (c === "&") return style % 3 === 0 ? "&amp;" : numeric;
  if (c === "<") return style % 3 === 0 ? "&lt;" : numeric;
  if (inAttribute !== null && c === inAttribute) return c === '"' ? "&quot;" : "&apos;";
  if (c === ">" && style % 2 === 0) return "&gt;";
  if (c === '"' && style % 4 === 1) return "&quot;";
  if (c === "'" && style % 4 === 2) return "&apos;";
  // Any other character may be written as a reference too.
  if (style % 5 === 4 && c !== "\n" && c !== "\t") return numeric;
  return c;
}

function writeText(text: string, style: number, quote: '"' | "'" | null): string {
  return [...text].map((c, i) => spell(c, style + i, quote)).join("");
}

function writeElement(name: string, attributes: Element["attrs"], body: Node[], style: number) {
  const space = ["", " ", "\t", "\n  "][style % 4] as string;
  let open = `<${name}`;
  for (const [attr, value, s] of attributes) {
    const quote = s % 2 === 0 ? '"' : "'";
    const eq = s % 3 === 0 ? " = " : "=";
    open += ` ${attr}${eq}${quote}${writeText(value, s, quote)}${quote}`;
  }
  if (body.length === 0 && style % 2 === 1) return `${open}${space}/>`;
  return `${open}${space}>${body.map(writeNode).join("")}</${name}${space}>`;
}

function writeNode(node: Node): string {
  switch (node.kind) {
    case "text":
      return writeText(node.text, node.style, null);
    case "cdata":
      return `<![CDATA[${node.text}]]>`;
    case "comment":
      return "<!-- a comment - with > and < inside -->";
    case "pi":
      return "<?pi with > inside?>";
    case "element":
      return writeElement(node.name, node.attrs, node.children, node.style);
  }
}

// ---------------------------------------------------------------------------------------------
// What the tree says a path reads (xml-element.ts: the first match at each step)

function textOf(el: { children: Node[] }): string | undefined {
  let text = "";
  let hasElements = false;
  for (const c of el.children) {
    if (c.kind === "text" || c.kind === "cdata") text += c.text;
    else if (c.kind === "element") hasElements = true;
  }
  text = text.trim();
  // An element holding only child elements has no text of its own.
  return text === "" && hasElements ? undefined : text;
}

type Holder = { attrs: Element["attrs"]; children: Node[] };

function firstChild(el: Holder, name: string): Element | undefined {
  return el.children.find((c): c is Element => c.kind === "element" && c.name === name);
}

/** A value path's element steps, and the attribute it ends in if any. */
function splitPath(path: string): { elements: string[]; attribute: string | undefined } {
  const steps = path.split("/").filter((s) => s !== ".");
  const last = steps.at(-1);
  return last?.startsWith("@")
    ? { elements: steps.slice(0, -1), attribute: last.slice(1) }
    : { elements: steps, attribute: undefined };
}

function expectedValue(item: Holder, path: string): string | undefined {
  const { elements, attribute } = splitPath(path);
  let el: Holder | undefined = item;
  for (const step of elements) {
    if (el === undefined) return undefined;
    el = firstChild(el, step);
  }
  if (el === undefined) return undefined;
  if (attribute === undefined) return textOf(el);
  return el.attrs.find(([name]) => name === attribute)?.[1].trim();
}

function expectedGroup(item: Holder, path: string): (string | undefined)[] {
  const steps = path.split("/");
  const out: (string | undefined)[] = [];
  const walk = (el: Holder, at: number) => {
    for (const c of el.children) {
      if (c.kind !== "element" || c.name !== steps[at]) continue;
      if (at === steps.length - 1) out.push(textOf(c));
      else walk(c, at + 1);
    }
  };
  walk(item, 0);
  return out;
}

/** The text or attribute of every element at `path` (not only the first match). */
function everyValue(item: Holder, path: string): string[] {
  const { elements, attribute } = splitPath(path);
  let at: Holder[] = [item];
  for (const step of elements)
    at = at.flatMap((el) =>
      el.children.filter((c): c is Element => c.kind === "element" && c.name === step),
    );
  return at.flatMap((el) =>
    attribute === undefined
      ? [textOf(el) ?? ""]
      : el.attrs.filter(([name]) => name === attribute).map(([, value]) => value.trim()),
  );
}

/** Every non-blank text and attribute value a built record holds. */
function heldValues(el: XmlRecord): string[] {
  const out: string[] = [];
  if (el.text !== "") out.push(el.text);
  for (let i = 1; i < (el.attrs?.length ?? 0); i += 2) out.push(el.attrs?.[i] as string);
  for (const c of el.children ?? []) out.push(...heldValues(c));
  return out.filter((v) => v !== "");
}

const valuePaths = [
  ".",
  ...attributeNames.map((a) => `@${a}`),
  ...names,
  ...names.flatMap((n) => names.map((m) => `${n}/${m}`)),
  ...names.flatMap((n) => attributeNames.map((a) => `${n}/@${a}`)),
  ...names.flatMap((n) => names.map((m) => `${n}/${m}/${names[0]}`)),
];
const groupPaths = [...names, ...names.map((n) => `${n}/${names[1]}`)];

type Item = Holder & { style: number };

function document(records: Item[], separators: number[]): { text: string; lines: number[] } {
  const between = ["\n", "", "<!-- between -->", "\n  \r\n\t"];
  let text = `<?xml version="1.0" encoding="UTF-8"?>\n<!-- head -->\n<Export version="1">\n<Items>`;
  const lines: number[] = [];
  records.forEach((r, i) => {
    text += between[(separators[i] ?? 0) % between.length];
    lines.push(text.split("\n").length);
    text += writeElement("Item", r.attrs, r.children, r.style);
  });
  return { text: `${text}\n</Items>\n</Export>\n`, lines };
}

let files = 0;
const open = (text: string, highWaterMark: number) =>
  openXmlSource({
    path: write(`doc-${++files}.xml`, text),
    file: "extracts/doc.xml",
    encoding: "utf-8",
    recordPath: "Export/Items/Item",
    limits: defaultSourceLimits,
    highWaterMark,
  });

const chunkSize = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.constant(1 << 16));

describe("XML source: properties", () => {
  it("any record tree, in any spelling and chunking, reads back as the tree says", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(3), { minLength: 5, maxLength: 5 }),
        chunkSize,
        async (records, separators, highWaterMark) => {
          const { text, lines } = document(records, separators);
          const source = await open(text, highWaterMark);
          const values = valuePaths.map((p) => source.value(p));
          const groups = groupPaths.map((p) => [source.group(p), source.valueIn(p, ".")] as const);
          const rows = await rowsOf<XmlRecord>(source);
          expect(rows.map((r) => r.line)).toEqual(lines);
          rows.forEach(({ row }, i) => {
            const item = records[i] as Holder;
            expect(values.map((v) => v(row))).toEqual(
              valuePaths.map((p) => expectedValue(item, p)),
            );
            expect(groups.map(([g, v]) => g(row).map(v))).toEqual(
              groupPaths.map((p) => expectedGroup(item, p)),
            );
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it("restricted to some paths, those paths read exactly the same", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { minLength: 1, maxLength: 5 }),
        fc.subarray(valuePaths, { minLength: 1 }),
        fc.oneof(fc.integer({ min: 8, max: 40 }), fc.constant(1 << 16)),
        async (some, read, highWaterMark) => {
          // Past one batch, so that restriction holds across batches.
          const records = Array.from({ length: Math.ceil(300 / some.length) }, () => some).flat();
          const { text } = document(records, []);
          const source = await open(text, highWaterMark);
          const values = read.map((p) => source.value(p));
          source.restrictTo(read);
          const rows = await rowsOf<XmlRecord>(source);
          expect(rows).toHaveLength(records.length);
          rows.forEach(({ row }, i) => {
            const item = records[i] as Holder;
            expect(values.map((v) => v(row))).toEqual(read.map((p) => expectedValue(item, p)));
            // Nothing off the read paths is kept: every text and attribute value the built
            // tree holds belongs to an element at a read path.
            const allowed = new Set(read.flatMap((p) => everyValue(item, p)));
            expect(heldValues(row).filter((v) => !allowed.has(v))).toEqual([]);
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it("a damaged document ends in an input error or a clean read, never another exception", async () => {
    const damage = fc.record({
      // Unbiased: fast-check favours small numbers, which would put most damage in the prolog.
      at: fc.noBias(fc.nat({ max: 1 << 20 })),
      cut: fc.nat(6),
      insert: fc.string({
        // With characters XML never allows, and the "]" of "]]>".
        unit: fc.constantFrom(
          ...["<", ">", "/", "&", ";", '"', "'", "=", "!", "?", "[", "]", "-", " ", "N"],
          ...["\u0000", "\u0001", "\uFFFE"],
        ),
        maxLength: 3,
      }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { minLength: 1, maxLength: 3 }),
        fc.array(damage, { minLength: 1, maxLength: 3 }),
        chunkSize,
        async (records, damages, highWaterMark) => {
          let { text } = document(records, []);
          for (const d of damages) {
            const at = d.at % (text.length + 1);
            text = text.slice(0, at) + d.insert + text.slice(at + d.cut);
          }
          try {
            const source = await open(text, highWaterMark);
            const values = valuePaths.map((p) => source.value(p));
            for (const { row } of await rowsOf<XmlRecord>(source)) for (const v of values) v(row);
          } catch (error) {
            // XML_MALFORMED mostly; SOURCE_HEADER_ONLY when the damage left no record.
            expect(error).toBeInstanceOf(PhinError);
            expect((error as PhinError).errorClass).toBe("input");
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

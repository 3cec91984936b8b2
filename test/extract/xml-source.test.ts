// The XML source against files on disk: paths, attributes, groups, references, CDATA, any
// chunking, restriction, streaming, and errors that name file and line but never a value.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BATCH_CHARS, defaultSourceLimits } from "../../src/extract/source.ts";
import {
  openXmlSource,
  type XmlRecord,
  type XmlSourceOptions,
} from "../../src/extract/xml-source.ts";
import { failure, rowsOf, SECRET, scratch } from "./fixtures.ts";

const { dir, write } = scratch("xml");

const xml = (name: string, extra: Partial<XmlSourceOptions> = {}) =>
  openXmlSource({
    path: path.join(dir, name),
    file: `extracts/${name}`,
    encoding: "utf-8",
    recordPath: "Export/Items/Item",
    limits: defaultSourceLimits,
    ...extra,
  });

const doc = `<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment before the root -->
<Export version="1">
  <Header><Item>not a record: wrong path</Item></Header>
  <Items>
    <Item id="A1" kind = 'x &amp; y'>
      <Nhs>0123456789</Nhs >
      <Name>O&apos;Neil &amp; Co &#233;&#x20AC; &lt;3&gt; &quot;q&quot;</Name>
      <Patient><Name><Family>  Smith  </Family></Name><Dob/></Patient>
      <Diagnoses><Primary>K35.1</Primary><Secondary>I10</Secondary><Secondary> E11.9 </Secondary></Diagnoses>
      <Procs><P><C>W37.1</C><D>2026-10-01</D></P><P><C>Y53.2</C><D>2026-10-02</D></P></Procs>
      <Note><![CDATA[a < b & c]]></Note>
      <?pi inside a record?>
    </Item>
    <!-- between records -->
    <Item id="A2"/>
    <Item id="A3">own text</Item>
  </Items>
</Export>
`;

describe("XML source: reading", () => {
  it("nested paths, attributes, groups, references and CDATA, across any chunking", async () => {
    write("ok.xml", doc);
    for (const highWaterMark of [1, 2, 5, 64, 1 << 16]) {
      const s = await xml("ok.xml", { highWaterMark });
      const paths = [
        "@id",
        "@kind",
        "Nhs",
        "Name",
        "Patient/Name/Family",
        "Patient/Dob",
        "Note",
        ".",
      ];
      const getters = paths.map((p) => s.value(p));
      const secondary = s.group("Diagnoses/Secondary");
      const code = s.valueIn("Diagnoses/Secondary", ".");
      const procs = s.group("Procs/P");
      const procCode = s.valueIn("Procs/P", "C");
      const procDate = s.valueIn("Procs/P", "D");
      const view = (await rowsOf<XmlRecord>(s)).map(({ row, line }) => [
        line,
        ...getters.map((g) => g(row)),
        secondary(row).map(code),
        procs(row).map((p) => `${procCode(p)}@${procDate(p)}`),
      ]);
      expect(view).toEqual([
        [
          6,
          "A1",
          "x & y",
          "0123456789",
          'O\'Neil & Co é€ <3> "q"',
          "Smith",
          "",
          "a < b & c",
          undefined, // an element holding only child elements has no text of its own
          ["I10", "E11.9"],
          ["W37.1@2026-10-01", "Y53.2@2026-10-02"],
        ],
        [16, "A2", undefined, undefined, undefined, undefined, undefined, undefined, "", [], []],
        [
          17,
          "A3",
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
          "own text",
          [],
          [],
        ],
      ]);
      expect(s.columnNames()).toEqual([
        ".",
        "@id",
        "@kind",
        "Diagnoses/Primary",
        "Diagnoses/Secondary",
        "Name",
        "Nhs",
        "Note",
        "Patient/Name/Family",
        "Procs/P/C",
        "Procs/P/D",
      ]);
    }
  });

  it("windows-1252 text and CRLF line ends", async () => {
    const bytes = Buffer.from(
      `<Export>\r\n<Items>\r\n<Item><N>Ren\u00e9e \u00a35</N></Item>\r\n<Item><N>x</N></Item></Items></Export>`,
      "latin1",
    );
    write("w1252.xml", bytes);
    const s = await xml("w1252.xml", { encoding: "windows-1252" });
    const n = s.value("N");
    expect((await rowsOf(s)).map((r) => [r.line, n(r.row)])).toEqual([
      [3, "Renée £5"],
      [4, "x"],
    ]);
  });

  it("restrictTo: elements no mapping reads are not kept, yet their names are listed", async () => {
    const items = [];
    for (let i = 0; i < 1500; i++)
      items.push(
        `<Item id="${i}" secret="${SECRET}"><Nhs>${i}</Nhs><Surname>${SECRET}</Surname><Codes><C>A</C><C>B</C></Codes></Item>`,
      );
    write("restrict.xml", `<Export><Items>\n${items.join("\n")}\n</Items></Export>`);
    const s = await xml("restrict.xml");
    const nhs = s.value("Nhs");
    const codes = s.group("Codes/C");
    const code = s.valueIn("Codes/C", ".");
    s.restrictTo(["Nhs", "@id", "Codes/C"]);
    const rows = await rowsOf<XmlRecord>(s);
    expect(rows).toHaveLength(1500);
    // Nothing off the read paths is ever built, in the first batch or later: no trace of it.
    for (const { row } of rows) expect(JSON.stringify(row)).not.toContain(SECRET);
    expect(rows.map(({ row }) => nhs(row)).slice(1498)).toEqual(["1498", "1499"]);
    expect(codes(rows[1400]?.row as XmlRecord).map(code)).toEqual(["A", "B"]);
    expect(s.columnNames()).toEqual(["@id", "@secret", "Codes/C", "Nhs", "Surname"]);
  });

  it("a group path matches every element at every step, in document order", async () => {
    write(
      "groups.xml",
      "<Export><Items><Item><G><I>1</I><X/><I>2</I></G><G/><X><I>no</I></X><G><I>3</I></G></Item><Item/></Items></Export>",
    );
    const s = await xml("groups.xml");
    const items = s.group("G/I");
    const item = s.valueIn("G/I", ".");
    const self = s.group(".");
    const rows = await rowsOf<XmlRecord>(s);
    expect(rows.map(({ row }) => items(row).map(item))).toEqual([["1", "2", "3"], []]);
    expect(rows.map(({ row }) => self(row)[0] === row)).toEqual([true, true]);
  });

  it("a value path takes the first match at each step, in records read at open and after", async () => {
    // The first A has no B: A/B is absent even though a later A holds one; likewise in records
    // read while opening and in those built after the mapping restricted the source.
    const shapes = [
      ["<A><X>1</X></A><A><B>2</B></A><B><C>3</C></B><B><C>4</C></B>", ["1", undefined, "3"]],
      ["<B/><B><C>4</C></B><A><B>2</B><X>5</X><X>6</X></A>", ["5", "2", undefined]],
      ["<A/><A><X>7</X><B>8</B></A><B><C/></B>", [undefined, undefined, ""]],
      ["<B><D><C>9</C></D><C>10</C><C>11</C></B>", [undefined, undefined, "10"]],
    ] as const;
    const items: string[] = [];
    for (let i = 0; i < 600; i++) items.push(`<Item>${shapes[i % shapes.length]?.[0]}</Item>`);
    write("first-match.xml", `<Export><Items>${items.join("\n")}</Items></Export>`);
    const s = await xml("first-match.xml");
    const ax = s.value("A/X");
    const ab = s.value("A/B");
    const bc = s.value("B/C");
    s.restrictTo([]);
    const rows = await rowsOf<XmlRecord>(s);
    expect(rows).toHaveLength(600);
    rows.forEach(({ row }, i) => {
      expect([ax(row), ab(row), bc(row)]).toEqual(shapes[i % shapes.length]?.[1]);
    });
  });

  it("names are read right when the layout changes from record to record", async () => {
    // Names that are prefixes of each other, in orders that change from record to record, must
    // be told apart and matched to the right paths, in any chunking.
    const names = ["N", "Na", "Name", "Names", "Nb"];
    const forms = [
      (n: string, t: string) => `<${n}>${t}</${n}>`,
      (n: string, t: string) => `<${n} a="1">${t}</${n}>`,
      (n: string, t: string) => `<${n}\t>${t}</${n} >`,
      (n: string) => `<${n}/>`,
    ];
    let seed = 7;
    const random = (k: number) => {
      seed = (seed * 48271) % 2147483647;
      return seed % k;
    };
    const expected: Record<string, string | undefined>[] = [];
    const items: string[] = [];
    for (let i = 0; i < 400; i++) {
      // Every other record the same layout (the guesses learn it), the rest shuffled.
      const children = Array.from({ length: 1 + random(6) }, (_, j) => ({
        name: i % 2 === 0 ? (names[j % names.length] as string) : (names[random(5)] as string),
        form: random(4),
        text: `v${i}.${j}`,
      }));
      const values: Record<string, string | undefined> = {};
      for (const name of names) {
        const first = children.find((c) => c.name === name);
        values[name] = first === undefined ? undefined : first.form === 3 ? "" : first.text;
      }
      expected.push(values);
      items.push(
        `<Item>${children.map((c) => (forms[c.form] as (n: string, t: string) => string)(c.name, c.text)).join("")}</Item>`,
      );
    }
    write("layouts.xml", `<Export><Items>${items.join("\n")}</Items></Export>`);
    for (const highWaterMark of [3, 64, 1 << 16]) {
      const s = await xml("layouts.xml", { highWaterMark });
      const readers = names.map((name) => s.value(name));
      const rows = await rowsOf<XmlRecord>(s);
      expect(rows).toHaveLength(400);
      rows.forEach(({ row }, i) => {
        const values = Object.fromEntries(names.map((name, k) => [name, readers[k]?.(row)]));
        expect(values).toEqual(expected[i]);
      });
    }
  });
  it("cuts a batch short when its records hold BATCH_CHARS of text", async () => {
    const big = "p".repeat(600_000);
    write(
      "huge.xml",
      `<Export><Items>\n${`<Item><Payload>${big}</Payload></Item>\n`.repeat(20)}</Items></Export>\n`,
    );
    const s = await xml("huge.xml");
    const sizes: number[] = [];
    for await (const batch of s.batches()) sizes.push(batch.rows.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(20);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(Math.ceil(BATCH_CHARS / 600_000));
    expect(sizes.length).toBeGreaterThanOrEqual(3);
  });

  it("streams: 50,000 records arrive in batches while most of the file is still unread", async () => {
    const parts = ["<Export><Items>\n"];
    for (let i = 0; i < 50_000; i++)
      parts.push(`<Item id="I${i}"><Payload>${"p".repeat(200)}</Payload></Item>\n`);
    parts.push("</Items></Export>\n");
    write("large.xml", parts.join(""));
    const s = await xml("large.xml", { highWaterMark: 1 << 16 });
    const id = s.value("@id");
    let count = 0;
    let batches = 0;
    let readAtFirstBatch = -1;
    for await (const batch of s.batches()) {
      if (batches === 0) readAtFirstBatch = s.progress().bytes;
      expect(batch.rows.length).toBeLessThanOrEqual(1024);
      expect(id(batch.rows[0] as XmlRecord)).toBe(`I${count}`);
      expect(batch.lines[0]).toBe(count + 2);
      count += batch.rows.length;
      batches++;
    }
    const { totalBytes } = s.progress();
    expect(count).toBe(50_000);
    expect(batches).toBeGreaterThanOrEqual(49);
    // ~12 MB on disk, but the first batch was ready after reading a few hundred KB of it.
    expect(totalBytes).toBeGreaterThan(12_000_000);
    expect(readAtFirstBatch).toBeGreaterThan(0);
    expect(readAtFirstBatch).toBeLessThan(totalBytes / 10);
  });
});

describe("XML source: errors name file and line, never a value", () => {
  const cases: [string, string, string, number | undefined, RegExp][] = [
    [
      "doctype.xml",
      `<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e "${SECRET}">]>\n<Export/>`,
      "XML_FORBIDDEN",
      2,
      /DOCTYPE/,
    ],
    [
      "entity.xml",
      `<Export><Items>\n<!ENTITY e "${SECRET}">\n</Items></Export>`,
      "XML_FORBIDDEN",
      2,
      /ENTITY/,
    ],
    [
      "undeclared.xml",
      `<Export><Items>\n<Item><N>${SECRET}\n&boom;</N></Item></Items></Export>`,
      "XML_MALFORMED",
      3,
      /undeclared entity/,
    ],
    [
      "undeclared-attr.xml",
      `<Export><Items>\n<Item a="&x;${SECRET}"/></Items></Export>`,
      "XML_MALFORMED",
      2,
      /undeclared entity/,
    ],
    [
      "bare-amp.xml",
      `<Export><Items>\n<Item><N>${SECRET} & Co</N></Item></Items></Export>`,
      "XML_MALFORMED",
      2,
      /&/,
    ],
    [
      "bad-charref.xml",
      `<Export><Items>\n<Item><N>&#0;${SECRET}</N></Item></Items></Export>`,
      "XML_MALFORMED",
      2,
      /reference/,
    ],
    [
      "mismatch.xml",
      `<Export><Items>\n<Item><N>${SECRET}</M></Item></Items></Export>`,
      "XML_MALFORMED",
      2,
      /end tag that does not match/,
    ],
    [
      "short-end.xml",
      `<Export><Items>\n<Item><Name>${SECRET}</Nam></Item></Items></Export>`,
      "XML_MALFORMED",
      2,
      /end tag that does not match/,
    ],
    [
      "long-end.xml",
      `<Export><Items>\n<Item><Name>${SECRET}</Namex></Item></Items></Export>`,
      "XML_MALFORMED",
      2,
      /end tag that does not match/,
    ],
    [
      "unescaped.xml",
      `<Export><Items>\n<Item><Notes>called <${SECRET}> twice</Notes></Item></Items></Export>`,
      "XML_MALFORMED",
      2,
      /end tag that does not match/,
    ],
    [
      "unescaped-eof.xml",
      `<Export><Items>\n<Item><Notes>called <${SECRET} id="x"> twice\n`,
      "XML_MALFORMED",
      3,
      /5 elements still open/,
    ],
    [
      "unclosed.xml",
      `<Export><Items>\n<Item><N>${SECRET}</N></Item>\n`,
      "XML_MALFORMED",
      3,
      /2 elements still open/,
    ],
    [
      "unclosed-tag.xml",
      `<Export><Items>\n<Item><N a="${SECRET}`,
      "XML_MALFORMED",
      2,
      /ends inside a tag/,
    ],
    ["text-before.xml", `${SECRET}<Export/>`, "XML_MALFORMED", 1, /text before the root/],
    [
      "text-after.xml",
      `<Export><Items><Item/></Items></Export>\n${SECRET}`,
      "XML_MALFORMED",
      2,
      /text after the root/,
    ],
    [
      "two-roots.xml",
      `<Export><Items><Item/></Items></Export>\n<Export/>`,
      "XML_MALFORMED",
      2,
      /second root/,
    ],
    [
      "unquoted.xml",
      `<Export><Items>\n<Item a=${SECRET}/></Items></Export>`,
      "XML_MALFORMED",
      2,
      /not quoted/,
    ],
    [
      "bad-attr.xml",
      `<Export><Items>\n<Item ${SECRET}/></Items></Export>`,
      "XML_MALFORMED",
      2,
      /attributes are not well-formed/,
    ],
    [
      "none.xml",
      `<Export><Items>\n<Other>${SECRET}</Other></Items></Export>`,
      "SOURCE_HEADER_ONLY",
      undefined,
      /no records at Export\/Items\/Item/,
    ],
    [
      "wrong-depth.xml",
      `<Export><Item>${SECRET}</Item></Export>`,
      "SOURCE_HEADER_ONLY",
      undefined,
      /no records/,
    ],
    ["empty.xml", "", "SOURCE_EMPTY", undefined, /empty/],
    ["blank.xml", " \n\t\r\n", "SOURCE_EMPTY", undefined, /no XML element/],
    ["bom-only.xml", "\uFEFF", "SOURCE_EMPTY", undefined, /no XML element/],
    [
      "prolog-only.xml",
      `<?xml version="1.0"?>\n<!-- nothing -->\n`,
      "SOURCE_EMPTY",
      undefined,
      /no XML element/,
    ],
  ];
  it.each(
    cases.map(([name, content, code, line, message]) => ({ name, content, code, line, message })),
  )("$name -> $code", async ({ name, content, code, line, message }) => {
    write(name, content);
    for (const highWaterMark of [3, 1 << 16]) {
      const error = await failure(async () => rowsOf(await xml(name, { highWaterMark })));
      expect([error.code, error.file, error.line]).toEqual([code, `extracts/${name}`, line]);
      expect(error.message).toMatch(message);
    }
  });

  describe("hostile XML deep in the file is refused at its line", () => {
    // Past the first record and the first 64 KiB (the decoder's NUL probe covers only 4 KiB).
    const filler = Array.from(
      { length: 400 },
      (_, i) => `<Item id="${i}"><N>${"x".repeat(160)}</N></Item>`,
    ).join("\n");
    const fillerLines = 400;
    const hostile: [string, string, RegExp][] = [
      ["duplicate-attr.xml", `<Item a="1" b="${SECRET}" a="2"/>`, /attribute given twice/],
      ["nul.xml", `<Item><N>${SECRET}\u0000</N></Item>`, /character that XML does not allow/],
      ["u0001.xml", `<Item><N>${SECRET}\u0001</N></Item>`, /character that XML does not allow/],
      ["ufffe.xml", `<Item a="${SECRET}\uFFFE"/>`, /character that XML does not allow/],
      ["nul-comment.xml", `<Item/><!-- ${SECRET}\u0000 -->`, /character that XML does not allow/],
      ["deep-mismatch.xml", `<Item><P><Q>${SECRET}</P></Q></Item>`, /end tag that does not match/],
      ["cdata-end.xml", `<Item><N>${SECRET} ]]> x</N></Item>`, /\]\]>/],
      ["undefined-entity.xml", `<Item><N>${SECRET}&nbsp;</N></Item>`, /undeclared entity/],
      ["inherited-entity.xml", `<Item><N>${SECRET}&toString;</N></Item>`, /undeclared entity/],
      ["bare-amp-deep.xml", `<Item><N>${SECRET} & Co</N></Item>`, /an & that does not start/],
    ];
    it.each(hostile.map(([name, bad, message]) => ({ name, bad, message })))(
      "$name",
      async ({ name, bad, message }) => {
        const text = `<Export><Items>\n${filler}\n${bad}\n${filler}\n</Items></Export>\n`;
        expect(text.indexOf(bad)).toBeGreaterThan(1 << 16);
        write(name, text);
        for (const highWaterMark of [4096, 1 << 16]) {
          const error = await failure(async () => rowsOf(await xml(name, { highWaterMark })));
          expect([error.code, error.line]).toEqual(["XML_MALFORMED", fillerLines + 2]);
          expect(error.message).toMatch(message);
          expect(error.message.startsWith(`extracts/${name}:${fillerLines + 2}: `)).toBe(true);
        }
      },
    );

    it("records before the damage were streamed; the error still ends the file", async () => {
      const name = "late-damage.xml";
      write(name, `<Export><Items>\n${filler}\n<Item a="1" a="1"/>\n</Items></Export>`);
      const s = await xml(name);
      let rows = 0;
      const error = await failure(async () => {
        for await (const batch of s.batches()) rows += batch.rows.length;
      });
      expect([error.code, error.line]).toEqual(["XML_MALFORMED", fillerLines + 2]);
      expect(rows).toBeGreaterThan(0);
      expect(rows).toBeLessThan(400);
    });

    it("a DOCTYPE after the prolog, over several lines, is named at its first line", async () => {
      write(
        "doctype-lines.xml",
        `<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE Export [\n<!ENTITY e "${SECRET}">\n]>\n<Export/>`,
      );
      const error = await failure(async () => rowsOf(await xml("doctype-lines.xml")));
      expect([error.code, error.line]).toEqual(["XML_FORBIDDEN", 3]);
    });
  });

  it("a missing file", async () => {
    const error = await failure(() => xml("absent.xml"));
    expect([error.code, error.file]).toEqual(["SOURCE_NOT_FOUND", "extracts/absent.xml"]);
  });

  it("invalid UTF-8 names its line", async () => {
    write(
      "latin.xml",
      Buffer.concat([
        Buffer.from(`<Export><Items>\n<Item>\n<N>Ren`),
        Buffer.from([0xe9]),
        Buffer.from("e</N></Item></Items></Export>"),
      ]),
    );
    const error = await failure(async () => rowsOf(await xml("latin.xml")));
    expect([error.code, error.line]).toEqual(["SOURCE_ENCODING", 3]);
  });

  it("size caps: record bytes (even split over chunks), record count, file bytes", async () => {
    write(
      "huge.xml",
      `<Export><Items>\n<Item><N>1</N></Item>\n<Item><N>${SECRET.repeat(100)}</N></Item></Items></Export>`,
    );
    for (const highWaterMark of [16, 1 << 16]) {
      const error = await failure(async () =>
        rowsOf(
          await xml("huge.xml", {
            highWaterMark,
            limits: { ...defaultSourceLimits, maxRecordBytes: 256 },
          }),
        ),
      );
      expect([error.code, error.line]).toEqual(["RECORD_TOO_LARGE", 3]);
    }
    write("count.xml", `<Export><Items>\n${"<Item/>\n".repeat(3000)}</Items></Export>`);
    const count = await failure(async () =>
      rowsOf(await xml("count.xml", { limits: { ...defaultSourceLimits, maxRecords: 2500 } })),
    );
    expect([count.code, count.line]).toEqual(["SOURCE_TOO_LARGE", 2502]);
    const file = await failure(() =>
      xml("count.xml", { limits: { ...defaultSourceLimits, maxFileBytes: 1000 } }),
    );
    expect(file.code).toBe("SOURCE_TOO_LARGE");
  });

  it("a run of text outside the records cannot grow without bound", async () => {
    write(
      "runaway.xml",
      `<Export><Header>${"x".repeat(5000)}</Header><Items><Item/></Items></Export>`,
    );
    const error = await failure(async () =>
      rowsOf(
        await xml("runaway.xml", {
          highWaterMark: 256,
          limits: { ...defaultSourceLimits, maxRecordBytes: 1024 },
        }),
      ),
    );
    expect([error.code, error.line]).toEqual(["RECORD_TOO_LARGE", 1]);
  });

  it("nesting and distinct names are bounded", async () => {
    write(
      "deep.xml",
      `<Export><Items><Item>\n${"<a>".repeat(300)}${"</a>".repeat(300)}</Item></Items></Export>`,
    );
    const deep = await failure(async () => rowsOf(await xml("deep.xml")));
    expect([deep.code, deep.line]).toEqual(["XML_MALFORMED", 2]);
    const fields = Array.from({ length: 3000 }, (_, i) => `<F${i} a${i}="1">x</F${i}>`).join("");
    write("wide.xml", `<Export><Items><Item>${fields}</Item></Items></Export>`);
    const s = await xml("wide.xml");
    const last = s.value("F2999");
    const rows = await rowsOf<XmlRecord>(s);
    expect(last(rows[0]?.row as XmlRecord)).toBe("x");
    expect(s.columnNames().length).toBe(2000);
  });

  it("paths that are not XML paths are a mapping error", async () => {
    write("paths.xml", "<Export><Items><Item/></Items></Export>");
    const s = await xml("paths.xml");
    for (const run of [
      () => s.value("a//b"),
      () => s.value("@a/b"),
      () => s.group("a/@b"),
      () => s.value(""),
    ]) {
      expect((await failure(run)).code).toBe("MAPPING_INVALID");
    }
    await s.close();
  });
});

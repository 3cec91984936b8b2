// The CSV and XML sources against files on disk: decoding, accessors, streaming, and errors
// that name file and line but never a value from the file.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PhinError } from "../../src/errors.ts";
import { openCsvSource } from "../../src/extract/csv-source.ts";
import { defaultSourceLimits } from "../../src/extract/source.ts";
import { openXmlSource, type XmlRecord } from "../../src/extract/xml-source.ts";
import { tempDir } from "../helpers/cli.ts";

const dir = tempDir("extract");
const SECRET = "Zebedee-Surname";

function file(name: string, content: string | Buffer): string {
  const full = path.join(dir, name);
  writeFileSync(full, content);
  return full;
}

async function rowsOf<R>(source: {
  batches(): AsyncIterable<{ rows: readonly R[]; lines: readonly number[] }>;
}) {
  const out: { row: R; line: number }[] = [];
  for await (const b of source.batches()) {
    for (const [i, row] of b.rows.entries()) out.push({ row, line: b.lines[i] as number });
  }
  return out;
}

async function failure(run: () => Promise<unknown>): Promise<PhinError> {
  try {
    await run();
  } catch (e) {
    expect(e).toBeInstanceOf(PhinError);
    const error = e as PhinError;
    for (const text of [String(error), error.message, JSON.stringify(error)])
      expect(text).not.toContain(SECRET);
    return error;
  }
  throw new Error("expected a failure");
}

const csv = (name: string, extra: Partial<Parameters<typeof openCsvSource>[0]> = {}) =>
  openCsvSource({
    path: path.join(dir, name),
    file: `x/${name}`,
    encoding: "utf-8",
    delimiter: ",",
    quote: '"',
    header: true,
    limits: defaultSourceLimits,
    ...extra,
  });

const drain = async (name: string, extra: Partial<Parameters<typeof openCsvSource>[0]> = {}) =>
  rowsOf(await csv(name, extra));

describe("CSV source", () => {
  it("decodes windows-1252, resolves columns once, and numbers lines", async () => {
    file(
      "w1252.csv",
      Buffer.from(
        `Id;Name;Note\r\n1;Renée;"costs £5; paid"\r\n2;Zoë;"two\r\nlines"\r\n3;Ñandú;x\r\n`,
        "latin1",
      ),
    );
    const source = await csv("w1252.csv", { encoding: "windows-1252", delimiter: ";" });
    const name = source.value("Name");
    const note = source.value("Note");
    const rows = await rowsOf(source);
    expect(rows.map((r) => [name(r.row), note(r.row), r.line])).toEqual([
      ["Renée", "costs £5; paid", 2],
      ["Zoë", "two\r\nlines", 3],
      ["Ñandú", "x", 5],
    ]);
    expect(source.columnNames()).toEqual(["Id", "Name", "Note"]);
  });

  it("tolerates a UTF-8 byte order mark and reads across tiny chunks", async () => {
    file("bom.csv", `\uFEFFa,b\n1,"x,y"\n2,z\n`);
    const source = await csv("bom.csv", { highWaterMark: 3 });
    const a = source.value("a");
    expect((await rowsOf(source)).map((r) => a(r.row))).toEqual(["1", "2"]);
  });

  it.each([
    ["ragged.csv", `a,b\n1,${SECRET}\n2,3,4\n`, "CSV_MALFORMED", 3],
    ["unclosed.csv", `a,b\n1,2\n"${SECRET},4\n`, "CSV_MALFORMED", 3],
    [
      "badbytes.csv",
      Buffer.concat([Buffer.from(`a,b\n1,${SECRET}\n2,`), Buffer.from([0xe9]), Buffer.from("\n")]),
      "SOURCE_ENCODING",
      3,
    ],
    ["utf16.csv", Buffer.from(`\uFEFFa,b\n1,${SECRET}\n`, "utf16le"), "SOURCE_ENCODING", 1],
    ["empty.csv", "", "SOURCE_EMPTY", undefined],
    ["header.csv", "a,b\r\n", "SOURCE_HEADER_ONLY", undefined],
  ] as const)("%s -> %s", async (name, content, code, line) => {
    file(name, content);
    const error = await failure(() => drain(name));
    expect(error.code).toBe(code);
    expect(error.file).toBe(`x/${name}`);
    expect(error.line).toBe(line);
  });

  it("reports a missing file, an unknown column, a record too large and too many records", async () => {
    expect((await failure(() => drain("absent.csv"))).code).toBe("SOURCE_NOT_FOUND");
    file("cols.csv", `a,b\n1,${SECRET}\n`);
    const source = await csv("cols.csv");
    expect((await failure(async () => source.value("Surname"))).code).toBe("SOURCE_COLUMNS");
    await source.close();
    file("big.csv", `a,b\n1,${SECRET.repeat(20)}\n`);
    const big = await failure(() =>
      drain("big.csv", { limits: { ...defaultSourceLimits, maxRecordBytes: 64 } }),
    );
    expect([big.code, big.line]).toEqual(["RECORD_TOO_LARGE", 2]);
    file("many.csv", `a\n${"1\n".repeat(3000)}`);
    expect(
      (
        await failure(() =>
          drain("many.csv", { limits: { ...defaultSourceLimits, maxRecords: 2500 } }),
        )
      ).code,
    ).toBe("SOURCE_TOO_LARGE");
  });
});

const xml = (name: string, extra: Partial<Parameters<typeof openXmlSource>[0]> = {}) =>
  openXmlSource({
    path: path.join(dir, name),
    file: `x/${name}`,
    encoding: "utf-8",
    recordPath: "Export/Items/Item",
    limits: defaultSourceLimits,
    ...extra,
  });

describe("XML source", () => {
  const doc = `<?xml version="1.0"?>
<!-- a comment -->
<Export><Items>
  <Item id="A1"><Nhs>0123456789</Nhs><Name>O&apos;Neil &amp; Co &#233;</Name>
    <Codes><Code>K35.1</Code><Code>I10</Code></Codes>
    <Procs><P><C>W37.1</C><D>2026-10-01</D></P><P><C>Y53.2</C><D>2026-10-02</D></P></Procs>
    <Note><![CDATA[a < b & c]]></Note></Item>
  <!-- between records -->
  <Item id="A2"/>
</Items></Export>
`;

  it("streams records with nested paths, attributes, groups, entities and CDATA, across any chunking", async () => {
    file("ok.xml", doc);
    for (const highWaterMark of [5, 64, 1 << 16]) {
      const s = await xml("ok.xml", { highWaterMark });
      const [id, nhs, name, note] = ["@id", "Nhs", "Name", "Note"].map((p) => s.value(p));
      const codes = s.group("Codes/Code");
      const code = s.valueIn("Codes/Code", ".");
      const procs = s.group("Procs/P");
      const procCode = s.valueIn("Procs/P", "C");
      const rows = await rowsOf<XmlRecord>(s);
      const view = rows.map(({ row, line }) => [
        line,
        id?.(row),
        nhs?.(row),
        name?.(row),
        note?.(row),
        codes(row).map(code),
        procs(row).map(procCode),
      ]);
      expect(view).toEqual([
        [4, "A1", "0123456789", "O'Neil & Co é", "a < b & c", ["K35.1", "I10"], ["W37.1", "Y53.2"]],
        [9, "A2", undefined, undefined, undefined, [], []],
      ]);
      expect(s.columnNames()).toContain("Procs/P/C");
    }
  });

  it.each([
    [
      "doctype.xml",
      `<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e "${SECRET}">]>\n<Export/>`,
      "XML_FORBIDDEN",
      2,
    ],
    [
      "entity.xml",
      `<Export><Items>\n<Item><N>&boom;</N></Item></Items></Export>`,
      "XML_FORBIDDEN",
      2,
    ],
    [
      "mismatch.xml",
      `<Export><Items>\n<Item><N>${SECRET}</M></Item></Items></Export>`,
      "XML_MALFORMED",
      2,
    ],
    ["unclosed.xml", `<Export><Items>\n<Item><N>${SECRET}</N></Item>\n`, "XML_MALFORMED", 3],
    ["none.xml", `<Export><Items></Items></Export>`, "SOURCE_HEADER_ONLY", undefined],
    ["empty.xml", "", "SOURCE_EMPTY", undefined],
  ] as const)("%s -> %s", async (name, content, code, line) => {
    file(name, content);
    const error = await failure(async () => rowsOf(await xml(name)));
    expect(error.code).toBe(code);
    expect(error.line).toBe(line);
  });

  it("refuses a record above the size cap", async () => {
    file("huge.xml", `<Export><Items><Item><N>${SECRET.repeat(100)}</N></Item></Items></Export>`);
    const error = await failure(async () =>
      rowsOf(await xml("huge.xml", { limits: { ...defaultSourceLimits, maxRecordBytes: 256 } })),
    );
    expect(error.code).toBe("RECORD_TOO_LARGE");
  });

  it("streams: the first batch arrives long before a large file is read", async () => {
    const item = (i: number) => `<Item id="I${i}"><Payload>${"p".repeat(200)}</Payload></Item>\n`;
    const parts = ["<Export><Items>\n"];
    for (let i = 0; i < 50_000; i++) parts.push(item(i));
    parts.push("</Items></Export>\n");
    file("large.xml", parts.join(""));
    const s = await xml("large.xml", { highWaterMark: 1 << 16 });
    const id = s.value("@id");
    const iterator = s.batches()[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    // A 12 MB document, yet the first batch comes from the first chunk(s) only.
    expect(id(first.value?.rows[0] as XmlRecord)).toBe("I0");
    expect(first.value?.rows.length).toBeLessThanOrEqual(1024);
    let count = first.value?.rows.length ?? 0;
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      count += next.value.rows.length;
    expect(count).toBe(50_000);
  });
});

// The CSV source against files on disk: decoding, accessors, line numbers, chunking, and every
// error naming file and line but never a value from the file.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type CsvSourceOptions, openCsvSource } from "../../src/extract/csv-source.ts";
import { BATCH_CHARS, BATCH_SIZE, defaultSourceLimits } from "../../src/extract/source.ts";
import { failure, rowsOf, SECRET, scratch } from "./fixtures.ts";

const { dir, write } = scratch("csv");

const csv = (name: string, extra: Partial<CsvSourceOptions> = {}) =>
  openCsvSource({
    path: path.join(dir, name),
    file: `extracts/${name}`,
    encoding: "utf-8",
    delimiter: ",",
    quote: '"',
    header: true,
    limits: defaultSourceLimits,
    ...extra,
  });

/** Every row as [line, ...values of the named columns]. */
async function table(name: string, columns: string[], extra: Partial<CsvSourceOptions> = {}) {
  const source = await csv(name, extra);
  const getters = columns.map((c) => source.value(c));
  return (await rowsOf(source)).map(({ row, line }) => [line, ...getters.map((g) => g(row))]);
}

describe("CSV source: reading", () => {
  it("reads quoted fields holding the delimiter, quotes and newlines, with exact start lines", async () => {
    write(
      "quoted.csv",
      'Id,Name,Note\r\n1,"Smith, Jo","said ""hi"""\r\n2,Lee,"two\r\nlines\nand three"\r\n\r\n3,"",x\r\n',
    );
    expect(await table("quoted.csv", ["Id", "Name", "Note"])).toEqual([
      [2, "1", "Smith, Jo", 'said "hi"'],
      [3, "2", "Lee", "two\r\nlines\nand three"],
      [7, "3", "", "x"],
    ]);
  });

  it("decodes windows-1252 with a ; delimiter", async () => {
    // Buffer's "latin1" has no euro sign: put the windows-1252 byte for it (0x80) in by hand.
    const bytes = Buffer.from(`Id;Name;Note\r\n1;Renée;"costs £5; paid"\r\n2;Zoë;X\r\n`, "latin1");
    bytes[bytes.length - 3] = 0x80;
    write("w1252.csv", bytes);
    for (const encoding of ["windows-1252", "latin1"] as const) {
      expect(await table("w1252.csv", ["Name", "Note"], { encoding, delimiter: ";" })).toEqual([
        [2, "Renée", "costs £5; paid"],
        [3, "Zoë", "€"],
      ]);
    }
  });

  it("drops a UTF-8 byte order mark, whatever the chunk size", async () => {
    write("bom.csv", `\uFEFFa,b\n1,"x,y"\n2,é\n`);
    for (const highWaterMark of [1, 2, 3, 4, 5, 1 << 16]) {
      const source = await csv("bom.csv", { highWaterMark });
      expect(source.columnNames()).toEqual(["a", "b"]);
      const a = source.value("a");
      const b = source.value("b");
      expect((await rowsOf(source)).map((r) => [a(r.row), b(r.row)])).toEqual([
        ["1", "x,y"],
        ["2", "é"],
      ]);
    }
  });

  it("gives the same rows and lines for any chunking", async () => {
    const lines = ["Id,Name,Note"];
    for (let i = 0; i < 200; i++) lines.push(`${i},"N ${i}, é£","multi\nline ${i}"`);
    write("chunks.csv", `${lines.join("\r\n")}\r\n`);
    const expected = await table("chunks.csv", ["Id", "Name", "Note"]);
    expect(expected).toHaveLength(200);
    expect(expected[199]).toEqual([400, "199", "N 199, é£", "multi\nline 199"]);
    for (const highWaterMark of [1, 3, 7, 64, 1000]) {
      expect(await table("chunks.csv", ["Id", "Name", "Note"], { highWaterMark })).toEqual(
        expected,
      );
    }
  });

  it("skips blank and whitespace-only lines, and reads a file without a header", async () => {
    write("noheader.csv", `\n1,a\n   \n\t\n2,b`);
    expect(
      await table("noheader.csv", ["Id", "Code"], { header: false, columns: ["Id", "Code"] }),
    ).toEqual([
      [2, "1", "a"],
      [5, "2", "b"],
    ]);
  });

  it("batches rows up to BATCH_SIZE and reports progress", async () => {
    write("many.csv", `a,b\n${"1,2\n".repeat(2500)}`);
    const source = await csv("many.csv");
    const sizes: number[] = [];
    for await (const batch of source.batches()) sizes.push(batch.rows.length);
    expect(sizes).toEqual([
      ...Array<number>(Math.floor(2500 / BATCH_SIZE)).fill(BATCH_SIZE),
      2500 % BATCH_SIZE,
    ]);
    expect(source.progress()).toEqual({ bytes: 4 + 2500 * 4, totalBytes: 4 + 2500 * 4 });
  });

  it("cuts a batch short when its records hold BATCH_CHARS of text (huge records, bounded memory)", async () => {
    const big = "b".repeat(600_000);
    write("huge.csv", `a,b\n${`1,${big}\n`.repeat(20)}`);
    const source = await csv("huge.csv");
    const sizes: number[] = [];
    for await (const batch of source.batches()) sizes.push(batch.rows.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(20);
    // 4 Mi characters hold 6-7 such records; a batch may run over by less than one read chunk.
    expect(Math.max(...sizes)).toBeLessThanOrEqual(Math.ceil(BATCH_CHARS / 600_000) + 1);
    expect(sizes.length).toBeGreaterThanOrEqual(3);
  });

  it("restrictTo: columns nobody reads never become strings", async () => {
    write("restrict.csv", `Id,Surname,Code\n1,${SECRET},X\n`);
    const source = await csv("restrict.csv");
    const code = source.value("Code");
    source.restrictTo(["Id"]);
    const [only] = await rowsOf(source);
    // Id is listed, Code has an accessor (kept either way), Surname is never materialised.
    expect(only?.row).toEqual(["1", "", "X"]);
    expect(code(only?.row as string[])).toBe("X");
  });
});

describe("CSV source: errors name file and line, never a value", () => {
  // [file, content, code, line, message]; the test title shows file and code only.
  const cases: [string, string | Buffer, string, number | undefined, RegExp][] = [
    [
      "unclosed.csv",
      `a,b\n1,2\n"${SECRET},4\n5,6\n`,
      "CSV_MALFORMED",
      3,
      /quoted field .* never closed/,
    ],
    [
      "ragged.csv",
      `a,b\n1,${SECRET}\n2,3,${SECRET}\n`,
      "CSV_MALFORMED",
      3,
      /row has 3 fields, the header has 2/,
    ],
    [
      "short.csv",
      `a,b,c\n1,2,3\r\n"multi\nline",${SECRET}\n`,
      "CSV_MALFORMED",
      3,
      /row has 2 fields, the header has 3/,
    ],
    ["afterquote.csv", `a,b\n1,"${SECRET}"x\n`, "CSV_MALFORMED", 2, /text follows a closing quote/],
    ["empty.csv", "", "SOURCE_EMPTY", undefined, /empty/],
    ["bomonly.csv", "\uFEFF", "SOURCE_EMPTY", undefined, /empty/],
    ["blank.csv", " \r\n\n  \n", "SOURCE_EMPTY", undefined, /empty/],
    ["header.csv", "a,b\r\n\r\n", "SOURCE_HEADER_ONLY", undefined, /header but no records/],
    [
      "latin.csv",
      Buffer.concat([
        Buffer.from(`a,b\n1,${SECRET}\n2,Ren`),
        Buffer.from([0xe9]),
        Buffer.from("e\n"),
      ]),
      "SOURCE_ENCODING",
      3,
      /not valid UTF-8/,
    ],
    [
      "utf16.csv",
      Buffer.from(`\uFEFFa,b\n1,${SECRET}\n`, "utf16le"),
      "SOURCE_ENCODING",
      1,
      /UTF-16/,
    ],
    ["utf16nobom.csv", Buffer.from(`a,b\n1,${SECRET}\n`, "utf16le"), "SOURCE_ENCODING", 1, /NUL/],
    ["nul.csv", `a,b\n1,${SECRET}\n2,\0\n`, "SOURCE_ENCODING", 3, /NUL/],
    ["dupe.csv", `Id,Surname,Surname\n1,${SECRET},x\n`, "CSV_MALFORMED", 1, /columns 2 and 3/],
  ];
  it.each(
    cases.map(([name, content, code, line, message]) => ({ name, content, code, line, message })),
  )("$name -> $code", async ({ name, content, code, line, message }) => {
    write(name, content);
    for (const highWaterMark of [2, 1 << 16]) {
      const error = await failure(async () => rowsOf(await csv(name, { highWaterMark })));
      expect([error.code, error.file, error.line]).toEqual([code, `extracts/${name}`, line]);
      expect(error.message).toMatch(message);
      expect(error.message.startsWith(`extracts/${name}`)).toBe(true);
    }
  });

  it("invalid UTF-8 deep in a file is reported at its line, however it is chunked", async () => {
    const lines = ["a,b"];
    for (let i = 0; i < 300; i++) lines.push(`${i},Zoë`);
    const good = Buffer.from(`${lines.join("\n")}\n`);
    write("deep.csv", Buffer.concat([good, Buffer.from("301,Ren"), Buffer.from([0xe9, 0x0a])]));
    for (const highWaterMark of [1, 2, 3, 5, 1 << 16]) {
      const error = await failure(async () => rowsOf(await csv("deep.csv", { highWaterMark })));
      expect([error.code, error.line]).toEqual(["SOURCE_ENCODING", 302]);
      expect(error.hint).toMatch(/windows-1252/);
    }
  });

  it("a file cut inside a UTF-8 character", async () => {
    write("cut.csv", Buffer.concat([Buffer.from("a,b\n1,2\n3,"), Buffer.from([0xc3])]));
    const error = await failure(async () => rowsOf(await csv("cut.csv")));
    expect([error.code, error.line]).toEqual(["SOURCE_ENCODING", 3]);
    expect(error.message).toMatch(/ends inside a UTF-8 character/);
  });

  it("a UTF-8 byte order mark when windows-1252 is declared", async () => {
    write("bom1252.csv", `\uFEFFa,b\n1,${SECRET}\n`);
    const error = await failure(() => csv("bom1252.csv", { encoding: "windows-1252" }));
    expect([error.code, error.line]).toEqual(["SOURCE_ENCODING", 1]);
    expect(error.message).toContain(
      "file starts with a UTF-8 byte order mark but the mapping declares windows-1252",
    );
  });

  it("a missing file, and a folder where a file should be", async () => {
    for (const name of ["absent.csv", "."]) {
      const error = await failure(() => csv(name));
      expect([error.code, error.file]).toEqual(["SOURCE_NOT_FOUND", `extracts/${name}`]);
    }
  });

  it("an unknown column names the file and the column", async () => {
    write("cols.csv", `Id,Name\n1,${SECRET}\n`);
    const source = await csv("cols.csv");
    const error = await failure(() => source.value("Surname"));
    expect([error.code, error.file, error.field, error.line]).toEqual([
      "SOURCE_COLUMNS",
      "extracts/cols.csv",
      "Surname",
      1,
    ]);
    expect(error.message).toContain('"Surname"');
    await source.close();
    await source.close();
  });

  it("repeated groups are refused for CSV", async () => {
    write("groups.csv", `Id\n1\n`);
    const source = await csv("groups.csv");
    for (const run of [() => source.group("Diag"), () => source.valueIn("Diag", ".")]) {
      const error = await failure(run);
      expect(error.code).toBe("MAPPING_INVALID");
      expect(error.message).toContain("repeated groups are only for XML sources");
    }
    await source.close();
  });

  it("no header: an empty column list, a repeated name, a file of blank lines", async () => {
    write("blanks.csv", " \n\n");
    const blank = await failure(() => csv("blanks.csv", { header: false, columns: ["a"] }));
    expect(blank.code).toBe("SOURCE_EMPTY");
    const twice = await failure(() =>
      csv("blanks.csv", { header: false, columns: ["a", "b", "a"] }),
    );
    expect([twice.code, twice.message]).toEqual([
      "MAPPING_INVALID",
      "extracts/blanks.csv:1: columns 1 and 3 of the mapping's column list have the same name",
    ]);
  });

  it("no header and no column list", async () => {
    write("nocols.csv", `1,${SECRET}\n`);
    expect((await failure(() => csv("nocols.csv", { header: false }))).code).toBe(
      "MAPPING_INVALID",
    );
  });

  it("size caps: file, record, record count", async () => {
    write("big.csv", `a,b\n1,2\n3,${SECRET.repeat(20)}\n`);
    const tooBig = await failure(() =>
      csv("big.csv", { limits: { ...defaultSourceLimits, maxFileBytes: 100 } }),
    );
    expect([tooBig.code, tooBig.line]).toEqual(["SOURCE_TOO_LARGE", undefined]);
    for (const highWaterMark of [7, 1 << 16]) {
      const record = await failure(async () =>
        rowsOf(
          await csv("big.csv", {
            highWaterMark,
            limits: { ...defaultSourceLimits, maxRecordBytes: 64 },
          }),
        ),
      );
      expect([record.code, record.line]).toEqual(["RECORD_TOO_LARGE", 3]);
    }
    write("count.csv", `a\n${"1\n".repeat(3000)}`);
    const count = await failure(async () =>
      rowsOf(await csv("count.csv", { limits: { ...defaultSourceLimits, maxRecords: 2500 } })),
    );
    // Record 2,501 is the first one over the cap; it sits on line 2,502.
    expect([count.code, count.line]).toEqual(["SOURCE_TOO_LARGE", 2502]);
  });
});

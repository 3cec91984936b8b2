// Reference lists (ICD-10, OPCS-4, GMC, ODS, insurers) a provider loads from its own (licensed)
// copy: one code per line, in stored form; blank lines and # comments ignored.
import { readFile } from "node:fs/promises";
import { PhinError } from "../errors.ts";
import { parseConsultantCode } from "../formats/consultant-code.ts";
import { parseIcd10 } from "../formats/icd10.ts";
import { parseOpcs4 } from "../formats/opcs4.ts";
import type { CodeListName } from "../schemas/field-types.ts";

export type CodeLists = Partial<Record<CodeListName, ReadonlySet<string>>>;

/** Bring a listed code to the stored form the field parsers produce. */
function storedForm(list: CodeListName, code: string): string {
  const c = code.trim().toUpperCase().replace(".", "");
  if (list === "icd10" && /^[A-Z][0-9]{2}$/.test(c)) return `${c}X`;
  if (list === "gmc" && /^[0-9]{7}$/.test(c)) return `C${c}`;
  return c;
}

/** What a code of each list looks like: a file that holds anything else is the wrong file. */
const codeShape: Record<CodeListName, { readonly what: string; ok(code: string): boolean }> = {
  icd10: { what: "an ICD-10 code", ok: (c) => parseIcd10(c).ok },
  opcs4: { what: "an OPCS-4 code", ok: (c) => parseOpcs4(c).ok },
  gmc: { what: "a GMC or consultant code", ok: (c) => parseConsultantCode(c).ok },
  ods: { what: "an ODS code", ok: (c) => /^[A-Z0-9]{3,6}$/.test(c) },
  insurer: { what: "an insurer code", ok: (c) => /^[A-Z0-9]{2,10}$/.test(c.toUpperCase()) },
};

type CodeListFile = { absolute: string; display: string };

function notCodes(name: CodeListName, file: CodeListFile, problem: string, line?: number) {
  return new PhinError("LOOKUP_INVALID", `the ${name} code list ${file.display} ${problem}`, {
    stage: "config",
    file: file.display,
    ...(line === undefined ? {} : { line }),
    field: `code_lists.${name}`,
    hint: "point the code list at a file of one code per line (# comments and blank lines allowed)",
  });
}

export async function loadCodeLists(
  files: Partial<Record<CodeListName, CodeListFile>>,
): Promise<CodeLists> {
  const lists: CodeLists = {};
  for (const [name, file] of Object.entries(files) as [CodeListName, CodeListFile][]) {
    let text: string;
    try {
      text = await readFile(file.absolute, "utf8");
    } catch (cause) {
      throw new PhinError("LOOKUP_INVALID", `cannot read the ${name} code list ${file.display}`, {
        stage: "config",
        file: file.display,
        field: `code_lists.${name}`,
        cause,
      });
    }
    const codes = new Set<string>();
    const shape = codeShape[name];
    for (const [i, line] of text.split(/\r?\n/).entries()) {
      const code = line.trim();
      if (code === "" || code.startsWith("#")) continue;
      if (!shape.ok(code)) throw notCodes(name, file, `line ${i + 1} is not ${shape.what}`, i + 1);
      codes.add(storedForm(name, code));
    }
    if (codes.size === 0) throw notCodes(name, file, "holds no codes");
    lists[name] = codes;
  }
  return lists;
}

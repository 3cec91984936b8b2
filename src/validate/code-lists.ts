// Optional reference lists (ICD-10, OPCS-4, GMC, ODS) a provider loads from its own licensed
// copy: one code per line, in stored form; blank lines and # comments ignored.
import { readFile } from "node:fs/promises";
import { PhinError } from "../errors.ts";
import type { CodeListName } from "../schemas/field-types.ts";

export type CodeLists = Partial<Record<CodeListName, ReadonlySet<string>>>;

/** Bring a listed code to the stored form the field parsers produce. */
function storedForm(list: CodeListName, code: string): string {
  const c = code.trim().toUpperCase().replace(".", "");
  if (list === "icd10" && /^[A-Z][0-9]{2}$/.test(c)) return `${c}X`;
  if (list === "gmc" && /^[0-9]{7}$/.test(c)) return `C${c}`;
  return c;
}

type CodeListFile = { absolute: string; display: string };

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
    for (const line of text.split(/\r?\n/)) {
      const code = line.trim();
      if (code !== "" && !code.startsWith("#")) codes.add(storedForm(name, code));
    }
    lists[name] = codes;
  }
  return lists;
}

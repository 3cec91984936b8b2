// Everything a run reads before it touches an extract: the pseudonymisation key, the schema
// version's datasets, each dataset's mapping and the code lists. All of it must be sound before
// anything is read or written.
import type { LoadedConfig } from "../config/load-config.ts";
import { PhinError } from "../errors.ts";
import { type LoadedMapping, loadMapping } from "../map/load-mapping.ts";
import { loadPseudonymKey, type PseudonymKey } from "../minimise/pseudonym-key.ts";
import type { DatasetDef } from "../schemas/dataset.ts";
import type { CodeListName } from "../schemas/field-types.ts";
import type { DatasetName } from "../schemas/names.ts";
import { datasetOrder, schemaVersions } from "../schemas/registry.ts";
import { type CodeLists, loadCodeLists } from "../validate/code-lists.ts";

export interface RunInputs {
  readonly key: PseudonymKey;
  readonly datasets: Readonly<Record<DatasetName, DatasetDef>>;
  readonly mappings: Readonly<Record<DatasetName, LoadedMapping>>;
  readonly codeLists: CodeLists;
}

export async function loadRunInputs(loaded: LoadedConfig): Promise<RunInputs> {
  const { config } = loaded;
  const { key_file, allow_shared_key_file } = config.pseudonymisation;
  const key = await loadPseudonymKey(loaded.resolve(key_file), key_file, {
    allowShared: allow_shared_key_file,
  });
  const datasets = schemaVersions[config.schema_version];
  if (datasets === undefined) {
    throw new PhinError(
      "CONFIG_INVALID",
      `schema version ${config.schema_version} is not supported`,
      { stage: "config", field: "schema_version" },
    );
  }
  const mappings = {} as Record<DatasetName, LoadedMapping>;
  for (const name of datasetOrder) {
    const file = config.datasets[name].mapping;
    const mapping = await loadMapping(loaded.resolve(file), file);
    if (mapping.dataset.name !== name) {
      throw new PhinError(
        "MAPPING_INVALID",
        `${file} maps dataset ${mapping.dataset.name}, but is configured for ${name}`,
        { stage: "config", file, field: `datasets.${name}.mapping` },
      );
    }
    const kind = config.datasets[name].source.kind;
    if ((kind === "file") === (mapping.source.format === "sql")) {
      const reads = mapping.source.format === "sql" ? "a SQL query's rows" : "a file";
      throw new PhinError(
        "CONFIG_INVALID",
        `${file} reads ${reads}, but datasets.${name}.source is of kind ${kind}`,
        {
          stage: "config",
          file,
          field: `datasets.${name}.source.kind`,
          hint: 'a postgres or mysql source needs a mapping with source.format "sql", a file source one with "csv" or "xml"',
        },
      );
    }
    mappings[name] = mapping;
    requireWordCodeLists(loaded, mapping);
  }
  const codeListFiles: Partial<Record<CodeListName, { absolute: string; display: string }>> = {};
  for (const [name, file] of Object.entries(config.code_lists) as [
    CodeListName,
    string | undefined,
  ][]) {
    if (file !== undefined) codeListFiles[name] = { absolute: loaded.resolve(file), display: file };
  }
  return { key, datasets, mappings, codeLists: await loadCodeLists(codeListFiles) };
}

/**
 * A code field whose codes are words (insurers: BUPA, AVIVA) can only be told from a name by its
 * list: mapping one without configuring the list is a configuration error, not a silent pass.
 */
export function requireWordCodeLists(loaded: LoadedConfig, mapping: LoadedMapping): void {
  for (const rule of mapping.rules) {
    const type = mapping.dataset.fields[rule.field]?.type;
    if (type?.kind !== "scalar" || type.shown !== "code" || type.codeList === undefined) continue;
    if (loaded.config.code_lists[type.codeList] !== undefined) continue;
    const message = `${mapping.file} maps ${rule.field}, whose codes only a list can prove: set code_lists.${type.codeList}`;
    throw new PhinError("CONFIG_INVALID", message, {
      stage: "config",
      field: `code_lists.${type.codeList}`,
      hint: "name a file of the valid codes, one per line (see samples/code-lists/insurers.txt)",
    });
  }
}

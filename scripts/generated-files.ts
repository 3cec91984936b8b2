// JSON Schemas generated from the zod schemas, so editors can complete config and mapping files
// and consumers can check report.json. `npm run gen:schemas` writes them; a test fails when a
// checked-in copy is stale.
import { z } from "zod";
import { cliOutputSchemas } from "../src/cli/output-schema.ts";
import { $ConfigV1 } from "../src/config/config-schema.ts";
import { pipelineFields } from "../src/map/load-mapping.ts";
import {
  $ListRule,
  $MappingV1,
  $ProcedureListRule,
  $ScalarRule,
} from "../src/map/mapping-schema.ts";
import { $ReportV1 } from "../src/report/report-schema.ts";
import type { DatasetDef } from "../src/schemas/dataset.ts";
import { datasetOrder, schemaVersions } from "../src/schemas/registry.ts";
import { errorsMarkdown, rulesMarkdown } from "./catalogue-docs.ts";
import { datasetsMarkdown } from "./datasets-doc.ts";

/** The mapping schema with, per dataset, the target fields it may map and each one's rule shape. */
function editorMappingSchema(): z.ZodType {
  const v1 = schemaVersions[1] as Record<string, DatasetDef>;
  const variants = datasetOrder.map((name) => {
    const def = v1[name] as DatasetDef;
    const fields: Record<string, z.ZodType> = {};
    for (const [field, fieldDef] of Object.entries(def.fields)) {
      if (field in pipelineFields) continue;
      const rule =
        fieldDef.type.kind === "scalar"
          ? $ScalarRule
          : fieldDef.type.kind === "list"
            ? $ListRule
            : $ProcedureListRule;
      const description =
        field === "patient_pseudonym"
          ? "The LOCAL patient id column: the pipeline replaces it with an HMAC-SHA256 pseudonym."
          : `${fieldDef.status === "M" ? "Mandatory" : fieldDef.status === "R" ? "Required when known" : "Optional"}.${fieldDef.type.kind === "scalar" ? ` ${fieldDef.type.description}.` : ""}`;
      fields[field] = (fieldDef.status === "M" ? rule : rule.optional()).describe(description);
    }
    return $MappingV1.extend({ dataset: z.literal(name), fields: z.strictObject(fields) });
  });
  return z.union(variants as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);
}

function toJson(schema: z.ZodType, id: string, title: string): string {
  const json = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
    target: "draft-2020-12",
  });
  return `${JSON.stringify({ $id: id, title, ...json }, null, 2)}\n`;
}

/** Repository-relative path -> file content (JSON Schemas and the catalogue docs). */
export function generateFiles(): Record<string, string> {
  const out: Record<string, string> = {
    "config.schema.json": toJson(
      $ConfigV1,
      "phin-submit/config.schema.json",
      "phin-submit configuration",
    ),
    "mappings/mapping.schema.json": toJson(
      editorMappingSchema(),
      "phin-submit/mapping.schema.json",
      "phin-submit mapping file",
    ),
    "schemas/report.v1.schema.json": toJson(
      $ReportV1,
      "phin-submit/report.v1.schema.json",
      "phin-submit report.json v1",
    ),
  };
  for (const [name, schema] of Object.entries(cliOutputSchemas)) {
    out[`schemas/cli/${name}.schema.json`] = toJson(
      schema,
      `phin-submit/cli/${name}.schema.json`,
      `phin-submit ${name} --json output`,
    );
  }
  out["docs/rules.md"] = rulesMarkdown();
  out["docs/errors.md"] = errorsMarkdown();
  out["docs/datasets.md"] = datasetsMarkdown();
  for (const [version, datasets] of Object.entries(schemaVersions)) {
    for (const name of datasetOrder) {
      out[`schemas/${name}.v${version}.schema.json`] = toJson(
        datasets[name].schema,
        `phin-submit/${name}.v${version}.schema.json`,
        `PHIN ${name} record, schema v${version} (stored form)`,
      );
    }
  }
  return out;
}

// The configuration file (phin.config.json): who the provider is, where each dataset's extract
// and mapping live, where state goes, which secrets to read. Paths are relative to the config
// file. config.schema.json is generated from this module (npm run gen:schemas).
import { z } from "zod";

const odsOrg = z.string().regex(/^[A-Z0-9]{3,5}$/, "an ODS organisation code: 3-5 of A-Z 0-9");
const odsSite = z.string().regex(/^[A-Z0-9]{5}$/, "an ODS site code: 5 of A-Z 0-9");

export const $FileSource = z.strictObject({
  kind: z.literal("file").default("file"),
  path: z
    .string()
    .min(1)
    .describe("Extract file path; {period} becomes YYYY-MM, {yyyy} and {mm} its parts."),
});

export const $DatasetConfig = z.strictObject({
  mapping: z.string().min(1).describe("Mapping file (see mappings/mapping.schema.json)."),
  source: $FileSource,
});

export const $ConfigV1 = z.strictObject({
  $schema: z.string().optional(),
  provider_code: odsOrg.describe("ODS code of the provider organisation."),
  sites: z.array(odsSite).min(1).describe("ODS site codes this provider submits for."),
  schema_version: z.literal(1).default(1),
  state_dir: z
    .string()
    .min(1)
    .default("var")
    .describe("State directory: outputs, staging, ledger, logs."),
  output: z
    .strictObject({
      format: z
        .enum(["csv", "xml"])
        .default("csv")
        .describe("Bundle format: three CSV files or one submission.xml."),
    })
    .default({ format: "csv" }),
  pseudonymisation: z.strictObject({
    key_file: z
      .string()
      .min(1)
      .describe(
        "File holding the provider's secret pseudonymisation key (>= 32 bytes). Env: PHIN_PSEUDONYM_KEY_FILE.",
      ),
  }),
  datasets: z.strictObject({
    episodes: $DatasetConfig,
    proms: $DatasetConfig,
    adverse_events: $DatasetConfig,
  }),
  code_lists: z
    .strictObject({
      icd10: z.string().optional(),
      opcs4: z.string().optional(),
      gmc: z.string().optional(),
      ods: z.string().optional(),
    })
    .default({})
    .describe(
      "Optional reference lists (one code per line); configured lists are checked for membership.",
    ),
  thresholds: z
    .strictObject({
      max_rejected_share: z
        .number()
        .min(0)
        .max(1)
        .default(0.05)
        .describe("Block the submission when a dataset's rejected share exceeds this (0..1)."),
    })
    .default({ max_rejected_share: 0.05 }),
  objections: z
    .strictObject({
      reduce_identifiability: z
        .boolean()
        .default(false)
        .describe(
          "For patients flagged as objecting: blank NHS number and postcode, reduce date of birth to its month.",
        ),
    })
    .default({ reduce_identifiability: false }),
});

export type ConfigV1 = z.infer<typeof $ConfigV1>;
export type DatasetConfig = z.infer<typeof $DatasetConfig>;

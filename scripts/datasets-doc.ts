// docs/datasets.md, generated from the dataset schemas, their code sets and the rule catalogue.
// The prose the schemas cannot hold (scope, notes, formats) lives here as text; notes and code
// meanings name fields and codes, and generation fails when one no longer exists.
import { z } from "zod";
import { defaultConsultantCodes } from "../src/formats/consultant-code.ts";
import type { DatasetDef } from "../src/schemas/dataset.ts";
import type { FieldDef, Shown } from "../src/schemas/field-types.ts";
import type { DatasetName } from "../src/schemas/names.ts";
import { CURRENT_SCHEMA_VERSION, datasetOrder, schemaVersions } from "../src/schemas/registry.ts";
import { rules } from "../src/schemas/rule-catalogue.ts";
import * as codes from "../src/schemas/v1/code-sets.ts";

const code = (c: string) => `\`${c}\``;

/** What a code means, where the code alone does not say (checked against the code sets). */
const meanings: Record<string, Record<string, string>> = {
  nhs_number_status: { "01": "present and verified", "07": "not present (trace not required)" },
  sex: { "1": "male", "2": "female", "9": "indeterminate", X: "not known" },
  administrative_category: {
    [codes.ADMIN_CATEGORY_NHS]: "NHS (out of scope)",
    "02": "private",
    "03": "amenity",
    "04": "category II",
  },
  funding_source: { [codes.FUNDING_NHS]: "out of scope" },
  patient_classification: {
    "1": "ordinary admission",
    [codes.DAY_CASE]: "day case",
    "3": "regular day",
    "4": "regular night",
    "5": "mothers and babies",
  },
  discharge_method: { [codes.DISCHARGE_METHOD_DIED]: "died" },
  discharge_destination: { [codes.DISCHARGE_DESTINATION_DIED]: "died" },
  harm_level: { "1": "none", "2": "low", "3": "moderate", "4": "severe", "5": "death" },
};

const notes: Record<DatasetName, Record<string, string>> = {
  episodes: {
    provider_code: "from the configuration; never mapped",
    site_code: "one of the configured `sites`",
    spell_id: "local hospital provider spell number; one patient per spell",
    episode_id: "unique per provider; stable across resubmissions",
    patient_pseudonym: "see [data-protection.md](data-protection.md)",
    nhs_number: "blank when unknown (a warning)",
    nhs_number_status: "`01` needs a valid `nhs_number`",
    age_at_admission: "derived from `date_of_birth` and `admission_date`; never mapped",
    postcode: "of the usual address",
    insurer_code: "expected when `funding_source` is `INSURED`",
    discharge_date: "decides the period",
    admission_method: "28 is retired and rejected",
    consultant_code: `a bare 7-digit GMC number gets its \`C\`; default codes: ${defaultConsultantCodes.map(code).join(" ")}`,
    treatment_function_code: "e.g. 110 trauma and orthopaedics, 130 ophthalmology",
    primary_procedure_date: "present if and only if `primary_procedure` is",
  },
  proms: {
    episode_id: "the episode the questionnaire follows",
    patient_pseudonym: "must equal the linked episode's",
    procedure_group: `cosmetic (Q-PROMs): ${codes.cosmeticGroups.map(code).join(" ")}`,
    instrument: "allowed per procedure group, see the table below",
    score: "needed for every instrument except `EQ5D5L`; range per instrument",
    eq5d_profile: "needed when `instrument` is `EQ5D5L`",
  },
  adverse_events: {
    episode_id: "the index episode",
    patient_pseudonym: "must equal the linked episode's",
    transfer_destination_code: "needed when `event_type` is `TRANSFER_OUT`",
  },
};

const shownAs: Record<Shown, string> = {
  code: "if in its set or list, else shape",
  format: "if well-formed, else shape",
  local_id: "if in the id format, else shape",
  number: "up to 5 characters, else shape",
  date: "recent: in full; older: year; invalid: shape",
  date_of_birth: "year",
  nhs_number: "last 4 digits",
  postcode: "outward code",
  hidden: "never",
};

/** A code set's values in their declared order (its description lists them; zod's may not). */
function codeSetValues(type: FieldDef["type"]): readonly string[] | undefined {
  if (type.kind !== "scalar" || !(type.zod instanceof z.ZodEnum)) return undefined;
  const values = type.description.slice(type.description.indexOf(": ") + 2).split(" ");
  const options = (type.zod.options as string[]).toSorted();
  if (values.toSorted().join() !== options.join())
    throw new Error(`datasets doc: cannot read the code set "${type.description}"`);
  return values;
}

function codeSetText(field: string, values: readonly string[]): string {
  const meaning = meanings[field] ?? {};
  for (const c of Object.keys(meaning))
    if (!values.includes(c)) throw new Error(`datasets doc: ${field} has no code ${c}`);
  return values.map((v) => (meaning[v] ? `${code(v)} ${meaning[v]}` : code(v))).join(", ");
}

function formatOf(field: string, def: FieldDef): { format: string; shown: string } {
  const type = def.type;
  if (type.kind === "procedures") {
    return {
      format: `up to ${type.max} OPCS-4 codes, each with its date; columns ${code(type.codeColumn(1))} + ${code(type.dateColumn(1))} .. ${code(type.codeColumn(type.max))} + ${code(type.dateColumn(type.max))}`,
      shown: shownAs.format,
    };
  }
  if (type.kind === "list") {
    return {
      format: `up to ${type.max} of: ${type.item.description}; columns ${code(type.column(1))} .. ${code(type.column(type.max))}`,
      shown: shownAs[type.item.shown],
    };
  }
  const values = codeSetValues(type);
  const label = type.description.replace(/:.*$/, "");
  const format =
    values === undefined ? type.description : `${label}: ${codeSetText(field, values)}`;
  const list = type.codeList === undefined ? "" : `; code list \`${type.codeList}\``;
  return { format: format + list, shown: shownAs[type.shown] };
}

function fieldTable(def: DatasetDef): string {
  const own = notes[def.name];
  for (const field of Object.keys(own))
    if (!(field in def.fields)) throw new Error(`datasets doc: ${def.name} has no field ${field}`);
  for (const field of Object.keys(meanings))
    if (field in def.fields && codeSetValues((def.fields[field] as FieldDef).type) === undefined)
      throw new Error(`datasets doc: ${field} is not a code set`);
  const rows = Object.entries(def.fields).map(([field, fieldDef]) => {
    const { format, shown } = formatOf(field, fieldDef);
    return `| ${code(field)} | ${fieldDef.status} | ${format} | ${shown} | ${own[field] ?? ""} |`;
  });
  return `| field | st | format / code set | report shows | notes |
|---|---|---|---|---|
${rows.join("\n")}`;
}

function ruleTable(name: DatasetName): string {
  const rows = Object.entries(rules)
    .filter(([, r]) => (r.datasets as readonly string[]).includes(name))
    .map(([id, r]) => `| \`${id}\` | ${r.severity} | ${r.title} |`);
  return `| rule | severity | what it means |
|---|---|---|
${rows.join("\n")}`;
}

function instrumentTable(): string {
  const rows = Object.entries(codes.instruments).map(([name, rule]) => {
    const score =
      rule.score === null
        ? "none: `eq5d_profile` instead"
        : `${rule.score.min}..${rule.score.max}, ${rule.score.integer ? "integer" : "decimal"}`;
    return `| ${code(name)} | ${score} | ${rule.groups.map(code).join(" ")} |`;
  });
  return `| instrument | score | allowed for |
|---|---|---|
${rows.join("\n")}`;
}

const titles: Record<DatasetName, string> = {
  episodes: "one row per finished consultant episode",
  proms: "one row per completed questionnaire",
  adverse_events: "one row per event",
};

export function datasetsMarkdown(): string {
  const v = CURRENT_SCHEMA_VERSION;
  const defs = schemaVersions[v] as Record<DatasetName, DatasetDef>;
  for (const field of Object.keys(meanings))
    if (!datasetOrder.some((name) => field in defs[name].fields))
      throw new Error(`datasets doc: no dataset has a field ${field}`);
  const sections = datasetOrder.map((name) => {
    const def = defs[name];
    const extra =
      name === "proms"
        ? `\n\nInstruments and their scores:\n\n${instrumentTable()}`
        : name === "adverse_events"
          ? "\n\nFree-text event descriptions have no field: they never leave the extract stage."
          : "";
    return `## \`${name}\`: ${titles[name]}

Record id: ${code(def.idField)}. JSON Schema of the stored record: \`schemas/${name}.v${v}.schema.json\`.

${fieldTable(def)}${extra}

Rules that can fire on this dataset (what to fix: [rules.md](rules.md)):

${ruleTable(name)}`;
  });
  return `# Datasets, schema v${v}

Generated from \`src/schemas/\` and \`src/schemas/rule-catalogue.ts\` by \`npm run gen:schemas\`;
do not edit by hand.

What phin-submit submits. PHIN publishes no machine-readable field list, so schema v${v} is built
from NHS Data Dictionary / Commissioning Data Set (APC) items, which PHIN aligns with. Field
names are the names used in the output files.

Status (**st**): **M** mandatory (the record is rejected without it), **R** required when known
(blank allowed, a present value must be valid), **O** optional, **D** derived by the pipeline.
**report shows**: how a failing value may appear in \`report.json\` and \`issues.csv\` (see
[data-protection.md](data-protection.md)).

## Scope

- One submission = one provider, one calendar month (\`YYYY-MM\`), three datasets:
  ${datasetOrder.map(code).join(", ")}.
- An episode belongs to the month its \`discharge_date\` falls in (finished episodes only).
  PROMs and adverse events are sent in the month they are extracted; their dates must not be
  after the end of the period (\`DATE_AFTER_PERIOD\`).
- Each PROM and adverse event must link, by \`episode_id\`, to an accepted episode of the same
  submission or of an earlier accepted one (\`LINK_UNKNOWN_EPISODE\`, \`LINK_REJECTED_EPISODE\`,
  \`LINK_EARLIER_EPISODE_NOT_ACCEPTED\`). Earlier months are looked up in the state store
  ([state.md](state.md)), and only for ids this month does not have.
- Only privately funded activity is in scope. An episode with \`funding_source\`
  ${code(codes.FUNDING_NHS)} or \`administrative_category\` ${code(codes.ADMIN_CATEGORY_NHS)} is
  out of scope: left out of the submission and counted in the report as out of scope, never
  dropped silently. PROMs and events linked to an out-of-scope episode are out of scope too.

## Files

- CSV (default): \`episodes.csv\`, \`proms.csv\`, \`adverse_events.csv\`; RFC 4180, UTF-8, a
  header row, CRLF line ends; columns in the order of the field tables below, a list field
  expanded into its numbered columns; a blank value is an empty cell.
- XML (\`output.format: "xml"\`): one \`submission.xml\`, root \`<PhinSubmission schemaVersion
  provider period>\` holding \`<Episodes>\`, \`<Proms>\` and \`<AdverseEvents>\`; one element per
  record, one child element per filled field (lists as repeated \`<code>\`, procedures as
  \`<procedure>\` with \`<code>\` and \`<date>\`).

${sections.join("\n\n")}

## Formats

Values are trimmed and codes upper-cased before they are checked; the stored form is what the
output files hold.

- **NHS number**: spaces and hyphens removed; exactly 10 digits; modulus 11 (digits 1..9
  weighted 10..2, \`11 - (sum mod 11)\`, 11 becomes 0, 10 is never valid) must equal digit 10;
  the ten repeated-digit strings are refused although they pass the checksum. Valid:
  9434765919, 4010232137; invalid: 9434765918, 1234567890.
- **Postcode**: all white space removed, upper-cased, one space put before the last three
  characters (at most 8 characters with it). Outward shapes A9, A99, AA9, AA99, A9A, AA9A, inward
  9AA. First letter not Q V X; second letter not I J Z; third position of A9A only A-H J K S T U
  W; fourth position of AA9A only A B E H M N P R V W X Y; inward letters never C I K M O V. Also
  valid: \`GIR 0AA\`, British Forces \`BF1\` codes and the NHS pseudo postcodes \`ZZ99\` + digit +
  letter + \`Z\` (\`ZZ99 3VZ\` no fixed abode, \`ZZ99 3WZ\` not known, overseas codes).
- **ICD-10** (5th edition): \`K35.1\`, \`K351\`, \`k35.1 \` are accepted; stored without the dot;
  a letter, two digits, then a digit or \`X\`; a 3-character code is padded with \`X\` (\`I10\`
  becomes \`I10X\`); position 5 a digit, letter or \`-\`; an optional position-6 marker \`A\`
  (dagger) or \`D\` (asterisk); at most 6 characters.
- **OPCS-4** (4.10): \`W37.1\` or \`W371\`, stored as 4 characters without the dot; a chapter
  letter other than I, then three digits. A local 5th character is removed with a warning
  (\`OPCS4_LOCAL_EXTENSION\`). A Y or Z chapter code is never a primary procedure.
- **Consultant code**: \`C\` + 7-digit GMC number, or a default code (${defaultConsultantCodes.map(code).join(" ")}).
- **Dates**: stored as \`YYYY-MM-DD\`. The mapping declares the source format (\`DD/MM/YYYY\`,
  \`YYYYMMDD\`, \`ISO\` with a time, ...: [mappings.md](mappings.md)); an impossible date
  (2026-02-30) is \`DATE_INVALID\`, never rolled over. No episode date may be after the run date
  (Europe/London).
- **ODS codes**: three letters or digits (an organisation, e.g. \`RJ1\`), optionally followed
  by two digits (its site, e.g. \`NQX01\`): never more than three letters in a row.
- **Local ids** (\`spell_id\`, \`episode_id\`, \`response_id\`, \`event_id\`): letters, digits,
  \`_\` and \`-\`, in the format the mapping declares (\`format\`, [mappings.md](mappings.md));
  without one, at most 20 characters holding a digit. A value with no digit, or with spaces
  between letters, looks like a word or a name and is \`ID_LOOKS_LIKE_WORD\` whatever the format.
- **Code lists**: the checks above are format checks. ICD-10, OPCS-4, GMC and ODS lists are
  licensed reference data a provider loads from its own copy (\`code_lists\` in the config: one
  code per line, \`#\` comments). When a list is configured, a code not on it is
  \`CODE_LIST_UNKNOWN\` (default consultant codes are always allowed). Insurer codes are words
  (\`BUPA\`, \`AVIVA\`), so only a list can tell one from a name: \`code_lists.insurer\` is
  required when a mapping maps \`insurer_code\`. The field tables name the list each field is
  checked against. Small sample lists are in \`samples/code-lists/\`.
`;
}

// The minimise stage: deny by default. A record leaves this stage holding only fields of the
// target dataset (in schema order), the provider code from config, and the patient's pseudonym
// in place of the local id. Anything else is a bug and fails loudly.
import { PhinError } from "../errors.ts";
import type { MappedRecord, MappedValue } from "../map/compile-mapper.ts";
import type { DatasetDef } from "../schemas/dataset.ts";
import { datasetShape } from "../schemas/record-shape.ts";
import type { Pseudonymiser } from "./pseudonymise.ts";

export interface MinimisedRecord {
  readonly fields: Readonly<Record<string, MappedValue>>;
  readonly objects: boolean;
}

export interface MinimiseOptions {
  readonly dataset: DatasetDef;
  readonly providerCode: string;
  readonly pseudonymise: Pseudonymiser;
}

export function createMinimiser(
  options: MinimiseOptions,
): (record: MappedRecord) => MinimisedRecord {
  const { dataset, providerCode, pseudonymise } = options;
  const shape = datasetShape(dataset);
  const names = shape.keys;
  const allowed = new Set(names);
  const refuse = (fields: Readonly<Record<string, MappedValue>>): never => {
    const extra = Object.keys(fields).find((name) => !allowed.has(name)) ?? "(unknown)";
    throw new PhinError(
      "INTERNAL",
      `field "${extra}" is not in dataset ${dataset.name} and was refused`,
      {
        stage: "minimise",
        field: extra,
      },
    );
  };
  return (record) => {
    // The record is the mapper's own object: finished in place rather than copied (a million
    // copies are measurable). Its keys must be exactly the dataset's, or it fails loudly.
    const fields = record.fields;
    if (!shape.hasAll(fields)) for (const name of names) if (!(name in fields)) fields[name] = null;
    let count = 0;
    for (const _ in fields) count++;
    if (count !== names.length) refuse(fields);
    fields.provider_code = providerCode;
    fields.patient_pseudonym =
      record.localPatientId === null ? null : pseudonymise(record.localPatientId);
    return { fields, objects: record.objects };
  };
}

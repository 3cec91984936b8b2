// The minimise stage: deny by default. A record leaves this stage holding only fields of the
// target dataset (in schema order), the provider code from config, and the patient's pseudonym
// in place of the local id. Anything else is a bug and fails loudly.
import { PhinError } from "../errors.ts";
import type { MappedRecord, MappedValue } from "../map/compile-mapper.ts";
import type { DatasetDef } from "../schemas/dataset.ts";
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
  const names = Object.keys(dataset.fields);
  const allowed = new Set(names);
  return (record) => {
    const fields: Record<string, MappedValue> = {};
    for (const name of names) fields[name] = null;
    for (const name in record.fields) {
      if (!allowed.has(name)) {
        throw new PhinError(
          "INTERNAL",
          `field "${name}" is not in dataset ${dataset.name} and was refused`,
          {
            stage: "minimise",
            field: name,
          },
        );
      }
      fields[name] = record.fields[name] ?? null;
    }
    fields.provider_code = providerCode;
    fields.patient_pseudonym =
      record.localPatientId === null ? null : pseudonymise(record.localPatientId);
    return { fields, objects: record.objects };
  };
}

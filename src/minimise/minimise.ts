// The minimise stage: deny by default. A record leaves this stage holding only fields of the
// target dataset, the provider code from config, the patient's pseudonym in place of the local
// id and, for a patient who objects (when the provider chose so), the reduced identifiers.
// Anything else is a bug and fails loudly.
import { PhinError } from "../errors.ts";
import type { MappedRecord, MappedValue } from "../map/compile-mapper.ts";
import type { DatasetDef } from "../schemas/dataset.ts";
import type { Reducer, Reductions } from "./objection.ts";
import type { Pseudonymiser } from "./pseudonymise.ts";

export interface MinimisedRecord {
  readonly fields: Readonly<Record<string, MappedValue>>;
  /** What an objection reduced, or null when nothing was. */
  readonly reduced: Reductions | null;
}

export interface MinimiseOptions {
  readonly dataset: DatasetDef;
  readonly providerCode: string;
  readonly pseudonymise: Pseudonymiser;
  /** Objection reductions, when the provider applies them. */
  readonly reduce?: Reducer | undefined;
}

export function createMinimiser(
  options: MinimiseOptions,
): (record: MappedRecord) => MinimisedRecord {
  const { dataset, providerCode, pseudonymise, reduce } = options;
  const names = Object.keys(dataset.fields);
  const allowed = new Set(names);
  return (record) => {
    // The mapper's own object is finished in place: every dataset field, and nothing else.
    const fields = record.fields;
    for (const name in fields) {
      if (!allowed.has(name)) {
        const message = `field "${name}" is not in dataset ${dataset.name} and was refused`;
        throw new PhinError("INTERNAL", message, { stage: "minimise", field: name });
      }
    }
    for (const name of names) fields[name] ??= null;
    fields.provider_code = providerCode;
    fields.patient_pseudonym =
      record.localPatientId === null ? null : pseudonymise(record.localPatientId);
    const reduced = record.objects && reduce !== undefined ? reduce(fields) : null;
    return { fields, reduced };
  };
}

// patient_pseudonym = HMAC-SHA256(key, normalised local patient id), lowercase hex. A keyed hash,
// not a plain one: local ids and NHS numbers are small spaces anyone could enumerate.
import { createHmac, createSecretKey } from "node:crypto";
import type { PseudonymKey } from "./pseudonym-key.ts";

/** The same patient must get the same pseudonym whatever the source's spacing or case. */
export function normaliseLocalPatientId(raw: string): string {
  return raw.replace(/\s+/g, "").toUpperCase();
}

export type Pseudonymiser = (localPatientId: string) => string;

export function createPseudonymiser(key: PseudonymKey): Pseudonymiser {
  const secret = createSecretKey(key.bytes);
  return (localPatientId) =>
    createHmac("sha256", secret).update(normaliseLocalPatientId(localPatientId)).digest("hex");
}

import { createHash, createHmac, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PhinError } from "../../src/errors.ts";
import { createMinimiser } from "../../src/minimise/minimise.ts";
import { createReducer, OBJECTION_NHS_STATUS } from "../../src/minimise/objection.ts";
import { loadPseudonymKey } from "../../src/minimise/pseudonym-key.ts";
import { createPseudonymiser, normaliseLocalPatientId } from "../../src/minimise/pseudonymise.ts";
import { tempDir } from "../helpers/cli.ts";
import { v1 } from "../helpers/records.ts";

const dir = tempDir("keys");
const keyFile = (name: string, content: string | Buffer, mode = 0o600) => {
  const file = path.join(dir, name);
  writeFileSync(file, content, { mode });
  return file;
};
const privateKey = { allowShared: false };
/** A strong key as hex text, different per seed. */
const hexKey = (seed: string) => createHash("sha256").update(seed).digest("hex");

describe("pseudonymisation key", () => {
  it("reads the key, drops one trailing newline, and derives the key id from SHA-256", async () => {
    const hex = hexKey("k1");
    const key = await loadPseudonymKey(keyFile("k1", `${hex}\n`), "k1", privateKey);
    expect(key.bytes.toString()).toBe(hex);
    expect(key.keyId).toBe(createHash("sha256").update(hex).digest("hex").slice(0, 8));
    expect(key.looseMode).toBe(false);
  });

  const refusal = (file: string, allowShared = false) =>
    loadPseudonymKey(file, path.basename(file), { allowShared }).then(
      () => null,
      (e: unknown) => e as PhinError,
    );

  it("refuses a key with less than 256 bits: repeated characters, or 32 hex characters", async () => {
    const repeated = await refusal(keyFile("r32", "a".repeat(32)));
    expect(repeated?.code).toBe("SECRET_INVALID");
    expect(repeated?.message).toMatch(/at most 128 bits/);
    const long = await refusal(keyFile("r64", "Zq".repeat(40)));
    expect(long?.message).toMatch(/pattern/);
    const hex32 = await refusal(keyFile("h32", hexKey("h").slice(0, 32)));
    expect(hex32?.code).toBe("SECRET_INVALID");
    expect(hex32?.message).toMatch(/32 hex characters, at most 128 bits/);
    expect(String(hex32) + JSON.stringify(hex32)).not.toContain(hexKey("h").slice(0, 32));
  });

  it("accepts 32 random bytes, 64 hex characters and 43 base64 characters", async () => {
    const bytes = randomBytes(32);
    for (const [name, content] of [
      ["raw", bytes],
      ["hex", bytes.toString("hex")],
      ["b64", bytes.toString("base64url")],
    ] as const) {
      expect(await refusal(keyFile(name, content))).toBeNull();
    }
  });

  it("refuses a key file readable by group or others unless the config allows it", async () => {
    const shared = keyFile("shared", hexKey("s"), 0o644);
    const refused = await refusal(shared);
    expect(refused?.code).toBe("SECRET_FILE_SHARED");
    expect(refused?.message).toContain("mode 0644");
    const allowed = await loadPseudonymKey(shared, "shared", { allowShared: true });
    expect(allowed.looseMode).toBe(true);
  });

  it("refuses a short key and a missing file without printing the key", async () => {
    const short = await loadPseudonymKey(keyFile("k2", "tooshort-secret"), "k2", privateKey).catch(
      (e: unknown) => e as PhinError,
    );
    expect(short).toBeInstanceOf(PhinError);
    expect((short as PhinError).code).toBe("SECRET_INVALID");
    expect(String(short) + JSON.stringify(short)).not.toContain("tooshort-secret");
    const missing = await loadPseudonymKey(path.join(dir, "none"), "none", privateKey).catch(
      (e: unknown) => e as PhinError,
    );
    expect((missing as PhinError).code).toBe("SECRET_MISSING");
  });
});

describe("pseudonym", () => {
  it("is a keyed HMAC-SHA256 of the normalised local id, not a plain hash", async () => {
    const key = await loadPseudonymKey(keyFile("k3", hexKey("k3")), "k3", privateKey);
    const pseudonymise = createPseudonymiser(key);
    const expected = createHmac("sha256", hexKey("k3")).update("MRN-A1B2C").digest("hex");
    expect(pseudonymise(" mrn-a1b2c ")).toBe(expected);
    expect(pseudonymise("MRN-A1B2C")).toMatch(/^[0-9a-f]{64}$/);
    expect(pseudonymise("MRN-A1B2C")).not.toBe(
      createHash("sha256").update("MRN-A1B2C").digest("hex"),
    );
    const other = createPseudonymiser(
      await loadPseudonymKey(keyFile("k4", hexKey("k4")), "k4", privateKey),
    );
    expect(other("MRN-A1B2C")).not.toBe(expected);
  });

  it("gives one patient one pseudonym whatever the spacing or case of the id", async () => {
    const pseudonymise = createPseudonymiser(
      await loadPseudonymKey(keyFile("k5", hexKey("k5")), "k5", privateKey),
    );
    const pieces = fc.constantFrom(..."aZ09-_ \t\n\u00a0\u2003\ufeffßé~");
    fc.assert(
      fc.property(fc.string({ unit: pieces, maxLength: 12 }), (raw) => {
        const id = normaliseLocalPatientId(raw);
        expect(id).not.toMatch(/\s/);
        expect(normaliseLocalPatientId(id)).toBe(id);
        expect(pseudonymise(` ${raw.toLowerCase()}\t`)).toBe(pseudonymise(raw.toUpperCase()));
      }),
      { numRuns: 500 },
    );
  });
});

describe("minimise", () => {
  it("keeps only dataset fields, sets the provider from config and replaces the local id", () => {
    const minimise = createMinimiser({
      dataset: v1.proms,
      providerCode: "NQX",
      pseudonymise: () => "f".repeat(64),
    });
    const out = minimise({
      fields: { response_id: "R1", score: "3" },
      localPatientId: "MRN-A1B2C",
      objects: false,
    });
    expect(Object.keys(out.fields).sort()).toEqual(Object.keys(v1.proms.fields).sort());
    expect(out.fields.provider_code).toBe("NQX");
    expect(out.fields.patient_pseudonym).toBe("f".repeat(64));
    expect(JSON.stringify(out)).not.toContain("MRN-A1B2C");
  });

  it("fails loudly when a field outside the dataset slips through", () => {
    const minimise = createMinimiser({
      dataset: v1.proms,
      providerCode: "NQX",
      pseudonymise: () => "f".repeat(64),
    });
    expect(() =>
      minimise({ fields: { surname: "Featherstonehaugh" }, localPatientId: null, objects: false }),
    ).toThrow(PhinError);
  });
});

describe("objections", () => {
  const record = () => ({
    nhs_number: "9434765919",
    nhs_number_status: "01",
    postcode: "LS1 4AP",
    date_of_birth: "17/05/1960",
  });

  it("blanks NHS number (status 07) and postcode, and reduces date of birth to its month", () => {
    const fields: Record<string, string | null> = record();
    expect(createReducer("DD/MM/YYYY")(fields)).toEqual({
      nhsNumber: 1,
      postcode: 1,
      dateOfBirth: 1,
    });
    expect(fields).toEqual({
      nhs_number: null,
      nhs_number_status: OBJECTION_NHS_STATUS,
      postcode: null,
      date_of_birth: "01/05/1960",
    });
    const iso = { date_of_birth: "1960-05-17T10:00:00Z" };
    createReducer("ISO")(iso);
    expect(iso.date_of_birth).toBe("1960-05-01");
  });

  it("is applied by the minimiser to objecting patients only, before validation", () => {
    const minimise = createMinimiser({
      dataset: v1.episodes,
      providerCode: "NQX",
      pseudonymise: () => "f".repeat(64),
      reduce: createReducer("DD/MM/YYYY"),
    });
    const objecting = minimise({ fields: record(), localPatientId: "M1", objects: true });
    expect(objecting.fields).toMatchObject({
      nhs_number: null,
      postcode: null,
      date_of_birth: "01/05/1960",
    });
    expect(objecting.reduced).toEqual({ nhsNumber: 1, postcode: 1, dateOfBirth: 1 });
    const other = minimise({ fields: record(), localPatientId: "M2", objects: false });
    expect(other.fields).toMatchObject(record());
    expect(other.reduced).toBeNull();
  });

  it("leaves a date of birth it cannot read for validation to reject", () => {
    const fields = { date_of_birth: "31/02/1960" };
    expect(createReducer("DD/MM/YYYY")(fields).dateOfBirth).toBe(0);
    expect(fields.date_of_birth).toBe("31/02/1960");
  });
});

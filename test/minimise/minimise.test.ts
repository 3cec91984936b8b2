import { createHash, createHmac } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PhinError } from "../../src/errors.ts";
import { createMinimiser } from "../../src/minimise/minimise.ts";
import { reduceIdentifiability } from "../../src/minimise/objection.ts";
import { loadPseudonymKey } from "../../src/minimise/pseudonym-key.ts";
import { createPseudonymiser, normaliseLocalPatientId } from "../../src/minimise/pseudonymise.ts";
import { tempDir } from "../helpers/cli.ts";
import { v1 } from "../helpers/records.ts";

const dir = tempDir("keys");
const keyFile = (name: string, content: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, content, { mode: 0o600 });
  return file;
};

describe("pseudonymisation key", () => {
  it("reads the key, drops one trailing newline, and derives the key id from SHA-256", async () => {
    const key = await loadPseudonymKey(keyFile("k1", `${"ab".repeat(32)}\n`), "k1");
    expect(key.bytes.toString()).toBe("ab".repeat(32));
    expect(key.keyId).toBe(createHash("sha256").update("ab".repeat(32)).digest("hex").slice(0, 8));
    expect(key.looseMode).toBe(false);
  });

  it("refuses a short key and a missing file without printing the key", async () => {
    const short = await loadPseudonymKey(keyFile("k2", "tooshort-secret"), "k2").catch(
      (e: unknown) => e as PhinError,
    );
    expect(short).toBeInstanceOf(PhinError);
    expect((short as PhinError).code).toBe("SECRET_INVALID");
    expect(String(short) + JSON.stringify(short)).not.toContain("tooshort-secret");
    const missing = await loadPseudonymKey(path.join(dir, "none"), "none").catch(
      (e: unknown) => e as PhinError,
    );
    expect((missing as PhinError).code).toBe("SECRET_MISSING");
  });
});

describe("pseudonym", () => {
  it("is a keyed HMAC-SHA256 of the normalised local id, not a plain hash", async () => {
    const key = await loadPseudonymKey(keyFile("k3", "k".repeat(40)), "k3");
    const pseudonymise = createPseudonymiser(key);
    const expected = createHmac("sha256", "k".repeat(40)).update("MRN-A1B2C").digest("hex");
    expect(pseudonymise(" mrn-a1b2c ")).toBe(expected);
    expect(pseudonymise("MRN-A1B2C")).toMatch(/^[0-9a-f]{64}$/);
    expect(pseudonymise("MRN-A1B2C")).not.toBe(
      createHash("sha256").update("MRN-A1B2C").digest("hex"),
    );
    const other = createPseudonymiser(await loadPseudonymKey(keyFile("k4", "j".repeat(40)), "k4"));
    expect(other("MRN-A1B2C")).not.toBe(expected);
  });

  it("normalises an id by dropping white space and upper-casing, whatever it holds", () => {
    const pieces = fc.constantFrom(..."aZ09-_ \t\n\u00a0\u2003\ufeffßıé\u0000\u007f~");
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: pieces, maxLength: 12 }), fc.string({ unit: "binary" })),
        (raw) => {
          expect(normaliseLocalPatientId(raw)).toBe(raw.replace(/\s+/g, "").toUpperCase());
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("matches createHmac for any id, one after another (buffers and views are reused)", async () => {
    const secret = "s".repeat(40);
    const pseudonymise = createPseudonymiser(await loadPseudonymKey(keyFile("k5", secret), "k5"));
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (id) => {
        const normalised = normaliseLocalPatientId(id);
        expect(pseudonymise(id)).toBe(
          createHmac("sha256", secret).update(normalised, "utf8").digest("hex"),
        );
      }),
      { numRuns: 2000 },
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

describe("objections (docs/data-protection.md)", () => {
  it("blanks NHS number (status 07) and postcode, and reduces date of birth to its month", () => {
    const record: Record<string, unknown> = {
      nhs_number: "9434765919",
      nhs_number_status: "01",
      postcode: "LS1 4AP",
      date_of_birth: "1960-05-17",
    };
    const counts = { nhsNumber: 0, postcode: 0, dateOfBirth: 0 };
    reduceIdentifiability(record as never, counts);
    expect(record).toEqual({
      nhs_number: null,
      nhs_number_status: "07",
      postcode: null,
      date_of_birth: "1960-05-01",
    });
    expect(counts).toEqual({ nhsNumber: 1, postcode: 1, dateOfBirth: 1 });
  });
});

// How a failing value may appear in analysts' reports (docs/data-protection.md): codes as received,
// identifiers masked (NHS number last 4, postcode outward code, date of birth year), anything
// that does not look like a code is withheld, so a mis-mapped name column can't leak this way.
import type { Shown } from "../schemas/field-types.ts";

/** Codes are upper case: a value with lower-case letters (a name, a word) is never shown. */
const codeLike = /^[A-Z0-9][A-Z0-9 ._:/+-]{0,19}$/;

export function maskValue(shown: Shown, raw: string): string | null {
  switch (shown) {
    case "code":
      return codeLike.test(raw) ? raw : null;
    case "nhs_number": {
      const digits = raw.replace(/\D/g, "");
      return digits.length >= 4 ? `******${digits.slice(-4)}` : null;
    }
    case "postcode": {
      const compact = raw.replace(/\s+/g, "").toUpperCase();
      const outward = compact.length > 3 ? compact.slice(0, -3) : "";
      return /^[A-Z0-9]{1,4}$/.test(outward) ? `${outward} ***` : null;
    }
    case "year": {
      const year = /(?:^|\D)(\d{4})(?:\D|$)/.exec(raw);
      return year?.[1] === undefined ? null : `${year[1]}-**-**`;
    }
    case "hidden":
      return null;
  }
}

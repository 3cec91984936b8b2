// Valid-by-construction identifiers for synthetic records: NHS numbers with a correct check
// digit, postcodes that pass every letter rule, GMC codes.
import type { Rng } from "./prng.ts";

export function nhsNumber(rng: Rng): string {
  for (;;) {
    const digits = Array.from({ length: 9 }, () => rng.int(0, 9));
    const sum = digits.reduce((s, d, i) => s + d * (10 - i), 0);
    let check = 11 - (sum % 11);
    if (check === 11) check = 0;
    const n = digits.join("") + String(check);
    if (check !== 10 && !/^(\d)\1{9}$/.test(n)) return n;
  }
}

const areas = ["LS", "BD", "HG", "YO", "TS", "DL", "NE", "SR", "HU", "DN", "WF", "HX"];
const inward = "ABDEFGHJLNPQRSTUWXYZ";

export function postcode(rng: Rng): string {
  return `${rng.pick(areas)}${rng.int(1, 29)} ${rng.int(0, 9)}${rng.pick([...inward])}${rng.pick([...inward])}`;
}

export function gmcNumber(rng: Rng): string {
  return String(rng.int(2000000, 7999999));
}

// Field types shared by the three v1 datasets (identifiers and ODS codes).
import { pattern } from "../field-types.ts";

export { localId } from "../field-types.ts";

// ODS codes: three characters (an organisation), or three and two digits (its site). Never more
// than three letters in a row, so a name or a word cannot pass as one.
export const odsOrg = pattern(
  /^[A-Z0-9]{3}([0-9]{2})?$/,
  "ODS organisation code: 3 of A-Z 0-9, optionally 2 more digits",
  {
    upper: true,
    codeList: "ods",
  },
);
export const odsSite = pattern(
  /^[A-Z0-9]{3}[0-9]{2}$/,
  "ODS site code: 3 of A-Z 0-9 and 2 digits",
  {
    upper: true,
    codeList: "ods",
  },
);

// Field types shared by the three v1 datasets (identifiers and ODS codes).
import { pattern } from "../field-types.ts";

export const localId = pattern(
  /^[A-Za-z0-9_-]{1,40}$/,
  "local identifier, 1-40 of A-Z a-z 0-9 _ -",
);
export const odsOrg = pattern(/^[A-Z0-9]{3,5}$/, "ODS organisation code", {
  upper: true,
  codeList: "ods",
});
export const odsSite = pattern(/^[A-Z0-9]{5}$/, "ODS site code", { upper: true, codeList: "ods" });

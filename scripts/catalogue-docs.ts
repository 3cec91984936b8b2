// docs/rules.md and docs/errors.md are generated from the rule and error catalogues, so the
// documentation can never disagree with the code (a test fails while they are stale).

import { errorCatalogue, exitCodeTable } from "../src/errors.ts";
import { rules } from "../src/schemas/rule-catalogue.ts";

export function rulesMarkdown(): string {
  const rows = Object.entries(rules).map(
    ([id, r]) => `| \`${id}\` | ${r.severity} | ${r.datasets.join(", ")} | ${r.title} | ${r.fix} |`,
  );
  return `# Validation rules

Generated from \`src/schemas/rule-catalogue.ts\` by \`npm run gen:schemas\`; do not edit by hand.

Severity **E** rejects the record (it is left out of the submission and listed in the report);
**W** is reported only. Rule ids are stable: a released id never changes meaning.

How rules are applied:

- Values are trimmed; blank means absent. A blank mandatory field is \`REQUIRED\`. A present value
  that breaks its type gets exactly one issue (\`FORMAT\`, \`CODE_SET\`, \`DATE_INVALID\`, ...),
  and is then treated as absent by the rules across fields, so one mistake is one issue.
- Out-of-scope episodes (funding source NHS, or administrative category 01) are counted, not
  validated. PROMs and events linked to an out-of-scope episode are out of scope too.
- \`DUPLICATE_ID\` rejects every copy of a repeated id; \`EP_SPELL_PATIENT_CONFLICT\` rejects every
  episode of a spell whose episodes name different patients.
- PROMs and events must link to an accepted episode of this submission or of an earlier accepted
  one (the state store, [state.md](state.md)): \`LINK_REJECTED_EPISODE\` when the episode is in
  this submission but rejected, \`LINK_EARLIER_EPISODE_NOT_ACCEPTED\` when it is an earlier
  month's episode PHIN does not hold (rejected in its month, or its month rejected or replaced),
  \`LINK_UNKNOWN_EPISODE\` when it is nowhere. Rules that compare with the episode run only when the link holds.
- A dataset whose rejected share (rejected / in-scope records) exceeds the configured threshold
  (default 5 %) blocks the whole submission (exit 65).

| rule | severity | datasets | what it means | what to fix in the source |
|---|---|---|---|---|
${rows.join("\n")}
`;
}

export function errorsMarkdown(): string {
  const rows = Object.entries(errorCatalogue).map(
    ([code, e]) => `| \`${code}\` | ${e.class} | ${e.exit} | ${e.summary} |`,
  );
  return `# Error codes

Generated from \`src/errors.ts\` by \`npm run gen:schemas\`; do not edit by hand.

Every error phin-submit reports has a stable code, names the file, line or field it is about,
never quotes a record value, and usually says what to do next. Errors of class \`input\` are
file-level validation errors: the report is written and the run exits 65.

| code | class | exit code | meaning |
|---|---|---|---|
${rows.join("\n")}

## Exit codes

| code | meaning |
|---|---|
${exitCodeTable.map(([code, text]) => `| ${code} | ${text} |`).join("\n")}
`;
}

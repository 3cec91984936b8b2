// The stable shapes of `--json` output, one per command, published as JSON Schemas under
// schemas/cli/ (generated). Fields are only ever added; a test validates real output against
// the published schemas.
import { z } from "zod";

const counts = z.strictObject({
  read: z.number().int(),
  valid: z.number().int(),
  rejected: z.number().int(),
  out_of_scope: z.number().int(),
  warnings: z.number().int(),
});
const datasets = z.strictObject({ episodes: counts, proms: counts, adverse_events: counts });

export const $ValidateOutput = z.strictObject({
  command: z.literal("validate"),
  verdict: z.enum(["ready", "blocked"]),
  exit_code: z.number().int(),
  period: z.string().regex(/^\d{4}-\d{2}$/),
  submission_id: z.string().nullable(),
  out_dir: z.string().describe("Folder with the reports (and the bundle when ready)."),
  blocked_reasons: z.array(z.string()),
  datasets,
});

export const $SubmitOutput = z.strictObject({
  command: z.literal("submit"),
  outcome: z.enum(["submitted", "already_submitted", "blocked"]),
  exit_code: z.number().int(),
  period: z.string().regex(/^\d{4}-\d{2}$/),
  submission_id: z.string().nullable(),
  receipt_id: z.string().nullable(),
  received_at: z.string().nullable(),
  resumed: z.boolean().describe("The server already knew this submission (a rerun after a crash)."),
  confirmed: z
    .boolean()
    .nullable()
    .describe("--confirm: PHIN's list holds the submission; null when not asked."),
  out_dir: z.string(),
  blocked_reasons: z.array(z.string()),
  datasets,
});

export const $StatusOutput = z.strictObject({
  command: z.literal("status"),
  exit_code: z.number().int(),
  submission_id: z.string(),
  state: z.string().describe("open | received | validating | accepted | rejected"),
  feedback: z.unknown(),
});

export const $ReceiptsListOutput = z.strictObject({
  command: z.literal("receipts list"),
  exit_code: z.number().int(),
  receipts: z.array(
    z.strictObject({
      seq: z.number().int(),
      submission_id: z.string(),
      period: z.string(),
      receipt_id: z.string(),
      received_at: z.string(),
      supersedes: z.string().nullable(),
    }),
  ),
});

export const $ReceiptsVerifyOutput = z.strictObject({
  command: z.literal("receipts verify"),
  exit_code: z.number().int(),
  ok: z.boolean(),
  entries: z.number().int(),
  receipts: z.number().int(),
  tornTail: z.boolean(),
  problems: z
    .array(z.strictObject({ seq: z.number().int(), line: z.number().int(), problem: z.string() }))
    .describe("Each problem names its entry; seq 0 is the ledger file itself (its end, its head)."),
  remote: z
    .strictObject({
      unknown_to_phin: z.array(
        z.strictObject({ seq: z.number().int(), submission_id: z.string() }),
      ),
      missing_from_ledger: z.array(
        z.strictObject({ submission_id: z.string(), state: z.string(), created_at: z.string() }),
      ),
    })
    .optional()
    .describe("--remote: the ledger compared with PHIN's list of submissions."),
});

export const $ReceiptsRecoverOutput = z.strictObject({
  command: z.literal("receipts recover"),
  exit_code: z.number().int(),
  recovered: z.array(
    z.strictObject({ submission_id: z.string(), period: z.string(), seq: z.number().int() }),
  ),
  reanchored: z.boolean().describe("The ledger's head was set to its last entry."),
});

export const $StateRebuildOutput = z.strictObject({
  command: z.literal("state rebuild"),
  exit_code: z.number().int(),
  submissions: z.number().int().describe("Receipted submissions recorded again."),
  episodes: z.number().int(),
  not_recoverable: z
    .array(z.strictObject({ submission_id: z.string(), period: z.string() }))
    .describe("Receipted submissions whose link-keys file is gone: their episodes are lost."),
});

/** Any command that fails with --json prints this on stdout (the message is also on stderr). */
export const $ErrorOutput = z.strictObject({
  command: z.string().nullable(),
  exit_code: z.number().int(),
  error: z.object({
    code: z.string(),
    stage: z.string().optional(),
    message: z.string().optional(),
    file: z.string().optional(),
    line: z.number().int().optional(),
    field: z.string().optional(),
    hint: z.string().optional(),
  }),
});

export const cliOutputSchemas = {
  validate: $ValidateOutput,
  submit: $SubmitOutput,
  status: $StatusOutput,
  "receipts-list": $ReceiptsListOutput,
  "receipts-verify": $ReceiptsVerifyOutput,
  "receipts-recover": $ReceiptsRecoverOutput,
  "state-rebuild": $StateRebuildOutput,
  error: $ErrorOutput,
} as const;

export type ValidateOutput = z.infer<typeof $ValidateOutput>;
export type SubmitOutput = z.infer<typeof $SubmitOutput>;
export type StateRebuildOutput = z.infer<typeof $StateRebuildOutput>;

// A sent month's link-keys file (<state>/link-keys/<provider>/<period>/<submission_id>.jsonl):
// what the state store holds for that submission, kept so `state rebuild` can make the store
// again once the month's data files are deleted. Kept apart from the month's folder, which a
// later run of the same content replaces. JSON lines: a header, then one array per episode with
// the link keys alone (id, status, patient key, three dates, two discharge codes).
import { createReadStream } from "node:fs";
import { rename } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { z } from "zod";
import { PhinError } from "../errors.ts";
import { ensurePrivateDir } from "../io/private-dir.ts";
import { TextFile } from "../io/text-file.ts";
import type { StoredEpisode, StoredSubmission } from "./state-store.ts";

/** Where a submission's link keys are kept. */
export function linkKeysPath(
  stateDir: string,
  s: { providerCode: string; period: string; submissionId: string },
): string {
  return path.join(stateDir, "link-keys", s.providerCode, s.period, `${s.submissionId}.jsonl`);
}

const columns = [
  "episode_id",
  "status",
  "patient",
  "admission_date",
  "discharge_date",
  "primary_procedure_date",
  "discharge_method",
  "discharge_destination",
] as const;

const $Header = z.strictObject({
  link_keys_version: z.literal(1),
  submission_id: z.string(),
  provider_code: z.string(),
  period: z.string(),
  pseudonym_key_id: z.string(),
  received_at: z.string(),
  columns: z.array(z.string()).refine((c) => c.join() === columns.join()),
});

const text = z.string().nullable();
const $Row = z.tuple([
  z.string(),
  z.enum(["accepted", "rejected", "out_of_scope"]),
  z.number().int().nonnegative().nullable(),
  text,
  text,
  text,
  text,
  text,
]);

export interface LinkKeys {
  readonly submission: Omit<StoredSubmission, "status">;
  readonly episodes: StoredEpisode[];
}

/** Write the file (under a temporary name first, so it is whole or absent). */
export async function writeLinkKeys(
  stateDir: string,
  submission: Omit<StoredSubmission, "status">,
  episodes: Iterable<StoredEpisode>,
): Promise<string> {
  const file = linkKeysPath(stateDir, submission);
  await ensurePrivateDir(path.dirname(file));
  const temp = new TextFile(`${file}.tmp-${process.pid}`);
  try {
    const header = {
      link_keys_version: 1,
      submission_id: submission.submissionId,
      provider_code: submission.providerCode,
      period: submission.period,
      pseudonym_key_id: submission.pseudonymKeyId,
      received_at: submission.receivedAt,
      columns,
    };
    await temp.write(`${JSON.stringify(header)}\n`);
    for (const e of episodes) {
      const row = [e.episodeId, e.status, e.patient, e.admissionDate, e.dischargeDate];
      row.push(e.primaryProcedureDate, e.dischargeMethod, e.dischargeDestination);
      await temp.write(`${JSON.stringify(row)}\n`);
    }
    await temp.close();
    await rename(temp.path, file);
  } catch (error) {
    await temp.abort();
    throw error;
  }
  return file;
}

/** Read a link-keys file; a line that is not as written names the file and line, no value. */
export async function readLinkKeys(file: string): Promise<LinkKeys> {
  const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  let submission: LinkKeys["submission"] | undefined;
  const episodes: StoredEpisode[] = [];
  let line = 0;
  for await (const raw of lines) {
    line++;
    const invalid = () =>
      new PhinError("STATE_STORE_INVALID", "a link-keys file has a line that is not as written", {
        stage: "receipt",
        file,
        line,
        hint: "the file was edited or damaged; restore the state directory from backup",
      });
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw invalid();
    }
    if (submission === undefined) {
      const header = $Header.safeParse(json);
      if (!header.success) throw invalid();
      const h = header.data;
      submission = {
        submissionId: h.submission_id,
        providerCode: h.provider_code,
        period: h.period,
        pseudonymKeyId: h.pseudonym_key_id,
        receivedAt: h.received_at,
      };
      continue;
    }
    const row = $Row.safeParse(json);
    if (!row.success) throw invalid();
    const [episodeId, status, patient, admissionDate, dischargeDate, procedure, method, dest] =
      row.data;
    episodes.push({
      episodeId,
      status,
      patient,
      admissionDate,
      dischargeDate,
      primaryProcedureDate: procedure,
      dischargeMethod: method,
      dischargeDestination: dest,
    });
  }
  if (submission === undefined) {
    throw new PhinError("STATE_STORE_INVALID", "a link-keys file is empty", {
      stage: "receipt",
      file,
    });
  }
  return { submission, episodes };
}

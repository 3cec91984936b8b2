// The state store (<state>/state.db, SQLite through node:sqlite): per accepted submission, the
// link keys later months need to find its episodes (docs/state.md), and nothing else. Written
// once a submission's receipt verifies, in one transaction; rebuilt from the ledger and each sent
// month's link-keys file by `phin-submit state rebuild`. Schema changes are migrations, counted
// in SQLite's user_version.
import { closeSync, existsSync, openSync } from "node:fs";
import { chmod } from "node:fs/promises";
import path from "node:path";
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { PhinError } from "../errors.ts";
import type { DatasetName } from "../schemas/names.ts";
import type { EpisodeLink, LinkStatus, PriorEpisodes } from "../validate/episode-links.ts";
import type { DatasetDigests, RecordDigest } from "./record-digests.ts";

export const STATE_DB = "state.db";

export function stateDbPath(stateDir: string): string {
  return path.join(stateDir, STATE_DB);
}

/** Migration n (1-based) takes the schema from user_version n-1 to n. Never edit a released one. */
const migrations: readonly string[] = [
  `CREATE TABLE submissions (
     submission_id    TEXT PRIMARY KEY,
     provider_code    TEXT NOT NULL,
     period           TEXT NOT NULL,
     status           TEXT NOT NULL CHECK (status IN ('accepted', 'rejected', 'superseded')),
     pseudonym_key_id TEXT NOT NULL,
     received_at      TEXT NOT NULL
   ) STRICT;
   CREATE INDEX submissions_by_period ON submissions (provider_code, period);
   CREATE TABLE episodes (
     submission_id          TEXT NOT NULL REFERENCES submissions ON DELETE CASCADE,
     episode_id             TEXT NOT NULL,
     status                 TEXT NOT NULL CHECK (status IN ('accepted', 'rejected', 'out_of_scope')),
     patient                INTEGER,
     admission_date         TEXT,
     discharge_date         TEXT,
     primary_procedure_date TEXT,
     discharge_method       TEXT,
     discharge_destination  TEXT,
     PRIMARY KEY (submission_id, episode_id)
   ) STRICT, WITHOUT ROWID;
   CREATE INDEX episodes_by_id ON episodes (episode_id);`,
  // Record digests (record-digests.ts): keyed HMACs only, never a value.
  `CREATE TABLE digest_columns (
     submission_id TEXT NOT NULL REFERENCES submissions ON DELETE CASCADE,
     dataset       TEXT NOT NULL,
     columns       TEXT NOT NULL,
     PRIMARY KEY (submission_id, dataset)
   ) STRICT, WITHOUT ROWID;
   CREATE TABLE record_digests (
     submission_id TEXT NOT NULL,
     dataset       TEXT NOT NULL,
     record_key    TEXT NOT NULL,
     digest        TEXT NOT NULL,
     fields        TEXT NOT NULL,
     PRIMARY KEY (submission_id, dataset, record_key),
     FOREIGN KEY (submission_id, dataset) REFERENCES digest_columns ON DELETE CASCADE
   ) STRICT, WITHOUT ROWID;`,
];

export const SCHEMA_VERSION = migrations.length;

export type SubmissionStatus = "accepted" | "rejected" | "superseded";

export interface StoredSubmission {
  readonly submissionId: string;
  readonly providerCode: string;
  readonly period: string;
  readonly status: SubmissionStatus;
  readonly pseudonymKeyId: string;
  /** PHIN's receipt time. */
  readonly receivedAt: string;
}

/** A month's episode as stored: only in-scope statuses PHIN's rules distinguish. */
export type StoredEpisodeStatus = Exclude<LinkStatus, "earlier_not_accepted">;

/** An episode's link keys (as the link rules read them) under its id. */
export interface StoredEpisode extends Omit<EpisodeLink, "status"> {
  readonly episodeId: string;
  readonly status: StoredEpisodeStatus;
}

interface EpisodeRow {
  status: StoredEpisodeStatus;
  patient: number | null;
  admission_date: string | null;
  discharge_date: string | null;
  primary_procedure_date: string | null;
  discharge_method: string | null;
  discharge_destination: string | null;
  submission_status: SubmissionStatus;
}

// The best answer first: an accepted episode of an accepted submission, then the latest month.
const PRIOR_LOOKUP = `
  SELECT e.status, e.patient, e.admission_date, e.discharge_date, e.primary_procedure_date,
         e.discharge_method, e.discharge_destination, s.status AS submission_status
    FROM episodes e JOIN submissions s USING (submission_id)
   WHERE e.episode_id = ? AND s.provider_code = ? AND s.period < ?
   ORDER BY s.status = 'accepted' DESC, e.status = 'accepted' DESC, s.period DESC,
            s.received_at DESC
   LIMIT 1`;

function storeError(file: string, message: string, cause: unknown): PhinError {
  return new PhinError("STATE_STORE_INVALID", message, {
    stage: "receipt",
    file,
    cause,
    hint: "run `phin-submit state rebuild` to make it again from the ledger and the sent months",
  });
}

export class StateStore {
  readonly file: string;
  readonly #db: DatabaseSync;

  private constructor(file: string, db: DatabaseSync) {
    this.file = file;
    this.#db = db;
  }

  /** The store if there is one yet (else null: a run with none never loads SQLite). */
  static async openExisting(file: string): Promise<StateStore | null> {
    return existsSync(file) ? StateStore.open(file) : null;
  }

  /** Open (and migrate) the store, creating it when there is none. */
  static async open(file: string): Promise<StateStore> {
    // Made 0600 before SQLite opens it; its -wal and -shm files take the same mode.
    closeSync(openSync(file, "a", 0o600));
    await chmod(file, 0o600);
    const { DatabaseSync } = await import("node:sqlite");
    let db: DatabaseSync | undefined;
    try {
      db = new DatabaseSync(file);
      db.exec("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;");
      migrate(db);
      return new StateStore(file, db);
    } catch (error) {
      db?.close();
      if (error instanceof PhinError) throw error;
      throw storeError(file, "the state store cannot be opened or is damaged", error);
    }
  }

  /** Record one accepted submission and its episodes, replacing an earlier copy of it. */
  recordSubmission(
    sub: StoredSubmission,
    episodes: Iterable<StoredEpisode>,
    digests: readonly DatasetDigests[] = [],
  ): number {
    const db = this.#db;
    const insert = db.prepare(
      `INSERT INTO episodes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (submission_id, episode_id) DO NOTHING`,
    );
    let count = 0;
    db.exec("BEGIN IMMEDIATE");
    try {
      db.prepare("DELETE FROM submissions WHERE submission_id = ?").run(sub.submissionId);
      db.prepare("INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?)").run(
        sub.submissionId,
        sub.providerCode,
        sub.period,
        sub.status,
        sub.pseudonymKeyId,
        sub.receivedAt,
      );
      for (const e of episodes) {
        insert.run(
          sub.submissionId,
          e.episodeId,
          e.status,
          e.patient,
          e.admissionDate,
          e.dischargeDate,
          e.primaryProcedureDate,
          e.dischargeMethod,
          e.dischargeDestination,
        );
        count++;
      }
      this.#insertDigests(sub.submissionId, digests);
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw storeError(this.file, `the state store could not record ${sub.submissionId}`, error);
    }
    return count;
  }

  #insertDigests(submissionId: string, digests: readonly DatasetDigests[]): void {
    const columns = this.#db.prepare("INSERT INTO digest_columns VALUES (?, ?, ?)");
    const record = this.#db.prepare(
      `INSERT INTO record_digests VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (submission_id, dataset, record_key) DO NOTHING`,
    );
    for (const d of digests) {
      columns.run(submissionId, d.dataset, JSON.stringify(d.columns));
      for (const r of d.records)
        record.run(submissionId, d.dataset, r.key, r.digest, r.fields.join(","));
    }
  }

  /** A submission's record digests; null when none were kept (an XML bundle, an older store). */
  digestsOf(submissionId: string): DatasetDigests[] | null {
    const sets = this.#db
      .prepare(
        "SELECT dataset, columns FROM digest_columns WHERE submission_id = ? ORDER BY dataset",
      )
      .all(submissionId) as unknown as { dataset: DatasetName; columns: string }[];
    if (sets.length === 0) return null;
    const rows = this.#db.prepare(
      "SELECT record_key, digest, fields FROM record_digests WHERE submission_id = ? AND dataset = ?",
    );
    return sets.map(({ dataset, columns }) => ({
      dataset,
      columns: JSON.parse(columns) as string[],
      records: (
        rows.all(submissionId, dataset) as unknown as {
          record_key: string;
          digest: string;
          fields: string;
        }[]
      ).map(
        (r): RecordDigest => ({ key: r.record_key, digest: r.digest, fields: r.fields.split(",") }),
      ),
    }));
  }

  submissions(): StoredSubmission[] {
    const rows = this.#db
      .prepare(
        `SELECT submission_id, provider_code, period, status, pseudonym_key_id, received_at
           FROM submissions ORDER BY period, received_at`,
      )
      .all() as unknown as {
      submission_id: string;
      provider_code: string;
      period: string;
      status: SubmissionStatus;
      pseudonym_key_id: string;
      received_at: string;
    }[];
    return rows.map((r) => ({
      submissionId: r.submission_id,
      providerCode: r.provider_code,
      period: r.period,
      status: r.status,
      pseudonymKeyId: r.pseudonym_key_id,
      receivedAt: r.received_at,
    }));
  }

  /**
   * Episodes of submissions before `period` for this provider, or null when there are none (the
   * run then needs no store at all).
   */
  priorEpisodes(providerCode: string, period: string): PriorEpisodes | null {
    const any = this.#db
      .prepare("SELECT 1 FROM submissions WHERE provider_code = ? AND period < ? LIMIT 1")
      .get(providerCode, period);
    if (any === undefined) return null;
    const lookup: StatementSync = this.#db.prepare(PRIOR_LOOKUP);
    return {
      get: (episodeId) => {
        const row = lookup.get(episodeId, providerCode, period) as EpisodeRow | undefined;
        return row === undefined ? undefined : linkOf(row);
      },
    };
  }

  close(): void {
    this.#db.close();
  }
}

function linkOf(row: EpisodeRow): EpisodeLink {
  // PHIN holds the episode only when its month stands and validation accepted it.
  const held = row.submission_status === "accepted";
  const status: LinkStatus =
    held && row.status !== "rejected" ? row.status : "earlier_not_accepted";
  return {
    status,
    patient: row.patient,
    admissionDate: row.admission_date,
    dischargeDate: row.discharge_date,
    primaryProcedureDate: row.primary_procedure_date,
    dischargeMethod: row.discharge_method,
    dischargeDestination: row.discharge_destination,
  };
}

function migrate(db: DatabaseSync): void {
  const { user_version: version } = db.prepare("PRAGMA user_version").get() as {
    user_version: number;
  };
  if (version > SCHEMA_VERSION) {
    throw new PhinError(
      "STATE_STORE_INVALID",
      `the state store has schema version ${version}; this phin-submit knows up to ${SCHEMA_VERSION}`,
      { stage: "receipt", hint: "upgrade phin-submit; do not downgrade over a newer state store" },
    );
  }
  for (let v = version; v < SCHEMA_VERSION; v++) {
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(migrations[v] as string);
      db.exec(`PRAGMA user_version = ${v + 1}`);
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  }
}

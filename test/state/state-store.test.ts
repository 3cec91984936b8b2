// The state store at its public boundary: schema versions, what an earlier month answers for an
// episode id, and the link-keys file that rebuilds it.
import { appendFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import { isPhinError } from "../../src/errors.ts";
import { linkKeysPath, readLinkKeys, writeLinkKeys } from "../../src/state/link-keys.ts";
import {
  SCHEMA_VERSION,
  StateStore,
  type StoredEpisode,
  type StoredSubmission,
} from "../../src/state/state-store.ts";
import {
  EpisodeIndex,
  type EpisodeLink,
  outOfScopeLink,
} from "../../src/validate/episode-links.ts";
import { tempDir } from "../helpers/cli.ts";

const submission = (period: string, status: StoredSubmission["status"] = "accepted") => ({
  submissionId: `NQX-${period}-${status}`,
  providerCode: "NQX",
  period,
  status,
  pseudonymKeyId: "k1",
  receivedAt: `${period}-28T10:00:00Z`,
});

const episode = (
  episodeId: string,
  status: StoredEpisode["status"] = "accepted",
  discharge = "2026-10-12",
): StoredEpisode => ({
  episodeId,
  status,
  patient: status === "accepted" ? 123456789 : null,
  admissionDate: status === "accepted" ? "2026-10-10" : null,
  dischargeDate: status === "accepted" ? discharge : null,
  primaryProcedureDate: status === "accepted" ? "2026-10-10" : null,
  dischargeMethod: status === "accepted" ? "1" : null,
  dischargeDestination: status === "accepted" ? "19" : null,
});

async function storeWith(...months: [StoredSubmission, StoredEpisode[]][]): Promise<StateStore> {
  const store = await StateStore.open(path.join(tempDir("store"), "state.db"));
  for (const [sub, episodes] of months) store.recordSubmission(sub, episodes);
  return store;
}

describe("the state store", () => {
  it("is created 0600 at the current schema version and opens again unchanged", async () => {
    const file = path.join(tempDir("store"), "state.db");
    expect(await StateStore.openExisting(file)).toBeNull();
    const store = await StateStore.open(file);
    store.recordSubmission(submission("2026-10"), [episode("E1")]);
    store.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = (await StateStore.openExisting(file)) as StateStore;
    expect(again.submissions().map((s) => s.submissionId)).toEqual(["NQX-2026-10-accepted"]);
    again.close();
    const db = new DatabaseSync(file);
    expect(db.prepare("PRAGMA user_version").get()).toEqual({ user_version: SCHEMA_VERSION });
    expect(db.prepare("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    await expect(StateStore.open(file)).rejects.toMatchObject({ code: "STATE_STORE_INVALID" });
  });

  it("answers for earlier periods only, and not at all when there is none", async () => {
    const store = await storeWith([submission("2026-10"), [episode("E1")]]);
    expect(store.priorEpisodes("NQX", "2026-10")).toBeNull();
    expect(store.priorEpisodes("OTHER", "2026-11")).toBeNull();
    const prior = store.priorEpisodes("NQX", "2026-11");
    expect(prior?.get("E1")).toMatchObject({ status: "accepted", dischargeDate: "2026-10-12" });
    expect(prior?.get("E404")).toBeUndefined();
    store.close();
  });

  it("tells accepted, out of scope and not held by PHIN apart; an accepted copy wins", async () => {
    const store = await storeWith(
      [submission("2026-08"), [episode("E1", "accepted", "2026-08-20")]],
      [submission("2026-09", "superseded"), [episode("E2"), episode("E1", "rejected")]],
      [submission("2026-10"), [episode("E3", "rejected"), episode("E4", "out_of_scope")]],
    );
    const prior = store.priorEpisodes("NQX", "2026-11");
    expect(prior?.get("E1")).toMatchObject({ status: "accepted", dischargeDate: "2026-08-20" });
    expect(prior?.get("E2")?.status).toBe("earlier_not_accepted");
    expect(prior?.get("E3")?.status).toBe("earlier_not_accepted");
    expect(prior?.get("E4")?.status).toBe("out_of_scope");
    store.close();
  });

  it("recording a submission again replaces its copy", async () => {
    const sub = submission("2026-10");
    const store = await storeWith([sub, [episode("E1"), episode("E2")]]);
    store.recordSubmission(sub, [episode("E2", "rejected")]);
    const prior = store.priorEpisodes("NQX", "2026-11");
    expect(prior?.get("E1")).toBeUndefined();
    expect(prior?.get("E2")?.status).toBe("earlier_not_accepted");
    store.close();
  });
});

describe("the month's episode index asks earlier months only for ids it lacks", () => {
  it("asks once per unknown id, never for this month's, and counts links satisfied earlier", () => {
    const asked: string[] = [];
    const earlier: EpisodeLink = { ...outOfScopeLink, status: "accepted", patient: 1 };
    const index = new EpisodeIndex({
      get: (id) => {
        asked.push(id);
        return id === "OLD" ? earlier : undefined;
      },
    });
    index.add("NEW", { ...earlier });
    for (const id of ["NEW", "OLD", "OLD", "GONE", "GONE", "NEW"]) index.lookup(id);
    expect(asked).toEqual(["OLD", "GONE"]);
    expect(index.fromEarlierMonth("OLD")).toBe(true);
    expect(index.fromEarlierMonth("NEW")).toBe(false);
    expect(index.fromEarlierMonth("GONE")).toBe(false);
  });
});

describe("link-keys files", () => {
  it("round-trip the keys, and a damaged line is refused naming file and line", async () => {
    const stateDir = tempDir("keys");
    const sub = submission("2026-10");
    const episodes = [episode("E1"), episode("E2", "rejected"), episode("E3", "out_of_scope")];
    const file = await writeLinkKeys(stateDir, sub, episodes);
    expect(file).toBe(linkKeysPath(stateDir, sub));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const { status: _status, ...kept } = sub;
    expect(await readLinkKeys(file)).toEqual({ submission: kept, episodes });

    appendFileSync(file, '["E4","accepted","not a number",null,null,null,null,null]\n');
    const error = await readLinkKeys(file).catch((e: unknown) => e);
    expect(isPhinError(error) && [error.code, error.line, error.file]).toEqual([
      "STATE_STORE_INVALID",
      5,
      file,
    ]);
    expect(String((error as Error).message)).not.toContain("not a number");
    writeFileSync(file, "");
    await expect(readLinkKeys(file)).rejects.toMatchObject({ code: "STATE_STORE_INVALID" });
  });
});

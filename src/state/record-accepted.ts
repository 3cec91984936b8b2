// Once PHIN's receipt for a submission verifies: its episodes' link keys are kept in a file
// (what `state rebuild` reads) and go into the state store, in one transaction. Recording the
// same submission again replaces its copy, so a rerun heals a store that missed a write.
import { PhinError } from "../errors.ts";
import type { Manifest } from "../package/manifest.ts";
import { type EpisodeLink, outOfScopeLink } from "../validate/episode-links.ts";
import { writeLinkKeys } from "./link-keys.ts";
import type { DatasetDigests } from "./record-digests.ts";
import { StateStore, type StoredEpisode, stateDbPath } from "./state-store.ts";

export interface AcceptedSubmission {
  readonly stateDir: string;
  readonly manifest: Manifest;
  /** PHIN's receipt time. */
  readonly receivedAt: string;
  /** This month's episodes as validation left them. */
  readonly episodes: () => Iterable<[string, EpisodeLink]>;
  /** The bundle's record digests (null: none kept, e.g. an XML bundle). */
  readonly digests?: readonly DatasetDigests[] | null;
}

/**
 * Only what the link rules read: a later record that names a rejected or out-of-scope episode is
 * judged on its status alone, so such an episode keeps no patient key, dates or codes (which, for
 * a rejected record, may be a misplaced identifier).
 */
function* stored(episodes: Iterable<[string, EpisodeLink]>): Generator<StoredEpisode> {
  for (const [episodeId, link] of episodes) {
    if (link.status === "earlier_not_accepted") continue;
    if (link.status !== "accepted") {
      // Every key blank, as for an out-of-scope episode; only the id and status are kept.
      yield { ...outOfScopeLink, episodeId, status: link.status };
      continue;
    }
    yield {
      episodeId,
      status: link.status,
      patient: link.patient,
      admissionDate: link.admissionDate,
      dischargeDate: link.dischargeDate,
      primaryProcedureDate: link.primaryProcedureDate,
      dischargeMethod: link.dischargeMethod,
      dischargeDestination: link.dischargeDestination,
    };
  }
}

/** Returns the number of episodes recorded. */
export async function recordAcceptedSubmission(input: AcceptedSubmission): Promise<number> {
  const { manifest } = input;
  const submission = {
    submissionId: manifest.submission_id,
    providerCode: manifest.provider_code,
    period: manifest.period,
    pseudonymKeyId: manifest.pseudonym_key_id,
    receivedAt: input.receivedAt,
  };
  try {
    await writeLinkKeys(input.stateDir, submission, stored(input.episodes()));
    const store = await StateStore.open(stateDbPath(input.stateDir));
    try {
      return store.recordSubmission(
        { ...submission, status: "accepted" },
        stored(input.episodes()),
        input.digests ?? [],
      );
    } finally {
      store.close();
    }
  } catch (cause) {
    throw new PhinError(
      "STATE_STORE_INVALID",
      `${submission.submissionId} is receipted, but its link keys could not be recorded`,
      {
        stage: "receipt",
        cause,
        hint: "fix the state directory, then rerun the same `phin-submit submit`: it sends nothing and records them",
      },
    );
  }
}

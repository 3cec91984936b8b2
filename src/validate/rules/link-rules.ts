// Rules for records that follow an episode (PROMs, adverse events): the link must resolve to an
// accepted episode of the same patient. Returns the linked episode for the dataset's own rules,
// or "out_of_scope" when the episode itself is out of scope.
import type { ParsedRecord } from "../compile-record-parser.ts";
import { type EpisodeLink, type EpisodeLinks, patientKey } from "../episode-links.ts";
import type { Report } from "../issue.ts";
import { type CheckContext, str } from "./context.ts";

export function resolveLink(
  rec: ParsedRecord,
  index: EpisodeLinks,
  ctx: CheckContext,
  report: Report,
): EpisodeLink | "out_of_scope" | undefined {
  const episodeId = str(rec.episode_id);
  if (episodeId === undefined) return undefined;
  const link = index.lookup(episodeId);
  if (link === undefined) {
    report("LINK_UNKNOWN_EPISODE", "episode_id", ctx.show("episode_id", episodeId));
    return undefined;
  }
  if (link.status === "out_of_scope") return "out_of_scope";
  if (link.status === "rejected") {
    report("LINK_REJECTED_EPISODE", "episode_id", ctx.show("episode_id", episodeId));
    return undefined;
  }
  if (link.status === "earlier_not_accepted") {
    report("LINK_EARLIER_EPISODE_NOT_ACCEPTED", "episode_id", ctx.show("episode_id", episodeId));
    return undefined;
  }
  const pseudonym = str(rec.patient_pseudonym);
  if (pseudonym !== undefined && link.patient !== null && patientKey(pseudonym) !== link.patient) {
    report("LINK_PSEUDONYM_MISMATCH", "patient_pseudonym");
  }
  return link;
}

// What PROMs and adverse events need to know about the episodes they link to: status, patient
// pseudonym and a few dates/codes. Built during the episodes pass; holds no patient values
// beyond the pseudonym, which is itself submitted. Earlier accepted submissions (kept by the
// ledger) can be consulted through `prior`.

export type LinkStatus = "accepted" | "rejected" | "out_of_scope";

export interface EpisodeLink {
  status: LinkStatus;
  readonly pseudonym: string | null;
  readonly admissionDate: string | null;
  readonly dischargeDate: string | null;
  readonly primaryProcedureDate: string | null;
  readonly dischargeMethod: string | null;
  readonly dischargeDestination: string | null;
}

/** Episodes accepted in earlier submissions, for PROMs/events that link back to them. */
export interface PriorEpisodes {
  get(episodeId: string): EpisodeLink | undefined;
}

export const noPriorEpisodes: PriorEpisodes = { get: () => undefined };

export class EpisodeIndex {
  readonly #links = new Map<string, EpisodeLink>();
  readonly #prior: PriorEpisodes;

  constructor(prior: PriorEpisodes = noPriorEpisodes) {
    this.#prior = prior;
  }

  /** Record an episode of this submission. An in-scope copy outranks an out-of-scope one. */
  add(episodeId: string, link: EpisodeLink): void {
    const existing = this.#links.get(episodeId);
    if (
      existing !== undefined &&
      existing.status !== "out_of_scope" &&
      link.status === "out_of_scope"
    )
      return;
    this.#links.set(episodeId, link);
  }

  /** Mark an episode rejected after the fact (duplicate ids, spell conflicts). */
  reject(episodeId: string): void {
    const link = this.#links.get(episodeId);
    if (link !== undefined) link.status = "rejected";
  }

  /** This submission's episode, else an earlier accepted one, else undefined. */
  lookup(episodeId: string): EpisodeLink | undefined {
    return this.#links.get(episodeId) ?? this.#prior.get(episodeId);
  }

  get size(): number {
    return this.#links.size;
  }
}

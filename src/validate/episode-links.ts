// What PROMs and adverse events need to know about the episode they follow: its status, the
// patient and the few dates and codes their rules compare with. No patient values.
// This month's episodes are kept in memory; earlier accepted months come from `prior` (the state
// store), asked only for ids this month does not have.

/**
 * `earlier_not_accepted`: an episode of an earlier month that PHIN does not hold: rejected by
 * validation in its month, or in a submission PHIN rejected or a resubmission replaced.
 */
export type LinkStatus = "accepted" | "rejected" | "out_of_scope" | "earlier_not_accepted";

export interface EpisodeLink {
  readonly status: LinkStatus;
  /** patientKey of the episode's pseudonym. */
  readonly patient: number | null;
  readonly admissionDate: string | null;
  readonly dischargeDate: string | null;
  readonly primaryProcedureDate: string | null;
  readonly dischargeMethod: string | null;
  readonly dischargeDestination: string | null;
}

/**
 * The patient as the first 52 bits of the pseudonym (an HMAC, so uniformly spread): enough to
 * tell patients apart (a chance clash is 1 in 2^52), held as a number where the 64-character
 * string would cost 80 bytes for each of a million episodes.
 */
export function patientKey(pseudonym: string): number {
  return Number.parseInt(pseudonym.slice(0, 13), 16);
}

/** What the rules of PROMs and adverse events ask about the episodes they link to. */
export interface EpisodeLinks {
  /** This submission's episode, else an earlier accepted one, else undefined. */
  lookup(episodeId: string): EpisodeLink | undefined;
}

/** Episodes accepted in earlier submissions. */
export interface PriorEpisodes {
  get(episodeId: string): EpisodeLink | undefined;
}

export const noPriorEpisodes: PriorEpisodes = { get: () => undefined };

export const outOfScopeLink: EpisodeLink = {
  status: "out_of_scope",
  patient: null,
  admissionDate: null,
  dischargeDate: null,
  primaryProcedureDate: null,
  dischargeMethod: null,
  dischargeDestination: null,
};

/** This submission's episodes, filled by the episodes pass. */
export class EpisodeIndex implements EpisodeLinks {
  readonly #month = new Map<string, EpisodeLink>();
  readonly #prior: PriorEpisodes;
  /** Answers from `prior`, so an id is asked once however many records name it. */
  readonly #earlier = new Map<string, EpisodeLink | null>();

  constructor(prior: PriorEpisodes = noPriorEpisodes) {
    this.#prior = prior;
  }

  /**
   * An episode as the pass read it. When an id comes more than once, an in-scope copy is not
   * replaced by an out-of-scope one; otherwise the later copy wins.
   */
  add(episodeId: string, link: EpisodeLink): void {
    const known = this.#month.get(episodeId);
    if (known !== undefined && known.status !== "out_of_scope" && link.status === "out_of_scope")
      return;
    this.#month.set(episodeId, link);
  }

  /** A rule across records rejected the episode after it was added. */
  reject(episodeId: string): void {
    const known = this.#month.get(episodeId);
    if (known !== undefined) this.#month.set(episodeId, { ...known, status: "rejected" });
  }

  lookup(episodeId: string): EpisodeLink | undefined {
    const own = this.#month.get(episodeId);
    if (own !== undefined || this.#prior === noPriorEpisodes) return own;
    let earlier = this.#earlier.get(episodeId);
    if (earlier === undefined) {
      earlier = this.#prior.get(episodeId) ?? null;
      this.#earlier.set(episodeId, earlier);
    }
    return earlier ?? undefined;
  }

  /** The id is not this month's and an accepted episode of an earlier month answered it. */
  fromEarlierMonth(episodeId: string): boolean {
    if (this.#earlier.size === 0) return false;
    return !this.#month.has(episodeId) && this.#earlier.get(episodeId)?.status === "accepted";
  }

  /** This month's episodes as the passes left them (what an accepted submission records). */
  monthEpisodes(): IterableIterator<[string, EpisodeLink]> {
    return this.#month.entries();
  }
}

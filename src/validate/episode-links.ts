// What PROMs and adverse events need to know about the episode they follow: its status, the
// patient and the few dates and codes their rules compare with. No patient values.
// This month's episodes are kept in memory; earlier accepted months come from `prior`.

export type LinkStatus = "accepted" | "rejected" | "out_of_scope";

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
    return this.#month.get(episodeId) ?? this.#prior.get(episodeId);
  }
}

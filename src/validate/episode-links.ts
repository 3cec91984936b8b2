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

/** No patient, in the patient column (keys are never negative). */
const NO_PATIENT = -1;

/**
 * This submission's episodes, filled by the episodes pass. Held as columns, one entry per
 * episode, rather than an object per episode: a month may hold a million episodes, and V8
 * spends several times the memory (and young-generation copying) on as many small objects.
 */
export class EpisodeIndex implements EpisodeLinks {
  readonly #position = new Map<string, number>();
  readonly #status: LinkStatus[] = [];
  readonly #patient: number[] = [];
  readonly #admission: (string | null)[] = [];
  readonly #discharge: (string | null)[] = [];
  readonly #procedure: (string | null)[] = [];
  readonly #method: (string | null)[] = [];
  readonly #destination: (string | null)[] = [];
  readonly #prior: PriorEpisodes;

  constructor(prior: PriorEpisodes = noPriorEpisodes) {
    this.#prior = prior;
  }

  /**
   * An episode as the pass read it. When an id comes more than once, an in-scope copy is not
   * replaced by an out-of-scope one; otherwise the later copy wins.
   */
  add(episodeId: string, link: EpisodeLink): void {
    let at = this.#position.get(episodeId);
    if (at === undefined) {
      at = this.#status.length;
      this.#position.set(episodeId, at);
    } else if (this.#status[at] !== "out_of_scope" && link.status === "out_of_scope") return;
    this.#status[at] = link.status;
    this.#patient[at] = link.patient ?? NO_PATIENT;
    this.#admission[at] = link.admissionDate;
    this.#discharge[at] = link.dischargeDate;
    this.#procedure[at] = link.primaryProcedureDate;
    this.#method[at] = link.dischargeMethod;
    this.#destination[at] = link.dischargeDestination;
  }

  /** A rule across records rejected the episode after it was added. */
  reject(episodeId: string): void {
    const at = this.#position.get(episodeId);
    if (at !== undefined) this.#status[at] = "rejected";
  }

  lookup(episodeId: string): EpisodeLink | undefined {
    const at = this.#position.get(episodeId);
    if (at === undefined) return this.#prior.get(episodeId);
    const patient = this.#patient[at] as number;
    return {
      status: this.#status[at] as LinkStatus,
      patient: patient === NO_PATIENT ? null : patient,
      admissionDate: this.#admission[at] ?? null,
      dischargeDate: this.#discharge[at] ?? null,
      primaryProcedureDate: this.#procedure[at] ?? null,
      dischargeMethod: this.#method[at] ?? null,
      dischargeDestination: this.#destination[at] ?? null,
    };
  }
}

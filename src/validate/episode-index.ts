// What PROMs and adverse events need to know about the episodes they link to: status, the
// patient (as the first 64 bits of the pseudonym) and a few dates and codes. Built during the
// episodes pass in compact typed arrays (about 60 bytes per episode with its key) and holding
// no patient values. Earlier accepted submissions can be consulted through `prior`.
import { formatDay, parseIsoDate } from "../formats/dates.ts";
import { pseudonymWord } from "./cross-record.ts";
import { ensureCapacity, KeyTable } from "./key-table.ts";

export type LinkStatus = "accepted" | "rejected" | "out_of_scope";

export interface EpisodeLink {
  readonly status: LinkStatus;
  /** First 16 hex characters of the patient pseudonym (64 bits), or null. */
  readonly pseudonymPrefix: string | null;
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

const statuses: readonly LinkStatus[] = ["accepted", "rejected", "out_of_scope"];
const NO_DAY = -0x80000000;
const toDay = (iso: string | null): number => {
  if (iso === null) return NO_DAY;
  const r = parseIsoDate(iso);
  return r.ok ? r.value : NO_DAY;
};
const fromDay = (day: number): string | null => (day === NO_DAY ? null : formatDay(day));
/** Codes are 1-2 characters: packed into 16 bits, 0 for none. */
const packCode = (code: string | null): number =>
  code === null ? 0 : (code.charCodeAt(0) << 8) | (code.length > 1 ? code.charCodeAt(1) : 0);
const unpackCode = (packed: number): string | null =>
  packed === 0
    ? null
    : String.fromCharCode(packed >> 8) +
      ((packed & 0xff) === 0 ? "" : String.fromCharCode(packed & 0xff));

export class EpisodeIndex {
  readonly #keys = new KeyTable(1024);
  #status = new Uint8Array(1024);
  #hi = new Uint32Array(1024);
  #lo = new Uint32Array(1024);
  #admission = new Int32Array(1024);
  #discharge = new Int32Array(1024);
  #procedure = new Int32Array(1024);
  #codes = new Uint32Array(1024);
  readonly #prior: PriorEpisodes;

  constructor(prior: PriorEpisodes = noPriorEpisodes) {
    this.#prior = prior;
  }

  #ensure(): void {
    const c = this.#keys.capacity;
    if (this.#status.length >= c) return;
    this.#status = ensureCapacity(this.#status, c);
    this.#hi = ensureCapacity(this.#hi, c);
    this.#lo = ensureCapacity(this.#lo, c);
    this.#admission = ensureCapacity(this.#admission, c);
    this.#discharge = ensureCapacity(this.#discharge, c);
    this.#procedure = ensureCapacity(this.#procedure, c);
    this.#codes = ensureCapacity(this.#codes, c);
  }

  /** Record an episode of this submission. An in-scope copy outranks an out-of-scope one. */
  add(episodeId: string, link: EpisodeLink & { readonly pseudonym?: string | null }): void {
    this.addAt(this.#keys.intern(episodeId), link);
  }

  /** `add` for an id already interned in `keys` (the episodes pass shares the table). */
  addAt(i: number, link: EpisodeLink & { readonly pseudonym?: string | null }): void {
    this.#ensure();
    const existing = this.#status[i] as number;
    if (
      existing !== 0 &&
      statuses[existing - 1] !== "out_of_scope" &&
      link.status === "out_of_scope"
    )
      return;
    this.#status[i] = statuses.indexOf(link.status) + 1;
    const pseudonym = link.pseudonym ?? null;
    const hi = pseudonym === null ? 0 : pseudonymWord(pseudonym, 0);
    const lo = pseudonym === null ? 0 : pseudonymWord(pseudonym, 8);
    this.#hi[i] = hi;
    this.#lo[i] = lo;
    this.#admission[i] = toDay(link.admissionDate);
    this.#discharge[i] = toDay(link.dischargeDate);
    this.#procedure[i] = toDay(link.primaryProcedureDate);
    this.#codes[i] = (packCode(link.dischargeMethod) << 16) | packCode(link.dischargeDestination);
    // A pseudonym of all zero bits is vanishingly unlikely; null is marked by the prefix string.
    if (pseudonym === null) this.#hi[i] = this.#lo[i] = 0xffffffff;
  }

  /** Mark an episode rejected after the fact (duplicate ids, spell conflicts). */
  reject(episodeId: string): void {
    const i = this.#keys.find(episodeId);
    if (i !== -1) this.#status[i] = 2;
  }

  /** This submission's episode, else an earlier accepted one, else undefined. */
  lookup(episodeId: string): EpisodeLink | undefined {
    const i = this.#keys.find(episodeId);
    if (i === -1) return this.#prior.get(episodeId);
    const hi = this.#hi[i] as number;
    const lo = this.#lo[i] as number;
    const codes = this.#codes[i] as number;
    return {
      status: statuses[(this.#status[i] as number) - 1] as LinkStatus,
      pseudonymPrefix:
        hi === 0xffffffff && lo === 0xffffffff
          ? null
          : hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0"),
      admissionDate: fromDay(this.#admission[i] as number),
      dischargeDate: fromDay(this.#discharge[i] as number),
      primaryProcedureDate: fromDay(this.#procedure[i] as number),
      dischargeMethod: unpackCode(codes >>> 16),
      dischargeDestination: unpackCode(codes & 0xffff),
    };
  }

  /** Status only (the scope check runs on every PROM and event, before anything else). */
  statusOf(episodeId: string): LinkStatus | undefined {
    const i = this.#keys.find(episodeId);
    if (i === -1) return this.#prior.get(episodeId)?.status;
    return statuses[(this.#status[i] as number) - 1];
  }

  /** The episode ids, shared with the episodes pass's duplicate check. */
  get keys(): KeyTable {
    return this.#keys;
  }

  get size(): number {
    return this.#keys.size;
  }

  get bytes(): number {
    return this.#keys.bytes + this.#status.byteLength * 29;
  }
}

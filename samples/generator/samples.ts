// The two bundled sample systems: a bulk of valid records plus an explicit scenario table of
// deliberate faults. Each scenario is a base valid record, a mutation, and the exact issues the
// mutation must raise (one entry per issue); expected.json is summed from the tables, never from
// a run of the pipeline, so the end-to-end test really checks the pipeline against the rules.
import type { DatasetName, RuleId } from "../../src/schemas/names.ts";
import { Expectations, type Expected } from "./expectations.ts";
import {
  type AdverseEvent,
  addDays,
  type Episode,
  hasProms,
  isoDay,
  type Prom,
  validEpisode,
  validEvent,
  validProm,
} from "./model.ts";
import { commentText, incidentText, type Person, person } from "./people.ts";
import { Rng } from "./prng.ts";

export interface SampleSystem {
  readonly name: string;
  readonly episodes: Episode[];
  readonly proms: Prom[];
  readonly events: AdverseEvent[];
  readonly people: Person[];
  readonly expected: Expected;
  /** The scenario table as it was applied, for the README. */
  readonly table: ScenarioRow[];
  /** The valid episodes of the bulk, and the keyed scenario episodes (later months link here). */
  readonly bulkEpisodes: readonly Episode[];
  readonly keyed: ReadonlyMap<string, Episode>;
}

export interface ScenarioRow {
  readonly dataset: DatasetName;
  readonly what: string;
  readonly expect: readonly RuleId[];
  readonly outOfScope: boolean;
  readonly times: number;
}

/** A change to a base record: fixed values, or computed from the record and the builder. */
type Mutation<T> = Partial<T> | ((record: T, b: Builder) => Partial<T>);

/**
 * Base episodes: `stay` is a random operation admitted and operated on 10 October and discharged
 * on the 12th; `hip` the same as a hip replacement (so OHS applies); `september` a stay that
 * ended in September.
 */
type EpisodeBase = "stay" | "hip" | "september";

export interface EpisodeScenario {
  /** Name other scenarios use to link to, or copy from, this episode. */
  readonly key?: string;
  readonly what: string;
  readonly base?: EpisodeBase;
  readonly change: Mutation<Episode>;
  readonly expect: readonly RuleId[];
  readonly outOfScope?: boolean;
}

export interface LinkedScenario<T> {
  readonly what: string;
  /** A keyed episode scenario, or a fresh valid episode made for this record alone. */
  readonly link: string | { readonly fresh: EpisodeBase; readonly change?: Partial<Episode> };
  readonly change: Mutation<T>;
  readonly expect: readonly RuleId[];
  readonly outOfScope?: boolean;
}

export interface SystemSpec {
  readonly name: string;
  readonly seed: number;
  readonly ids: {
    readonly episode: (n: number) => string;
    readonly spell: (n: number) => string;
    readonly prom: (n: number) => string;
    readonly event: (n: number) => string;
    readonly mrnPrefix: string;
  };
  readonly bulk: { readonly episodes: number; readonly proms: number; readonly events: number };
  /** The month's verdict the system is built to show; the generator refuses to write otherwise. */
  readonly verdict: Expected["verdict"];
  readonly episodes: readonly EpisodeScenario[];
  readonly proms: readonly LinkedScenario<Prom>[];
  readonly events: readonly LinkedScenario<AdverseEvent>[];
}

class Builder {
  readonly rng: Rng;
  readonly spec: SystemSpec;
  readonly episodes: Episode[] = [];
  readonly proms: Prom[] = [];
  readonly events: AdverseEvent[] = [];
  readonly people: Person[] = [];
  readonly expect = new Expectations();
  readonly table: ScenarioRow[] = [];
  readonly bulkEpisodes: Episode[] = [];
  readonly keyed = new Map<string, Episode>();
  readonly #mrns = new Set<string>();
  #episodeNo = 0;
  #spellNo = 0;
  #promNo = 0;
  #eventNo = 0;

  constructor(spec: SystemSpec) {
    this.spec = spec;
    this.rng = new Rng(spec.seed);
  }

  /** A new patient with an MRN no one else in this system has. */
  person(): Person {
    for (;;) {
      const p = person(this.rng, this.spec.ids.mrnPrefix);
      if (this.#mrns.has(p.mrn)) continue;
      this.#mrns.add(p.mrn);
      this.people.push(p);
      return p;
    }
  }

  /** The episode a keyed scenario produced. */
  ref(key: string): Episode {
    const e = this.keyed.get(key);
    if (e === undefined) throw new Error(`no episode scenario keyed ${key}`);
    return e;
  }

  newEpisode(base?: EpisodeBase): Episode {
    const e = validEpisode(
      this.rng,
      this.spec.ids.episode(++this.#episodeNo),
      this.spec.ids.spell(++this.#spellNo),
      this.person(),
    );
    if (base === undefined) return e;
    const admission = base === "september" ? "2026-09-21" : isoDay(10);
    const discharge = addDays(admission, 2);
    Object.assign(e, {
      admission,
      episodeStart: admission,
      episodeEnd: discharge,
      discharge,
      procedureDate: admission,
      classification: "1",
      site: "NQX01",
      secondaryProcedures: e.secondaryProcedures.map((s) => ({ ...s, date: admission })),
    });
    if (base === "hip")
      Object.assign(e, { diagnosis: "M16.1", procedure: "W37.1", specialty: "110" });
    return e;
  }

  #apply<T>(record: T, change: Mutation<T>): T {
    return Object.assign(
      record as object,
      typeof change === "function" ? change(record, this) : change,
    ) as T;
  }

  #row(dataset: DatasetName, s: { what: string; expect: readonly RuleId[]; outOfScope?: boolean }) {
    const last = this.table.at(-1);
    const outOfScope = s.outOfScope ?? false;
    if (last?.dataset === dataset && last.what === s.what && last.outOfScope === outOfScope) {
      this.table[this.table.length - 1] = { ...last, times: last.times + 1 };
    } else this.table.push({ dataset, what: s.what, expect: s.expect, outOfScope, times: 1 });
  }

  addEpisode(e: Episode, expect: readonly RuleId[] = [], outOfScope = false): Episode {
    this.episodes.push(e);
    this.expect.record("episodes", expect, outOfScope);
    return e;
  }

  episodeScenario(s: EpisodeScenario): void {
    const e = this.#apply(this.newEpisode(s.base ?? "stay"), s.change);
    this.addEpisode(e, s.expect, s.outOfScope);
    if (s.key !== undefined) {
      if (this.keyed.has(s.key)) throw new Error(`scenario key ${s.key} used twice`);
      this.keyed.set(s.key, e);
    }
    this.#row("episodes", s);
  }

  #linked(link: LinkedScenario<unknown>["link"]): Episode {
    if (typeof link === "string") return this.ref(link);
    // The fresh episode is valid: it counts as one more accepted episode.
    return this.addEpisode(Object.assign(this.newEpisode(link.fresh), link.change ?? {}));
  }

  promScenario(s: LinkedScenario<Prom>): void {
    const e = this.#linked(s.link);
    const base: Prom = {
      responseId: this.spec.ids.prom(++this.#promNo),
      episodeId: e.episodeId,
      person: e.person,
      site: e.site,
      group: "HIP_REPLACEMENT",
      instrument: "OHS",
      stage: "POST",
      completed: "2026-10-20",
      score: "40",
      profile: "",
      comment: "",
    };
    this.proms.push(this.#apply(base, s.change));
    this.expect.record("proms", s.expect, s.outOfScope);
    this.#row("proms", s);
  }

  eventScenario(s: LinkedScenario<AdverseEvent>): void {
    const e = this.#linked(s.link);
    const base: AdverseEvent = {
      eventId: this.spec.ids.event(++this.#eventNo),
      episodeId: e.episodeId,
      person: e.person,
      site: e.site,
      type: "RETURN_TO_THEATRE",
      date: addDays(e.admission, 1),
      unplanned: "Y",
      transferTo: "",
      harm: "2",
      description: incidentText(this.rng),
    };
    this.events.push(this.#apply(base, s.change));
    this.expect.record("adverse_events", s.expect, s.outOfScope);
    this.#row("adverse_events", s);
  }

  bulk(): void {
    const { episodes, proms, events } = this.spec.bulk;
    const valid = this.bulkEpisodes;
    for (let i = 0; i < episodes; i++) valid.push(this.addEpisode(this.newEpisode()));
    const withProms = valid.filter(hasProms);
    for (let i = 0; i < proms; i++) {
      const r = validProm(this.rng, this.spec.ids.prom(++this.#promNo), this.rng.pick(withProms));
      if (this.rng.chance(0.3)) r.comment = commentText(this.rng);
      this.proms.push(r);
      this.expect.record("proms", []);
    }
    for (let i = 0; i < events; i++) {
      const id = this.spec.ids.event(++this.#eventNo);
      this.events.push(validEvent(this.rng, id, this.rng.pick(valid), incidentText(this.rng)));
      this.expect.record("adverse_events", []);
    }
    this.table.push(
      { dataset: "episodes", what: "valid bulk", expect: [], outOfScope: false, times: episodes },
      { dataset: "proms", what: "valid bulk", expect: [], outOfScope: false, times: proms },
      {
        dataset: "adverse_events",
        what: "valid bulk",
        expect: [],
        outOfScope: false,
        times: events,
      },
    );
  }

  /** Deterministic shuffle so scenario records sit among the bulk, as in a real extract. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.rng.int(0, i);
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }
}

/** Build one system from its spec: bulk first, then the scenario tables in order, then shuffle. */
export function buildSystem(spec: SystemSpec, maxRejectedShare = 0.05): SampleSystem {
  const b = new Builder(spec);
  b.bulk();
  for (const s of spec.episodes) b.episodeScenario(s);
  for (const s of spec.proms) b.promScenario(s);
  for (const s of spec.events) b.eventScenario(s);
  const expected = b.expect.result(maxRejectedShare);
  if (expected.verdict !== spec.verdict) {
    const shares = Object.entries(expected.datasets)
      .map(([d, c]) => `${d} ${c.rejected}/${c.valid + c.rejected}`)
      .join(", ");
    throw new Error(
      `${spec.name} comes out ${expected.verdict} (${shares} rejected), built to be ${spec.verdict}`,
    );
  }
  return {
    name: spec.name,
    episodes: b.shuffle(b.episodes),
    proms: b.shuffle(b.proms),
    events: b.shuffle(b.events),
    people: b.people,
    expected,
    table: b.table,
    bulkEpisodes: b.bulkEpisodes,
    keyed: b.keyed,
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");
/** A day case admitted, operated on and discharged on 1 October. */
const dayCaseOnFirst: Partial<Episode> = {
  admission: "2026-10-01",
  episodeStart: "2026-10-01",
  episodeEnd: "2026-10-01",
  discharge: "2026-10-01",
  procedureDate: "2026-10-01",
  secondaryProcedures: [],
  classification: "2",
  site: "NQX02",
};
const hip = { fresh: "hip" } as const;
const stay = { fresh: "stay" } as const;

/** `count` copies of an out-of-scope episode scenario keyed `${key}-1` .. `${key}-count`. */
function outOfScope(key: string, count: number, what: string, change: Partial<Episode>) {
  return Array.from(
    { length: count },
    (_, i): EpisodeScenario => ({
      key: `${key}-${i + 1}`,
      what,
      change,
      expect: [],
      outOfScope: true,
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// MediPAS (CSV): every rule it can express within a month that is still "ready": each dataset's
// rejected share stays below 5 %. The rules it leaves out are raised by CarePoint.
// ---------------------------------------------------------------------------------------------
export const medipas: SystemSpec = {
  name: "pas-csv",
  seed: 20261001,
  ids: {
    episode: (n) => `E2610-${pad(n, 5)}`,
    spell: (n) => `S2610-${pad(n, 5)}`,
    prom: (n) => `PR-${pad(n, 6)}`,
    event: (n) => `INC-${pad(n, 5)}`,
    mrnPrefix: "MRN",
  },
  bulk: { episodes: 500, proms: 240, events: 195 },
  verdict: "ready",
  episodes: [
    // Field rules: one faulty field each.
    { what: "Sex blank", change: { sex: "" }, expect: ["REQUIRED"] },
    {
      key: "retired-method",
      what: "AdmitMethod 28 (retired code)",
      base: "hip",
      change: { admissionMethod: "28" },
      expect: ["CODE_SET"],
    },
    {
      what: "NHSStatus 1 (leading zero lost in a spreadsheet)",
      change: { nhsStatus: "1" },
      expect: ["CODE_SET"],
    },
    { what: "Specialty 11O (letter O for zero)", change: { specialty: "11O" }, expect: ["FORMAT"] },
    { what: "DOB 30/02/1970", change: { dob: "1970-02-30" }, expect: ["DATE_INVALID"] },
    {
      what: "NHS number with a wrong check digit",
      change: { nhsNumber: "9434765918" },
      expect: ["NHS_NUMBER_INVALID"],
    },
    {
      what: "PostCode QX1 1AA (Q cannot start a postcode)",
      change: { postcode: "QX1 1AA" },
      expect: ["POSTCODE_INVALID"],
    },
    { what: "Diag1 HIPOA (local text)", change: { diagnosis: "HIPOA" }, expect: ["ICD10_INVALID"] },
    {
      what: "Proc1 I12.1 (OPCS-4 has no chapter I)",
      change: { procedure: "I12.1" },
      expect: ["OPCS4_INVALID"],
    },
    {
      what: "Proc1 Y53.2 (Y code as primary)",
      change: { procedure: "Y53.2" },
      expect: ["OPCS4_PRIMARY_YZ"],
    },
    {
      what: "Cons CONS99 (not in the consultant lookup)",
      change: { consultant: "CONS99" },
      expect: ["CONSULTANT_CODE_INVALID"],
    },
    {
      what: "Diag1 Q89.9 (well-formed, not in the code list)",
      change: { diagnosis: "Q89.9" },
      expect: ["CODE_LIST_UNKNOWN"],
    },
    {
      what: "Site NQX09 (well-formed, not a configured site)",
      change: { site: "NQX09" },
      expect: ["SITE_UNKNOWN"],
    },
    // Rules across fields.
    {
      what: "EpiStart the day before AdmitDate",
      change: { episodeStart: "2026-10-09" },
      expect: ["EP_DATE_ORDER"],
    },
    {
      what: "Proc1 without Proc1Date",
      change: { procedureDate: "" },
      expect: ["EP_PROCEDURE_DATE_PAIR"],
    },
    {
      what: "ProcDate2 05/10/2027 (future, so also outside the episode)",
      change: { secondaryProcedures: [{ code: "Y53.2", date: "2027-10-05" }] },
      expect: ["EP_FUTURE_DATE", "EP_PROCEDURE_DATE_RANGE"],
    },
    {
      what: "discharged in September",
      base: "september",
      change: {},
      expect: ["EP_DISCHARGE_PERIOD"],
    },
    {
      what: "DOB 12/03/1901 (aged 125 at admission)",
      change: { dob: "1901-03-12" },
      expect: ["EP_AGE_RANGE"],
    },
    {
      what: "DischMethod 4 (died) with DischDest 19 (usual residence)",
      change: { dischargeMethod: "4" },
      expect: ["EP_DEATH_CONSISTENCY"],
    },
    {
      what: "NHSStatus 01 with NHSNo blank",
      change: { nhsNumber: "", nhsStatus: "01" },
      expect: ["EP_NHS_STATUS_VERIFIED", "EP_NHS_NUMBER_BLANK"],
    },
    // Rules across records.
    { key: "dup", what: "EpisodeNo used twice (first copy)", change: {}, expect: ["DUPLICATE_ID"] },
    {
      what: "EpisodeNo used twice (second copy, another patient)",
      change: (_, b) => ({ episodeId: b.ref("dup").episodeId }),
      expect: ["DUPLICATE_ID"],
    },
    {
      key: "spell",
      what: "SpellNo shared by two patients (first)",
      change: {},
      expect: ["EP_SPELL_PATIENT_CONFLICT"],
    },
    {
      what: "SpellNo shared by two patients (second)",
      change: (_, b) => ({ spellId: b.ref("spell").spellId }),
      expect: ["EP_SPELL_PATIENT_CONFLICT"],
    },
    // Warnings only: accepted.
    {
      what: "Proc1 W3712 (local 5th character)",
      change: { procedure: "W3712" },
      expect: ["OPCS4_LOCAL_EXTENSION"],
    },
    {
      what: "PatClass 2 (day case) staying two nights",
      change: { classification: "2" },
      expect: ["EP_DAY_CASE_LOS"],
    },
    {
      what: "Cons DEFAULT (C9999998) on an operation",
      change: { consultant: "C9999998" },
      expect: ["EP_DEFAULT_CONSULTANT"],
    },
    {
      what: "Payer I without InsurerCode",
      change: { funding: "INSURED", insurer: "" },
      expect: ["EP_INSURER_MISSING"],
    },
    {
      what: "NHSNo blank, NHSStatus 03",
      change: { nhsNumber: "", nhsStatus: "03" },
      expect: ["EP_NHS_NUMBER_BLANK"],
    },
    // Values that look odd but are fine after normalisation.
    {
      what: "PostCode in lower case without the space",
      change: (e) => ({ postcode: e.postcode.toLowerCase().replace(" ", "") }),
      expect: [],
    },
    {
      what: "Diag1 M161 without the dot",
      change: { diagnosis: "M161", procedure: "W37.1" },
      expect: [],
    },
    // Out of scope: counted, never validated (one would fail POSTCODE_INVALID if it were).
    ...outOfScope("nhs", 14, "Payer N (NHS-funded)", { funding: "NHS", insurer: "" }),
    ...outOfScope("nhs-cat", 5, "AdminCat 1 (NHS category 01)", { adminCategory: "01" }),
    ...outOfScope("nhs-bad", 1, "Payer N with an invalid postcode (not reported)", {
      funding: "NHS",
      insurer: "",
      postcode: "NOT A POSTCODE",
    }),
    ...outOfScope("nhs-lower", 1, "Payer nhs (unmapped, upper-cased to NHS)", {
      funding: "nhs",
      insurer: "",
    }),
  ],
  proms: [
    {
      what: "OXKNEE questionnaire for a hip group",
      link: hip,
      change: { instrument: "OKS" },
      expect: ["PROM_INSTRUMENT_GROUP"],
    },
    {
      what: "OHS score 49",
      link: hip,
      change: { score: "49" },
      expect: ["PROM_SCORE_RANGE"],
    },
    { what: "OHS score blank", link: hip, change: { score: "" }, expect: ["PROM_SCORE_MISSING"] },
    {
      what: "EQ5D without a profile",
      link: hip,
      change: { instrument: "EQ5D5L", score: "", profile: "" },
      expect: ["PROM_PROFILE_MISSING"],
    },
    {
      what: "Pre-op completed after the operation",
      link: hip,
      change: { stage: "PRE", completed: "2026-10-15" },
      expect: ["PROM_STAGE_TIMING"],
    },
    {
      what: "EpisodeNo not in the extract",
      link: hip,
      change: { episodeId: "E2610-99999" },
      expect: ["LINK_UNKNOWN_EPISODE"],
    },
    {
      what: "linked to the episode with AdmitMethod 28",
      link: "retired-method",
      change: { instrument: "EQVAS", score: "70" },
      expect: ["LINK_REJECTED_EPISODE"],
    },
    {
      what: "HospitalNo differs from the episode's",
      link: hip,
      change: (_, b) => ({ person: b.person() }),
      expect: ["LINK_PSEUDONYM_MISMATCH"],
    },
    {
      what: "CompletedOn 03/11/2026 (after the period)",
      link: hip,
      change: { completed: "2026-11-03" },
      expect: ["DATE_AFTER_PERIOD"],
    },
    { what: "Score n/a", link: hip, change: { score: "n/a" }, expect: ["NUMBER_INVALID"] },
    {
      what: "Phase Discharge (no value map entry)",
      link: hip,
      change: { stage: "Discharge" },
      expect: ["CODE_SET"],
    },
    {
      what: "Pre-op completed on the day of the operation",
      link: hip,
      change: { stage: "PRE", completed: "2026-10-10" },
      expect: [],
    },
    {
      what: "Pre-op completed in September",
      link: hip,
      change: { stage: "PRE", completed: "2026-09-24", score: "17" },
      expect: [],
    },
    ...[1, 2, 3].map(
      (n): LinkedScenario<Prom> => ({
        what: "linked to an NHS-funded episode",
        link: `nhs-${n}`,
        change: { instrument: "EQVAS", score: "55" },
        expect: [],
        outOfScope: true,
      }),
    ),
    {
      what: "OHS score 99 on an NHS-funded episode (not validated)",
      link: "nhs-4",
      change: { score: "99" },
      expect: [],
      outOfScope: true,
    },
  ],
  events: [
    {
      what: "incident two days before admission",
      link: stay,
      change: { date: "2026-10-08" },
      expect: ["AE_BEFORE_ADMISSION"],
    },
    {
      what: "READMIT on the discharge day",
      link: stay,
      change: { type: "READMISSION", date: "2026-10-12" },
      expect: ["AE_READMISSION_WINDOW"],
    },
    {
      what: "TRANSFER without TransferTo, episode discharged home",
      link: stay,
      change: { type: "TRANSFER_OUT" },
      expect: ["AE_TRANSFER_DESTINATION", "AE_TRANSFER_DISCHARGE"],
    },
    { what: "IncidentRef used twice", link: stay, change: {}, expect: ["DUPLICATE_ID"] },
    {
      what: "IncidentRef used twice",
      link: stay,
      change: (a, b) => ({ eventId: b.events.at(-1)?.eventId ?? a.eventId }),
      expect: ["DUPLICATE_ID"],
    },
    {
      what: "TRANSFER to RJ1, episode discharged home",
      link: stay,
      change: { type: "TRANSFER_OUT", transferTo: "RJ1" },
      expect: ["AE_TRANSFER_DISCHARGE"],
    },
    {
      what: "DEATH on the discharge day, episode not ended by death",
      link: stay,
      change: { type: "DEATH", date: "2026-10-12", harm: "5" },
      expect: ["AE_DEATH_DISCHARGE"],
    },
    {
      what: "IncidentDate 02/11/2026 (after the period)",
      link: stay,
      change: { date: "2026-11-02" },
      expect: ["DATE_AFTER_PERIOD"],
    },
    {
      what: "EpisodeNo not in the extract",
      link: stay,
      change: { episodeId: "E2610-99998" },
      expect: ["LINK_UNKNOWN_EPISODE"],
    },
    {
      what: "linked to the episode with AdmitMethod 28",
      link: "retired-method",
      change: {},
      expect: ["LINK_REJECTED_EPISODE"],
    },
    {
      what: "HospitalNo differs from the episode's",
      link: stay,
      change: (_, b) => ({ person: b.person() }),
      expect: ["LINK_PSEUDONYM_MISMATCH"],
    },
    {
      what: "TRANSFER to RJ1, episode discharged to another hospital (49)",
      link: { fresh: "stay", change: { dischargeDestination: "49" } },
      change: { type: "TRANSFER_OUT", transferTo: "RJ1", date: "2026-10-12" },
      expect: [],
    },
    {
      what: "DEATH on the discharge day of an episode ended by death (4/79)",
      link: { fresh: "stay", change: { dischargeMethod: "4", dischargeDestination: "79" } },
      change: { type: "DEATH", date: "2026-10-12", harm: "5" },
      expect: [],
    },
    {
      what: "READMIT 30 days after a day case on 1 October",
      link: { fresh: "stay", change: dayCaseOnFirst },
      change: { type: "READMISSION", date: "2026-10-31" },
      expect: [],
    },
    ...[5, 6].map(
      (n): LinkedScenario<AdverseEvent> => ({
        what: "linked to an NHS-funded episode",
        link: `nhs-${n}`,
        change: {},
        expect: [],
        outOfScope: true,
      }),
    ),
  ],
};

// ---------------------------------------------------------------------------------------------
// CarePoint (XML): fewer records and the rules MediPAS leaves out, so the month is blocked.
// ---------------------------------------------------------------------------------------------
export const carepoint: SystemSpec = {
  name: "pas-xml",
  seed: 20261002,
  ids: {
    episode: (n) => `CP-E${pad(n, 4)}`,
    spell: (n) => `CP-S${pad(n, 4)}`,
    prom: (n) => `CP-R${pad(n, 4)}`,
    event: (n) => `CP-I${pad(n, 4)}`,
    mrnPrefix: "PTN",
  },
  bulk: { episodes: 12, proms: 15, events: 4 },
  verdict: "blocked",
  episodes: [
    {
      what: "20 <Secondary> diagnoses",
      change: {
        secondaryDiagnoses: Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? "I10" : "E11.9")),
      },
      expect: ["LIST_TOO_LONG"],
    },
    { what: "<Specialty>T&amp;O</Specialty>", change: { specialty: "T&O" }, expect: ["FORMAT"] },
    {
      what: "procedure code W37 (3 characters)",
      change: { procedure: "W37" },
      expect: ["OPCS4_INVALID"],
    },
    { what: "born 1899 (aged 127)", change: { dob: "1899-03-01" }, expect: ["EP_AGE_RANGE"] },
    {
      what: "discharge destination 79 (died) with method 1",
      change: { dischargeDestination: "79" },
      expect: ["EP_DEATH_CONSISTENCY"],
    },
    {
      what: "primary procedure dated after the episode ended",
      change: { procedureDate: "2026-10-16" },
      expect: ["EP_PROCEDURE_DATE_RANGE"],
    },
    { what: "<DOB> missing", change: { dob: "" }, expect: ["REQUIRED"] },
    {
      what: "Gender indeterminate (no value map entry)",
      change: { sex: "indeterminate" },
      expect: ["CODE_SET"],
    },
    {
      what: "episode end 2026-10-32",
      change: { episodeEnd: "2026-10-32" },
      expect: ["DATE_INVALID"],
    },
    {
      what: "NHS number 943 476 5918 (spaced, wrong check digit)",
      change: { nhsNumber: "943 476 5918" },
      expect: ["NHS_NUMBER_INVALID"],
    },
    {
      what: "<Primary> diagnosis Hip OA (text, not a code)",
      change: { diagnosis: "Hip OA" },
      expect: ["ICD10_INVALID"],
    },
    {
      what: "primary procedure Z94.2 (Z code as primary)",
      change: { procedure: "Z94.2" },
      expect: ["OPCS4_PRIMARY_YZ"],
    },
    {
      what: "postcode YO31 7CK (C and K never in the inward code)",
      change: { postcode: "YO31 7CK" },
      expect: ["POSTCODE_INVALID"],
    },
    {
      what: 'consultant gmc="123456" (six digits)',
      change: { consultant: "123456" },
      expect: ["CONSULTANT_CODE_INVALID"],
    },
    {
      what: "<Site>H3</Site> mapped to NQX03, a site missing from the config",
      change: { site: "NQX03" },
      expect: ["SITE_UNKNOWN"],
    },
    {
      what: "discharged the day before the episode ended",
      change: { discharge: "2026-10-11" },
      expect: ["EP_DATE_ORDER"],
    },
    {
      what: "secondary <Procedure> with a <Date> and no <Code>",
      change: { secondaryProcedures: [{ code: "", date: "2026-10-10" }] },
      expect: ["EP_PROCEDURE_DATE_PAIR"],
    },
    {
      what: "primary procedure dated 2027-10-10 (year typed wrong)",
      change: { procedureDate: "2027-10-10" },
      expect: ["EP_FUTURE_DATE", "EP_PROCEDURE_DATE_RANGE"],
    },
    {
      what: "discharged in September",
      base: "september",
      change: {},
      expect: ["EP_DISCHARGE_PERIOD"],
    },
    {
      what: 'NHS status "01" with <NHSNo> empty',
      change: { nhsNumber: "", nhsStatus: "01" },
      expect: ["EP_NHS_STATUS_VERIFIED", "EP_NHS_NUMBER_BLANK"],
    },
    {
      key: "dup",
      what: "episode id used twice (first copy)",
      change: {},
      expect: ["DUPLICATE_ID"],
    },
    {
      what: "episode id used twice (second copy, another patient)",
      change: (_, b) => ({ episodeId: b.ref("dup").episodeId }),
      expect: ["DUPLICATE_ID"],
    },
    {
      key: "spell",
      what: "spell shared by two patients (first)",
      change: {},
      expect: ["EP_SPELL_PATIENT_CONFLICT"],
    },
    {
      what: "spell shared by two patients (second)",
      change: (_, b) => ({ spellId: b.ref("spell").spellId }),
      expect: ["EP_SPELL_PATIENT_CONFLICT"],
    },
    {
      what: "procedure W37.12 (local 5th character)",
      change: { procedure: "W37.12" },
      expect: ["OPCS4_LOCAL_EXTENSION"],
    },
    {
      what: "NHS number blank, status 04",
      change: { nhsNumber: "", nhsStatus: "04" },
      expect: ["EP_NHS_NUMBER_BLANK"],
    },
    {
      what: "consultant C9999998 on an operation",
      change: { consultant: "C9999998" },
      expect: ["EP_DEFAULT_CONSULTANT"],
    },
    {
      what: 'classification="2" (day case) staying two nights',
      change: { classification: "2" },
      expect: ["EP_DAY_CASE_LOS"],
    },
    {
      what: 'source="insured" without an insurer attribute',
      change: { funding: "INSURED", insurer: "" },
      expect: ["EP_INSURER_MISSING"],
    },
    ...outOfScope("nhs", 2, 'Funding category="01"', { adminCategory: "01" }),
    ...outOfScope("nhs-src", 1, 'Funding source="nhs"', { funding: "NHS", insurer: "" }),
  ],
  proms: [
    { what: "<Stage> empty", link: hip, change: { stage: "" }, expect: ["REQUIRED"] },
    {
      what: "EQ5D5L profile 1234X",
      link: hip,
      change: { instrument: "EQ5D5L", score: "", profile: "1234X" },
      expect: ["FORMAT"],
    },
    { what: "stage during", link: hip, change: { stage: "during" }, expect: ["CODE_SET"] },
    {
      what: "completed 2026-09-31",
      link: hip,
      change: { completed: "2026-09-31" },
      expect: ["DATE_INVALID"],
    },
    { what: "score forty", link: hip, change: { score: "forty" }, expect: ["NUMBER_INVALID"] },
    {
      what: "completed 2026-11-03 (after the period)",
      link: hip,
      change: { completed: "2026-11-03" },
      expect: ["DATE_AFTER_PERIOD"],
    },
    {
      what: "patient id differs from the episode's",
      link: hip,
      change: (_, b) => ({ person: b.person() }),
      expect: ["LINK_PSEUDONYM_MISMATCH"],
    },
    {
      what: "CATPROM5 score 9.5",
      link: {
        fresh: "stay",
        change: { diagnosis: "H25.9", procedure: "C71.1", specialty: "130" },
      },
      change: { group: "CATARACT", instrument: "CATPROM5", score: "9.5" },
      expect: ["PROM_SCORE_RANGE"],
    },
    { what: "response id used twice", link: hip, change: {}, expect: ["DUPLICATE_ID"] },
    {
      what: "response id used twice",
      link: hip,
      change: (r, b) => ({ responseId: b.proms.at(-1)?.responseId ?? r.responseId }),
      expect: ["DUPLICATE_ID"],
    },
    {
      what: "OKS for a hip replacement",
      link: hip,
      change: { instrument: "OKS" },
      expect: ["PROM_INSTRUMENT_GROUP"],
    },
    {
      what: "OHS without <Score>",
      link: hip,
      change: { score: "" },
      expect: ["PROM_SCORE_MISSING"],
    },
    {
      what: "EQ5D5L without <Profile>",
      link: hip,
      change: { instrument: "EQ5D5L", score: "", profile: "" },
      expect: ["PROM_PROFILE_MISSING"],
    },
    {
      what: "post completed on the day of the operation",
      link: hip,
      change: { stage: "POST", completed: "2026-10-10" },
      expect: ["PROM_STAGE_TIMING"],
    },
    {
      what: "linked to an NHS-category episode",
      link: "nhs-1",
      change: { instrument: "EQVAS", score: "60" },
      expect: [],
      outOfScope: true,
    },
  ],
  events: [
    { what: "<Date> missing", link: stay, change: { date: "" }, expect: ["REQUIRED"] },
    { what: "type FALL", link: stay, change: { type: "FALL" }, expect: ["CODE_SET"] },
    {
      what: "date 2026-10-32",
      link: stay,
      change: { date: "2026-10-32" },
      expect: ["DATE_INVALID"],
    },
    {
      what: "dated 2026-11-02 (after the period)",
      link: stay,
      change: { date: "2026-11-02" },
      expect: ["DATE_AFTER_PERIOD"],
    },
    {
      what: "episode id not in the extract",
      link: stay,
      change: { episodeId: "CP-E9998" },
      expect: ["LINK_UNKNOWN_EPISODE"],
    },
    {
      what: "linked to the duplicated episode id",
      link: "dup",
      change: {},
      expect: ["LINK_REJECTED_EPISODE"],
    },
    {
      what: "patient id differs from the episode's",
      link: stay,
      change: (_, b) => ({ person: b.person() }),
      expect: ["LINK_PSEUDONYM_MISMATCH"],
    },
    {
      what: "DEATH on the discharge day, episode not ended by death",
      link: stay,
      change: { type: "DEATH", date: "2026-10-12", harm: "5" },
      expect: ["AE_DEATH_DISCHARGE"],
    },
    {
      what: "incident the day before admission",
      link: stay,
      change: { date: "2026-10-09" },
      expect: ["AE_BEFORE_ADMISSION"],
    },
    {
      what: "READMISSION dated during the stay",
      link: stay,
      change: { type: "READMISSION", date: "2026-10-11" },
      expect: ["AE_READMISSION_WINDOW"],
    },
    {
      what: "READMISSION 31 days after a day case on 1 October (so also after the period)",
      link: { fresh: "stay", change: dayCaseOnFirst },
      change: { type: "READMISSION", date: "2026-11-01" },
      expect: ["AE_READMISSION_WINDOW", "DATE_AFTER_PERIOD"],
    },
    {
      what: "TRANSFER_OUT without <TransferTo>, episode discharged to 51 (another hospital)",
      link: { fresh: "stay", change: { dischargeDestination: "51" } },
      change: { type: "TRANSFER_OUT", date: "2026-10-12" },
      expect: ["AE_TRANSFER_DESTINATION"],
    },
    {
      what: "TRANSFER_OUT to RR8, episode discharged home (19)",
      link: stay,
      change: { type: "TRANSFER_OUT", transferTo: "RR8", date: "2026-10-12" },
      expect: ["AE_TRANSFER_DISCHARGE"],
    },
    { what: "incident id used twice", link: stay, change: {}, expect: ["DUPLICATE_ID"] },
    {
      what: "incident id used twice",
      link: stay,
      change: (a, b) => ({ eventId: b.events.at(-1)?.eventId ?? a.eventId }),
      expect: ["DUPLICATE_ID"],
    },
    {
      what: "linked to an NHS-funded episode",
      link: "nhs-src-1",
      change: {},
      expect: [],
      outOfScope: true,
    },
  ],
};

export const medipasSample = (): SampleSystem => buildSystem(medipas);
export const carepointSample = (): SampleSystem => buildSystem(carepoint);

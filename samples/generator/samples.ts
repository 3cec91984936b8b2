// The two bundled sample systems: a bulk of valid records plus an explicit scenario table of
// deliberate faults, each with the issues it must raise. expected.json is summed from the table.
import type { RuleId } from "../../src/validate/rule-catalogue.ts";
import { Expectations, type Expected } from "./expectations.ts";
import {
  type AdverseEvent,
  addDays,
  type Episode,
  isoDay,
  type Prom,
  validEpisode,
  validEvent,
  validProm,
} from "./model.ts";
import { incidentText, type Person, person } from "./people.ts";
import { Rng } from "./prng.ts";

export interface SampleSystem {
  readonly episodes: Episode[];
  readonly proms: Prom[];
  readonly events: AdverseEvent[];
  readonly people: Person[];
  readonly expected: Expected;
}

interface Ids {
  episode: (n: number) => string;
  spell: (n: number) => string;
  prom: (n: number) => string;
  event: (n: number) => string;
  mrnPrefix: string;
}

/** Scenario helpers shared by both systems. */
class Builder {
  readonly rng: Rng;
  readonly ids: Ids;
  readonly episodes: Episode[] = [];
  readonly proms: Prom[] = [];
  readonly events: AdverseEvent[] = [];
  readonly people: Person[] = [];
  readonly expect = new Expectations();
  #episodeNo = 0;
  #spellNo = 0;
  #promNo = 0;
  #eventNo = 0;
  readonly #mrns = new Set<string>();

  constructor(seed: number, ids: Ids) {
    this.rng = new Rng(seed);
    this.ids = ids;
  }

  person(): Person {
    for (;;) {
      const p = person(this.rng, this.ids.mrnPrefix);
      if (this.#mrns.has(p.mrn)) continue;
      this.#mrns.add(p.mrn);
      this.people.push(p);
      return p;
    }
  }

  /** A fresh valid episode; `fixed` pins its dates (admission day, length of stay). */
  newEpisode(fixed?: { admitDay: number; los: number }): Episode {
    const e = validEpisode(
      this.rng,
      this.ids.episode(++this.#episodeNo),
      this.ids.spell(++this.#spellNo),
      this.person(),
    );
    if (fixed) {
      const admission = isoDay(fixed.admitDay);
      const discharge = isoDay(fixed.admitDay + fixed.los);
      Object.assign(e, {
        admission,
        episodeStart: admission,
        episodeEnd: discharge,
        discharge,
        procedureDate: admission,
        classification: fixed.los === 0 ? "2" : "1",
        site: fixed.los === 0 ? "NQX02" : "NQX01",
        secondaryProcedures: e.secondaryProcedures.map((s) => ({ ...s, date: admission })),
      });
    }
    return e;
  }

  /** A hip replacement episode (OHS applies), admitted and operated on 10 October, home on the 12th. */
  hipEpisode(): Episode {
    const e = this.newEpisode({ admitDay: 10, los: 2 });
    Object.assign(e, { diagnosis: "M16.1", procedure: "W37.1", specialty: "110" });
    return e;
  }

  episode(e: Episode, raised: RuleId[] = [], outOfScope = false): Episode {
    this.episodes.push(e);
    this.expect.record("episodes", raised, outOfScope);
    return e;
  }

  nextPromId(): string {
    return this.ids.prom(++this.#promNo);
  }

  nextEventId(): string {
    return this.ids.event(++this.#eventNo);
  }

  prom(linked: Episode, change: Partial<Prom>, raised: RuleId[] = [], outOfScope = false): Prom {
    const base: Prom = {
      responseId: this.nextPromId(),
      episodeId: linked.episodeId,
      person: linked.person,
      site: linked.site,
      group: "HIP_REPLACEMENT",
      instrument: "OHS",
      stage: "POST",
      completed: "2026-10-20",
      score: "40",
      profile: "",
      comment: "",
    };
    const r = { ...base, ...change };
    this.proms.push(r);
    this.expect.record("proms", raised, outOfScope);
    return r;
  }

  event(
    linked: Episode,
    change: Partial<AdverseEvent>,
    raised: RuleId[] = [],
    outOfScope = false,
  ): AdverseEvent {
    const base: AdverseEvent = {
      eventId: this.nextEventId(),
      episodeId: linked.episodeId,
      person: linked.person,
      site: linked.site,
      type: "RETURN_TO_THEATRE",
      date: addDays(linked.admission, 1),
      unplanned: "Y",
      transferTo: "",
      harm: "2",
      description: incidentText(this.rng),
    };
    const a = { ...base, ...change };
    this.events.push(a);
    this.expect.record("adverse_events", raised, outOfScope);
    return a;
  }

  bulk(episodes: number, proms: number, events: number): Episode[] {
    const valid: Episode[] = [];
    for (let i = 0; i < episodes; i++) valid.push(this.episode(this.newEpisode()));
    for (let i = 0; i < proms; i++) {
      this.proms.push(validProm(this.rng, this.nextPromId(), this.rng.pick(valid)));
      this.expect.record("proms", []);
    }
    for (let i = 0; i < events; i++) {
      this.events.push(
        validEvent(this.rng, this.nextEventId(), this.rng.pick(valid), incidentText(this.rng)),
      );
      this.expect.record("adverse_events", []);
    }
    return valid;
  }

  /** Deterministic shuffle so scenario records sit among the bulk, as in a real extract. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.rng.int(0, i);
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }

  done(maxRejectedShare: number): SampleSystem {
    return {
      episodes: this.shuffle(this.episodes),
      proms: this.shuffle(this.proms),
      events: this.shuffle(this.events),
      people: this.people,
      expected: this.expect.result(maxRejectedShare),
    };
  }
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** MediPAS (CSV): every rule it can express, verdict ready. */
export function medipasSample(): SampleSystem {
  const b = new Builder(20261001, {
    episode: (n) => `E2610-${pad(n, 5)}`,
    spell: (n) => `S2610-${pad(n, 5)}`,
    prom: (n) => `PR-${pad(n, 6)}`,
    event: (n) => `INC-${pad(n, 5)}`,
    mrnPrefix: "MRN",
  });
  b.bulk(800, 420, 280);
  const ep = (
    change: Partial<Episode>,
    raised: RuleId[],
    fixed?: { admitDay: number; los: number },
  ) => b.episode(Object.assign(b.newEpisode(fixed ?? { admitDay: 12, los: 2 }), change), raised);

  // Field rules.
  ep({ site: "" }, ["REQUIRED"]);
  ep({ sex: "" }, ["REQUIRED"]);
  ep({ spellId: "S 2610 X" }, ["FORMAT"]);
  ep({ specialty: "11" }, ["FORMAT"]);
  ep({ admissionMethod: "28" }, ["CODE_SET"]);
  ep({ dischargeMethod: "6" }, ["CODE_SET"]);
  ep({ sex: "Q" }, ["CODE_SET"]);
  ep({ dob: "1970-02-30" }, ["DATE_INVALID"]);
  ep({ discharge: "2026/10/14" }, ["DATE_INVALID"]);
  ep({ nhsNumber: "9434765918" }, ["NHS_NUMBER_INVALID"]);
  ep({ nhsNumber: "1111111111" }, ["NHS_NUMBER_INVALID"]);
  ep({ postcode: "QX1 1AA" }, ["POSTCODE_INVALID"]);
  ep({ diagnosis: "HIPOA" }, ["ICD10_INVALID"]);
  ep({ secondaryDiagnoses: ["I10", "12.3"] }, ["ICD10_INVALID"]);
  ep({ procedure: "I23.4" }, ["OPCS4_INVALID"]);
  ep({ procedure: "Y53.2" }, ["OPCS4_PRIMARY_YZ"]);
  ep({ procedure: "W37.18" }, ["OPCS4_LOCAL_EXTENSION"]);
  ep({ consultant: "CONS99" }, ["CONSULTANT_CODE_INVALID"]);
  ep({ diagnosis: "Q89.9" }, ["CODE_LIST_UNKNOWN"]);
  ep({ secondaryProcedures: [{ code: "X99.9", date: "2026-10-12" }] }, ["CODE_LIST_UNKNOWN"]);
  ep({ site: "ANNEX" }, ["SITE_UNKNOWN"]);
  // Rules across fields.
  ep({ episodeStart: "2026-10-11" }, ["EP_DATE_ORDER"]);
  ep({ procedureDate: "2026-10-16" }, ["EP_PROCEDURE_DATE_RANGE"]);
  ep({ procedureDate: "" }, ["EP_PROCEDURE_DATE_PAIR"]);
  ep({ secondaryProcedures: [{ code: "", date: "2026-10-12" }] }, ["EP_PROCEDURE_DATE_PAIR"]);
  ep({ secondaryProcedures: [{ code: "Y53.2", date: "2099-01-05" }] }, [
    "EP_FUTURE_DATE",
    "EP_PROCEDURE_DATE_RANGE",
  ]);
  ep({ dob: "1899-03-01" }, ["EP_AGE_RANGE"]);
  const september = {
    admission: "2026-09-20",
    episodeStart: "2026-09-20",
    episodeEnd: "2026-09-23",
    discharge: "2026-09-23",
    procedureDate: "2026-09-20",
    secondaryProcedures: [],
  };
  ep(september, ["EP_DISCHARGE_PERIOD"]);
  const died = ep({ dischargeMethod: "4" }, ["EP_DEATH_CONSISTENCY"]);
  ep({ nhsNumber: "", nhsStatus: "01" }, ["EP_NHS_STATUS_VERIFIED", "EP_NHS_NUMBER_BLANK"]);
  ep({ classification: "2" }, ["EP_DAY_CASE_LOS"]);
  ep({ consultant: "C9999998" }, ["EP_DEFAULT_CONSULTANT"]);
  ep({ funding: "INSURED", insurer: "" }, ["EP_INSURER_MISSING"]);
  ep({ nhsNumber: "", nhsStatus: "03" }, ["EP_NHS_NUMBER_BLANK"]);
  // Rules across records.
  const dup = ep({}, ["DUPLICATE_ID"]);
  ep({ episodeId: dup.episodeId }, ["DUPLICATE_ID"]);
  const shared = ep({}, ["EP_SPELL_PATIENT_CONFLICT"]);
  ep({ spellId: shared.spellId }, ["EP_SPELL_PATIENT_CONFLICT"]);
  // Out of scope: NHS-funded (or NHS category) episodes are counted, never validated.
  const nhs: Episode[] = [];
  for (let i = 0; i < 15; i++)
    nhs.push(b.episode(Object.assign(b.newEpisode(), { funding: "NHS", insurer: "" }), [], true));
  for (let i = 0; i < 5; i++)
    nhs.push(b.episode(Object.assign(b.newEpisode(), { adminCategory: "01" }), [], true));
  b.episode(
    Object.assign(b.newEpisode(), { funding: "NHS", insurer: "", postcode: "NOT A POSTCODE" }),
    [],
    true,
  );

  // PROMs, each on its own hip episode (OHS, operated 10 October).
  const hip = () => b.episode(b.hipEpisode());
  b.prom(hip(), { stage: "" }, ["REQUIRED"]);
  b.prom(hip(), { instrument: "EQ5D5L", score: "", profile: "1234X" }, ["FORMAT"]);
  b.prom(hip(), { instrument: "SF36" }, ["CODE_SET"]);
  b.prom(hip(), { completed: "2026-09-31" }, ["DATE_INVALID"]);
  b.prom(hip(), { score: "forty" }, ["NUMBER_INVALID"]);
  b.prom(hip(), { instrument: "OKS" }, ["PROM_INSTRUMENT_GROUP"]);
  b.prom(hip(), { score: "49" }, ["PROM_SCORE_RANGE"]);
  b.prom(hip(), { score: "40.5" }, ["PROM_SCORE_RANGE"]);
  b.prom(hip(), { score: "" }, ["PROM_SCORE_MISSING"]);
  b.prom(hip(), { instrument: "EQ5D5L", score: "", profile: "" }, ["PROM_PROFILE_MISSING"]);
  b.prom(hip(), { stage: "PRE", completed: "2026-10-15" }, ["PROM_STAGE_TIMING"]);
  b.prom(hip(), { completed: "2026-11-03" }, ["DATE_AFTER_PERIOD"]);
  b.prom(hip(), { episodeId: "E2610-99999" }, ["LINK_UNKNOWN_EPISODE"]);
  b.prom(died, { group: "HIP_REPLACEMENT", instrument: "EQVAS", score: "70" }, [
    "LINK_REJECTED_EPISODE",
  ]);
  b.prom(hip(), { person: b.person() }, ["LINK_PSEUDONYM_MISMATCH"]);
  const twice = b.prom(hip(), {}, ["DUPLICATE_ID"]);
  b.prom(hip(), { responseId: twice.responseId }, ["DUPLICATE_ID"]);
  for (const e of nhs.slice(0, 3)) b.prom(e, { instrument: "EQVAS", score: "55" }, [], true);

  // Adverse events, each on its own episode (admitted 10 October, discharged the 12th).
  const stay = () => b.episode(b.newEpisode({ admitDay: 10, los: 2 }));
  b.event(stay(), { unplanned: "" }, ["REQUIRED"]);
  b.event(stay(), { type: "FALL" }, ["CODE_SET"]);
  b.event(stay(), { date: "2026/10/11" }, ["DATE_INVALID"]);
  b.event(stay(), { date: "2026-10-08" }, ["AE_BEFORE_ADMISSION"]);
  b.event(stay(), { type: "READMISSION", date: "2026-10-12" }, ["AE_READMISSION_WINDOW"]);
  b.event(stay(), { type: "TRANSFER_OUT" }, ["AE_TRANSFER_DESTINATION", "AE_TRANSFER_DISCHARGE"]);
  b.event(stay(), { type: "TRANSFER_OUT", transferTo: "RJ1" }, ["AE_TRANSFER_DISCHARGE"]);
  b.event(stay(), { type: "DEATH", date: "2026-10-12", harm: "5" }, ["AE_DEATH_DISCHARGE"]);
  b.event(stay(), { date: "2026-11-02" }, ["DATE_AFTER_PERIOD"]);
  b.event(stay(), { episodeId: "E2610-88888" }, ["LINK_UNKNOWN_EPISODE"]);
  b.event(dup, { date: "2026-10-13" }, ["LINK_REJECTED_EPISODE"]);
  b.event(stay(), { person: b.person() }, ["LINK_PSEUDONYM_MISMATCH"]);
  const again = b.event(stay(), {}, ["DUPLICATE_ID"]);
  b.event(stay(), { eventId: again.eventId }, ["DUPLICATE_ID"]);
  for (const e of nhs.slice(3, 5)) b.event(e, { date: e.admission }, [], true);

  return b.done(0.05);
}

/** CarePoint (XML): fewer records, enough faults to block the month (rejected share > 5 %). */
export function carepointSample(): SampleSystem {
  const b = new Builder(20261002, {
    episode: (n) => `CP-E${pad(n, 4)}`,
    spell: (n) => `CP-S${pad(n, 4)}`,
    prom: (n) => `CP-R${pad(n, 4)}`,
    event: (n) => `CP-I${pad(n, 4)}`,
    mrnPrefix: "PTN",
  });
  b.bulk(50, 20, 12);
  const ep = (change: Partial<Episode>, raised: RuleId[]) =>
    b.episode(Object.assign(b.newEpisode({ admitDay: 14, los: 1 }), change), raised);

  ep(
    { secondaryDiagnoses: Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? "I10" : "E11.9")) },
    ["LIST_TOO_LONG"],
  );
  ep({ dob: "" }, ["REQUIRED"]);
  ep({ sex: "Z" }, ["CODE_SET"]);
  ep({ episodeEnd: "2026-10-32" }, ["DATE_INVALID"]);
  ep({ nhsNumber: "9434765918" }, ["NHS_NUMBER_INVALID"]);
  ep({ dischargeDestination: "79" }, ["EP_DEATH_CONSISTENCY"]);
  ep({ procedure: "W37.12" }, ["OPCS4_LOCAL_EXTENSION"]);
  ep({ nhsNumber: "", nhsStatus: "04" }, ["EP_NHS_NUMBER_BLANK"]);
  ep({ consultant: "C9999998" }, ["EP_DEFAULT_CONSULTANT"]);
  const dup = ep({}, ["DUPLICATE_ID"]);
  ep({ episodeId: dup.episodeId }, ["DUPLICATE_ID"]);
  const shared = ep({}, ["EP_SPELL_PATIENT_CONFLICT"]);
  ep({ spellId: shared.spellId }, ["EP_SPELL_PATIENT_CONFLICT"]);
  const nhs: Episode[] = [];
  for (let i = 0; i < 3; i++)
    nhs.push(b.episode(Object.assign(b.newEpisode(), { adminCategory: "01" }), [], true));

  const cataract = b.episode(
    Object.assign(b.newEpisode({ admitDay: 5, los: 0 }), {
      diagnosis: "H25.9",
      procedure: "C71.1",
      specialty: "130",
    }),
  );
  b.prom(cataract, { group: "CATARACT", instrument: "CATPROM5", score: "9.5" }, [
    "PROM_SCORE_RANGE",
  ]);
  b.prom(b.episode(b.hipEpisode()), { stage: "POST", completed: "2026-10-10" }, [
    "PROM_STAGE_TIMING",
  ]);
  b.prom(b.episode(b.hipEpisode()), { stage: "DURING" }, ["CODE_SET"]);
  b.prom(b.episode(b.hipEpisode()), { episodeId: "CP-E9999" }, ["LINK_UNKNOWN_EPISODE"]);
  b.prom(nhs[0] as Episode, { instrument: "EQVAS", score: "60" }, [], true);

  const stay = () => b.episode(b.newEpisode({ admitDay: 10, los: 2 }));
  b.event(stay(), { date: "2026-10-09" }, ["AE_BEFORE_ADMISSION"]);
  b.event(stay(), { type: "TRANSFER_OUT" }, ["AE_TRANSFER_DESTINATION", "AE_TRANSFER_DISCHARGE"]);
  b.event(stay(), { date: "" }, ["REQUIRED"]);
  b.event(nhs[1] as Episode, { date: (nhs[1] as Episode).admission }, [], true);

  return b.done(0.05);
}

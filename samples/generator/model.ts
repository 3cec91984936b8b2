// Synthetic records in national codes (what PHIN would get), plus the person they belong to.
// The writers translate these into each source system's local layout and codes; a value a
// writer cannot translate is written as it is, which is how deliberate errors get in.
import { nhsNumber, postcode } from "./identifiers.ts";
import { type Person, person } from "./people.ts";
import type { Rng } from "./prng.ts";

export interface Procedure {
  code: string;
  date: string;
}

export interface Episode {
  episodeId: string;
  spellId: string;
  person: Person;
  site: string;
  nhsNumber: string;
  nhsStatus: string;
  dob: string;
  sex: string;
  postcode: string;
  ethnic: string;
  adminCategory: string;
  funding: string;
  insurer: string;
  admission: string;
  admissionMethod: string;
  admissionSource: string;
  classification: string;
  episodeStart: string;
  episodeEnd: string;
  discharge: string;
  dischargeMethod: string;
  dischargeDestination: string;
  /** GMC number without the C, or a default code, or a local id for lookup tests. */
  consultant: string;
  specialty: string;
  diagnosis: string;
  secondaryDiagnoses: string[];
  procedure: string;
  procedureDate: string;
  secondaryProcedures: { code: string; date: string }[];
}

export interface Prom {
  responseId: string;
  episodeId: string;
  person: Person;
  site: string;
  group: string;
  instrument: string;
  stage: string;
  completed: string;
  score: string;
  profile: string;
  comment: string;
}

export interface AdverseEvent {
  eventId: string;
  episodeId: string;
  person: Person;
  site: string;
  type: string;
  date: string;
  unplanned: string;
  transferTo: string;
  harm: string;
  description: string;
}

/** Operations and the codes that go with them (diagnosis, procedure, PROM group, instruments). */
export const casemix = [
  {
    diagnosis: "M16.1",
    procedure: "W37.1",
    specialty: "110",
    group: "HIP_REPLACEMENT",
    instruments: ["OHS", "EQ5D5L", "EQVAS"],
  },
  {
    diagnosis: "M17.1",
    procedure: "W40.1",
    specialty: "110",
    group: "KNEE_REPLACEMENT",
    instruments: ["OKS", "EQVAS"],
  },
  {
    diagnosis: "H25.9",
    procedure: "C71.1",
    specialty: "130",
    group: "CATARACT",
    instruments: ["CATPROM5"],
  },
  {
    diagnosis: "N40",
    procedure: "M65.1",
    specialty: "101",
    group: "TURP",
    instruments: ["IPSS", "EQ5D5L"],
  },
  {
    diagnosis: "J34.2",
    procedure: "E03.6",
    specialty: "120",
    group: "SEPTOPLASTY",
    instruments: ["NOSE"],
  },
  {
    diagnosis: "L90.5",
    procedure: "S02.1",
    specialty: "160",
    group: "ABDOMINOPLASTY",
    instruments: ["BODYQ"],
  },
  {
    diagnosis: "N62",
    procedure: "B31.2",
    specialty: "160",
    group: "BREAST_REDUCTION",
    instruments: ["BREASTQ"],
  },
  // No PROM programme covers hernia repair: these episodes never get a questionnaire.
  {
    diagnosis: "K40.9",
    procedure: "T20.1",
    specialty: "100",
    group: null,
    instruments: [],
  },
] as const;

export type Casemix = (typeof casemix)[number];

export const secondaryDiagnosisPool = ["I10", "E11.9", "E66.9", "J45.9", "K21.9", "Z86.7"] as const;
export const secondaryProcedurePool = ["Y53.2", "Z94.2", "X40.3", "Y80.2"] as const;
/** The hospital's consultants: GMC numbers (the CSV system knows them by local ids). */
export const consultants = [
  "2345671",
  "3456782",
  "4567893",
  "5678904",
  "6789015",
  "2468013",
  "3579024",
  "4681357",
  "5792468",
  "6813579",
] as const;

export const insurers = ["BUPA", "AXAPPP", "VITALITY", "AVIVA", "WPA"] as const;

/** A calendar month the generator writes: its id (YYYY-MM) and its number of days. */
export interface Month {
  readonly id: string;
  readonly days: number;
}

export function month(id: string): Month {
  const [year, mm] = id.split("-").map(Number) as [number, number];
  return { id, days: new Date(Date.UTC(year, mm, 0)).getUTCDate() };
}

/** The bundled samples' month. */
export const october = month("2026-10");

export function isoDay(day: number, m: Month = october): string {
  return `${m.id}-${String(day).padStart(2, "0")}`;
}

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A valid, in-scope, privately funded episode discharged in the month (October 2026). */
export function validEpisode(
  rng: Rng,
  id: string,
  spell: string,
  who: Person = person(rng),
  m: Month = october,
): Episode {
  const kind = rng.pick(casemix);
  const los = rng.int(0, 4);
  const admitDay = rng.int(1, m.days - los);
  const admission = isoDay(admitDay, m);
  const discharge = isoDay(admitDay + los, m);
  const insured = rng.chance(0.6);
  const secondary = rng.int(0, 3);
  return {
    episodeId: id,
    spellId: spell,
    person: who,
    site: los === 0 ? "NQX02" : "NQX01",
    nhsNumber: nhsNumber(rng),
    nhsStatus: "01",
    dob: `${rng.int(1935, 2000)}-${String(rng.int(1, 12)).padStart(2, "0")}-${String(rng.int(1, 28)).padStart(2, "0")}`,
    sex: rng.pick(["1", "2"]),
    postcode: postcode(rng),
    ethnic: rng.pick(["A", "B", "C", "J", "M", "Z", "99"]),
    adminCategory: "02",
    funding: insured ? "INSURED" : rng.pick(["SELF", "SELF", "OTHER"]),
    insurer: insured ? rng.pick(insurers) : "",
    admission,
    admissionMethod: rng.pick(["11", "11", "11", "12"]),
    admissionSource: rng.pick(["19", "19", "19", "51"]),
    classification: los === 0 ? "2" : "1",
    episodeStart: admission,
    episodeEnd: discharge,
    discharge,
    dischargeMethod: "1",
    dischargeDestination: "19",
    consultant: rng.pick(consultants),
    specialty: kind.specialty,
    diagnosis: kind.diagnosis,
    secondaryDiagnoses: Array.from({ length: secondary }, () => rng.pick(secondaryDiagnosisPool)),
    procedure: kind.procedure,
    procedureDate: admission,
    secondaryProcedures: rng.chance(0.5)
      ? [{ code: rng.pick(secondaryProcedurePool), date: admission }]
      : [],
  };
}

export function groupOf(episode: Episode): Casemix {
  return casemix.find((c) => c.procedure === episode.procedure) ?? (casemix[0] as Casemix);
}

/** Whether a PROM programme covers the episode's operation. */
export function hasProms(episode: Episode): boolean {
  return groupOf(episode).group !== null;
}

export const scoreFor = (rng: Rng, instrument: string): { score: string; profile: string } => {
  switch (instrument) {
    case "EQ5D5L":
      return { score: "", profile: Array.from({ length: 5 }, () => rng.int(1, 5)).join("") };
    case "OHS":
    case "OKS":
      return { score: String(rng.int(5, 48)), profile: "" };
    case "IPSS":
      return { score: String(rng.int(0, 35)), profile: "" };
    case "EQVAS":
      return { score: String(rng.int(20, 100)), profile: "" };
    case "CATPROM5":
      return { score: (rng.int(-80, 80) / 10).toFixed(1), profile: "" };
    default:
      return { score: String(rng.int(10, 100)), profile: "" };
  }
};

/** A valid PROM for an accepted episode: PRE before its procedure, POST after, both in range. */
export function validProm(rng: Rng, id: string, episode: Episode, m: Month = october): Prom {
  const kind = groupOf(episode);
  if (kind.group === null) throw new Error(`no PROMs for ${episode.procedure}`);
  const instrument = rng.pick(kind.instruments as readonly string[]);
  const procDay = Number(episode.procedureDate.slice(8));
  const post = procDay < m.days - 1 && rng.chance(0.5);
  const completed = post
    ? isoDay(rng.int(procDay + 1, m.days), m)
    : addDays(episode.procedureDate, -rng.int(0, 20));
  return {
    responseId: id,
    episodeId: episode.episodeId,
    person: episode.person,
    site: episode.site,
    group: kind.group,
    instrument,
    stage: post ? "POST" : "PRE",
    completed,
    ...scoreFor(rng, instrument),
    comment: "",
  };
}

/** A valid adverse event for an accepted episode, dated within the period. */
export function validEvent(
  rng: Rng,
  id: string,
  episode: Episode,
  description: string,
  m: Month = october,
): AdverseEvent {
  const discharge = Number(episode.discharge.slice(8));
  const admission = Number(episode.admission.slice(8));
  const readmission = discharge < m.days && rng.chance(0.3);
  const type = readmission
    ? "READMISSION"
    : rng.pick(["RETURN_TO_THEATRE", "SURGICAL_SITE_INFECTION", "VTE", "FACILITY_INFECTION"]);
  const date = readmission
    ? isoDay(rng.int(discharge + 1, m.days), m)
    : isoDay(rng.int(admission, discharge), m);
  return {
    eventId: id,
    episodeId: episode.episodeId,
    person: episode.person,
    site: episode.site,
    type,
    date,
    unplanned: rng.chance(0.8) ? "Y" : "N",
    transferTo: "",
    harm: String(rng.int(1, 3)),
    description,
  };
}

/** Stored form of an ICD-10 code (docs/datasets.md): no dot, 3-character codes padded with X. */
export function storedIcd10(code: string): string {
  const c = code.replace(".", "");
  return c.length === 3 ? `${c}X` : c;
}

/** Stored form of an OPCS-4 code (docs/datasets.md): 4 characters, no dot. */
export const storedOpcs4 = (code: string): string => code.replace(".", "");

/** Every code a valid synthetic record uses, for the sample code lists. */
export const codesInUse = {
  icd10: [...new Set([...casemix.map((c) => c.diagnosis), ...secondaryDiagnosisPool])],
  opcs4: [...new Set([...casemix.map((c) => c.procedure), ...secondaryProcedurePool])],
};

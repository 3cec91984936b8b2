// Fake personal data for the extracts: deliberately distinctive, so the leak test can search
// every output byte for it without false alarms. None of it may ever leave the pipeline.
import type { Rng } from "./prng.ts";

const surnames = [
  "Featherstonehaugh",
  "Cholmondeley",
  "Auchterlonie",
  "Wolstenholme",
  "Quarrington",
  "Thistlewood",
  "Marjoribanks",
  "Dalrymple-Hay",
  "Fothergill",
  "Ravenscroft",
  "Blenkinsop",
  "Higginbottom",
  "Pemberton-Oakes",
  "Throckmorton",
  "Vavasour",
  "Culpepper",
  "Ffoulkes",
  "Molyneux",
  "Oyelaran-Brooks",
  "Nakamura-Lisle",
  "Szczepaniak",
  "Ó Súilleabháin",
  "Müllerstein",
  "Castañeda-Rowe",
] as const;
const forenames = [
  "Perpetua",
  "Hildegard",
  "Octavius",
  "Barnabas",
  "Clementine",
  "Ignatius",
  "Wilhelmina",
  "Ptolemy",
  "Seraphina",
  "Aloysius",
  "Eglantine",
  "Cornelius",
  "Philippa-Jane",
  "Thaddeus",
  "Zénobie",
  "Björnar",
] as const;
const streets = [
  "Quillfeather Lane",
  "Tanners Wynd",
  "Gooseberry Row",
  "Mallowmarsh Road",
  "Tinctern Close",
  "Wrenfield Gardens",
] as const;
const localities = [
  "Upper Dunsforth",
  "Nether Quarrelby",
  "Hobwick Green",
  "Saltmarsh End",
] as const;
const towns = [
  "Wickhambrook Magna",
  "Nether Piddleton",
  "Gorsemoor Regis",
  "Thistlebury",
  "Crumblethorpe",
] as const;
const gps = ["Dr Aurelia Pennyfeather", "Dr Montague Scrivener", "Dr Isadora Quennell"] as const;
const notes = [
  "Patient anxious about anaesthetic; daughter collecting, paid £20 parking",
  "Allergic to elastoplast; prefers to be called Perry",
  "Lives alone, key safe code given to ward clerk\nCall her daughter before discharge",
  "Wife & son visiting after six; bring the reading glasses",
  "Declined chaplaincy visit, asked for extra pillows",
  "Hearing aid kept in the bedside locker\nMeals: no pork & no shellfish",
] as const;
const incidents = [
  "Slipped near bay 4 after night sedation, no injury seen",
  "Wound ooze noted by night staff; surgeon informed at 02:10",
  "Transferred by ambulance after collapse in recovery",
  "Readmitted via GP with painful swollen calf",
] as const;
const reporters = [
  "Staff Nurse Gwendolyn Ashdown",
  "Charge Nurse Rupert Ellingham",
  "Sister Bronwen Tallis",
] as const;
const comments = [
  "Very happy with the nursing team",
  "Food could be better, room was lovely",
  "Parking was a nightmare",
] as const;

export interface Person {
  readonly mrn: string;
  readonly surname: string;
  readonly forename: string;
  readonly addr1: string;
  readonly addr2: string;
  readonly town: string;
  readonly phone: string;
  readonly mobile: string;
  readonly email: string;
  readonly nokName: string;
  readonly nokPhone: string;
  readonly card: string;
  readonly gp: string;
  readonly notes: string;
}

const mrnLetters = "ACDEFHJKMNPQRTUVWXY";

/** `MRN-` + five letters/digits; never shaped like an episode id. */
export function mrn(rng: Rng, prefix = "MRN"): string {
  let s = "";
  for (let i = 0; i < 5; i++) s += i % 2 === 0 ? rng.pick([...mrnLetters]) : String(rng.int(0, 9));
  return `${prefix}-${s}`;
}

export function person(rng: Rng, mrnPrefix = "MRN"): Person {
  const surname = rng.pick(surnames);
  const forename = rng.pick(forenames);
  const n = rng.int(100, 999);
  return {
    mrn: mrn(rng, mrnPrefix),
    surname,
    forename,
    addr1: `${rng.int(2, 98)} ${rng.pick(streets)}`,
    addr2: rng.pick(localities),
    town: rng.pick(towns),
    phone: `01632 ${rng.int(960000, 960999)}`,
    mobile: `07700 ${rng.int(900000, 900999)}`,
    email: `${forename.toLowerCase().replace(/[^a-z]/g, "")}.${surname.toLowerCase().replace(/[^a-z]/g, "")}${n}@example.invalid`,
    nokName: `${rng.pick(forenames)} ${rng.pick(surnames)}`,
    nokPhone: `07700 ${rng.int(901000, 901999)}`,
    card: `4929 ${rng.int(1000, 9999)} ${rng.int(1000, 9999)} ${rng.int(1000, 9999)}`,
    gp: rng.pick(gps),
    notes: rng.pick(notes),
  };
}

export const incidentText = (rng: Rng) => rng.pick(incidents);
export const reporterName = (rng: Rng) => rng.pick(reporters);
export const commentText = (rng: Rng) => rng.pick(comments);

/**
 * Free text as a leak would show it: the whole text, and each line or `&`-separated part long
 * enough to be distinctive (an XML writer would escape `&`, a CSV writer might split lines).
 */
export function textAndParts(text: string): string[] {
  const parts = text.split(/\n| & /).filter((t) => t.length >= 12);
  return parts.length > 1 ? [text, ...parts] : [text];
}

/** Every PII value a set of people carries, for samples/pii-values.json. */
export function piiOf(people: Iterable<Person>, extra: Iterable<string> = []): string[] {
  const out = new Set<string>();
  for (const t of extra) for (const v of textAndParts(t)) out.add(v);
  for (const p of people) {
    for (const v of [
      p.mrn,
      p.surname,
      p.forename,
      `${p.forename} ${p.surname}`,
      p.addr1,
      p.addr2,
      p.town,
      p.phone,
      p.mobile,
      p.email,
      p.nokName,
      p.nokPhone,
      p.card,
      p.gp,
      ...textAndParts(p.notes),
    ]) {
      out.add(v);
    }
  }
  return [...out].sort();
}

export const allIncidentTexts: readonly string[] = incidents;
export const allCommentTexts: readonly string[] = comments;
export const allReporters: readonly string[] = reporters;

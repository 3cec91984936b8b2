// Any month after the bundled one, in the MediPAS layout: its own episodes, PROMs and events,
// plus post-operative PROMs and events that follow episodes of the month before (the bundled
// 2026-10 sample, or that month as generated here). A few scenarios show the links across
// months: an episode id found nowhere, one the earlier month rejected, one it left out of scope.
// The expectations hold once the month before has been submitted (its episodes are in the
// state store); validated alone, the links to it are LINK_UNKNOWN_EPISODE.
import type { DatasetName, RuleId } from "../../src/schemas/names.ts";
import { Expectations } from "./expectations.ts";
import {
  type AdverseEvent,
  addDays,
  type Episode,
  groupOf,
  hasProms,
  isoDay,
  type Month,
  month,
  type Prom,
  scoreFor,
  validEpisode,
  validEvent,
  validProm,
} from "./model.ts";
import { commentText, incidentText, type Person, person } from "./people.ts";
import { Rng } from "./prng.ts";
import { medipasSample, type SampleSystem, type ScenarioRow } from "./samples.ts";

/** The bundled month, written by `--samples` from generator/samples.ts. */
export const BUNDLED_MONTH = "2026-10";

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const seedOf = (m: Month) => Number(m.id.replace("-", "")) * 100;

export function previousMonth(id: string): string {
  const [year, mm] = id.split("-").map(Number) as [number, number];
  return mm === 1 ? `${year - 1}-12` : `${year}-${pad(mm - 1, 2)}`;
}

/** A month's episodes the next month links to. */
interface MonthEpisodes {
  readonly all: Episode[];
  /** Valid, with a PROM programme or not. */
  readonly valid: Episode[];
  readonly rejected: Episode;
  readonly outOfScope: Episode;
  readonly people: Person[];
}

/** The generated month's episodes: drawn first, from the month's own seed, so the next month
 * can make them again without its PROMs and events. */
function generatedEpisodes(m: Month): MonthEpisodes {
  const rng = new Rng(seedOf(m) + 1);
  const yymm = m.id.slice(2).replace("-", "");
  const people: Person[] = [];
  const episode = (n: number) => {
    const who = person(rng, `MRN${yymm}`);
    people.push(who);
    return validEpisode(rng, `E${yymm}-${pad(n, 5)}`, `S${yymm}-${pad(n, 5)}`, who, m);
  };
  const valid = Array.from({ length: 300 }, (_, i) => episode(i + 1));
  const rejected = Object.assign(episode(301), { sex: "" });
  const outOfScope = Object.assign(episode(302), { funding: "NHS", insurer: "" });
  return { all: [...valid, rejected, outOfScope], valid, rejected, outOfScope, people };
}

function bundledEpisodes(): MonthEpisodes {
  const s = medipasSample();
  const ref = (key: string) => s.keyed.get(key) as Episode;
  return {
    all: s.episodes,
    valid: [...s.bulkEpisodes],
    rejected: ref("retired-method"),
    outOfScope: ref("nhs-1"),
    people: s.people,
  };
}

function episodesOf(id: string): MonthEpisodes {
  return id === BUNDLED_MONTH ? bundledEpisodes() : generatedEpisodes(month(id));
}

/** A post-operative PROM, completed this month, for an episode of an earlier month. */
function laterProm(rng: Rng, id: string, e: Episode, m: Month): Prom {
  const kind = groupOf(e);
  const instrument = rng.pick(kind.instruments as readonly string[]);
  return {
    responseId: id,
    episodeId: e.episodeId,
    person: e.person,
    site: e.site,
    group: kind.group ?? "HIP_REPLACEMENT",
    instrument,
    stage: "POST",
    completed: isoDay(rng.int(1, m.days), m),
    ...scoreFor(rng, instrument),
    comment: "",
  };
}

/** An event this month after an earlier month's episode: a readmission within 30 days, or not. */
function laterEvent(rng: Rng, id: string, e: Episode, m: Month): AdverseEvent {
  const date = isoDay(rng.int(1, 10), m);
  return {
    eventId: id,
    episodeId: e.episodeId,
    person: e.person,
    site: e.site,
    type: date <= addDays(e.discharge, 30) ? "READMISSION" : "SURGICAL_SITE_INFECTION",
    date,
    unplanned: "Y",
    transferTo: "",
    harm: String(rng.int(1, 3)),
    description: incidentText(rng),
  };
}

export function monthSample(id: string): SampleSystem {
  if (id === BUNDLED_MONTH) return medipasSample();
  const m = month(id);
  const own = generatedEpisodes(m);
  const before = episodesOf(previousMonth(id));
  const rng = new Rng(seedOf(m) + 2);
  const yymm = id.slice(2).replace("-", "");
  const expect = new Expectations();
  const table: ScenarioRow[] = [];
  const proms: Prom[] = [];
  const events: AdverseEvent[] = [];
  const promId = () => `PR${yymm}-${pad(proms.length + 1, 5)}`;
  const eventId = () => `INC${yymm}-${pad(events.length + 1, 5)}`;
  const row = (dataset: DatasetName, what: string, times: number, rules: RuleId[] = []) =>
    table.push({ dataset, what, expect: rules, outOfScope: false, times });

  for (let i = 0; i < own.valid.length; i++) expect.record("episodes", []);
  expect.record("episodes", ["REQUIRED"]);
  expect.record("episodes", [], true);
  row("episodes", "valid bulk", own.valid.length);
  table.push(
    { dataset: "episodes", what: "Sex blank", expect: ["REQUIRED"], outOfScope: false, times: 1 },
    { dataset: "episodes", what: "Payer N (NHS-funded)", expect: [], outOfScope: true, times: 1 },
  );

  const withProms = own.valid.filter(hasProms);
  for (let i = 0; i < 120; i++) {
    const r = validProm(rng, promId(), rng.pick(withProms), m);
    if (rng.chance(0.3)) r.comment = commentText(rng);
    proms.push(r);
    expect.record("proms", []);
  }
  row("proms", "valid bulk (this month's episodes)", 120);
  const earlierWithProms = before.valid.filter(hasProms);
  for (let i = 0; i < 80; i++) {
    proms.push(laterProm(rng, promId(), rng.pick(earlierWithProms), m));
    expect.record("proms", []);
  }
  row("proms", `Post-op, linked to a ${previousMonth(id)} episode`, 80);
  // A hip replacement's questionnaire, whatever the episode's operation: only the link matters.
  const linkTo = (e: Episode) => laterProm(rng, promId(), { ...e, procedure: "W37.1" }, m);
  proms.push({ ...linkTo(before.rejected), episodeId: `E0000-${pad(1, 5)}` });
  expect.record("proms", ["LINK_UNKNOWN_EPISODE"]);
  row("proms", "EpisodeNo in no month", 1, ["LINK_UNKNOWN_EPISODE"]);
  proms.push(linkTo(before.rejected));
  expect.record("proms", ["LINK_EARLIER_EPISODE_NOT_ACCEPTED"]);
  row("proms", `linked to the episode ${previousMonth(id)} rejected`, 1, [
    "LINK_EARLIER_EPISODE_NOT_ACCEPTED",
  ]);
  proms.push(linkTo(before.outOfScope));
  expect.record("proms", [], true);
  table.push({
    dataset: "proms",
    what: `linked to an NHS-funded ${previousMonth(id)} episode`,
    expect: [],
    outOfScope: true,
    times: 1,
  });

  for (let i = 0; i < 60; i++) {
    events.push(validEvent(rng, eventId(), rng.pick(own.valid), incidentText(rng), m));
    expect.record("adverse_events", []);
  }
  row("adverse_events", "valid bulk (this month's episodes)", 60);
  for (let i = 0; i < 20; i++) {
    events.push(laterEvent(rng, eventId(), rng.pick(before.valid), m));
    expect.record("adverse_events", []);
  }
  row("adverse_events", `after a ${previousMonth(id)} episode`, 20);

  return {
    name: `pas-csv ${id}`,
    episodes: shuffle(rng, [...own.all]),
    proms: shuffle(rng, proms),
    events: shuffle(rng, events),
    people: own.people,
    expected: expect.result(0.05, id),
    table,
    bulkEpisodes: own.valid,
    keyed: new Map(),
  };
}

function shuffle<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

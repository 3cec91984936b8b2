// Large synthetic extracts for benchmarks, in either sample layout, written as a stream: N
// episodes, about 0.4 N PROMs and 0.1 N events, about 2 % of records with a deliberate fault,
// PII columns included. Also writes a config that points phin-submit at them.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  carepointEpisode,
  carepointEvent,
  carepointFooter,
  carepointHeader,
  carepointProm,
} from "./carepoint.ts";
import {
  medipasEpisodeHeader,
  medipasEpisodeLine,
  medipasEventHeader,
  medipasEventLine,
  medipasPromHeader,
  medipasPromLine,
} from "./medipas.ts";
import {
  type AdverseEvent,
  type Episode,
  hasProms,
  type Prom,
  validEpisode,
  validEvent,
  validProm,
} from "./model.ts";
import { incidentText, person, reporterName } from "./people.ts";
import { Rng } from "./prng.ts";
import { ExtractWriter } from "./write.ts";

export interface BenchOptions {
  readonly rows: number;
  readonly seed: number;
  readonly out: string;
  readonly format: "csv" | "xml";
}

const repo = path.resolve(import.meta.dirname, "../..");

/** A cheap, common fault: the kinds analysts see most. */
function spoil(rng: Rng, e: Episode): void {
  switch (rng.int(0, 4)) {
    case 0:
      e.postcode = "QQ1 1QQ";
      break;
    case 1:
      e.nhsNumber = `${e.nhsNumber.slice(0, 9)}${(Number(e.nhsNumber[9]) + 1) % 10}`;
      break;
    case 2:
      e.diagnosis = "HIPOA";
      break;
    case 3:
      e.episodeStart = "2026-09-01";
      break;
    default:
      e.sex = "";
  }
}

/** An episode id no bench extract has (ids are E + 8 digits from 1). */
const missingEpisode = "E99999999";

function spoilProm(rng: Rng, r: Prom): void {
  switch (rng.int(0, 3)) {
    case 0:
      r.completed = "2026-11-05";
      break;
    case 1:
      r.episodeId = missingEpisode;
      break;
    case 2:
      r.stage = "";
      break;
    default:
      r.score = "n/a";
  }
}

function spoilEvent(rng: Rng, a: AdverseEvent): void {
  switch (rng.int(0, 3)) {
    case 0:
      a.date = "2026-11-03";
      break;
    case 1:
      a.episodeId = missingEpisode;
      break;
    case 2:
      a.unplanned = "";
      break;
    default:
      a.type = "FALL";
  }
}

export async function writeBenchExtracts(
  options: BenchOptions,
): Promise<{ episodes: number; proms: number; events: number }> {
  const { rows, out, format } = options;
  const rng = new Rng(options.seed);
  const dir = path.join(out, "2026-10");
  mkdirSync(dir, { recursive: true });
  const ext = format;
  const encoding = format === "csv" ? "windows-1252" : "utf-8";
  const episodes = new ExtractWriter(path.join(dir, `episodes.${ext}`), encoding);
  const proms = new ExtractWriter(path.join(dir, `proms.${ext}`), encoding);
  const events = new ExtractWriter(path.join(dir, `adverse_events.${ext}`), encoding);
  if (format === "csv") {
    await episodes.write(medipasEpisodeHeader);
    await proms.write(medipasPromHeader);
    await events.write(medipasEventHeader);
  } else {
    await episodes.write(carepointHeader("Episodes"));
    await proms.write(carepointHeader("Proms"));
    await events.write(carepointHeader("Incidents"));
  }
  // One reusable person per 64 records keeps generation fast; each episode gets its own MRN
  // (the row number in base 36, so MRNs never repeat and never look like episode ids).
  let who = person(rng);
  let promCount = 0;
  let eventCount = 0;
  for (let i = 1; i <= rows; i++) {
    if (i % 64 === 1) who = person(rng);
    const id = `E${String(i).padStart(8, "0")}`;
    const e = validEpisode(rng, id, `S${String(i).padStart(8, "0")}`, {
      ...who,
      mrn: `MRN-${i.toString(36).toUpperCase().padStart(5, "0")}`,
    });
    const faulty = rng.chance(0.02);
    if (faulty) spoil(rng, e);
    else if (rng.chance(0.03)) e.funding = "NHS";
    await episodes.write(format === "csv" ? medipasEpisodeLine(e) : carepointEpisode(e, i));
    if (!faulty && e.funding !== "NHS") {
      // Hernia repairs have no PROMs: 0.48 of the rest gives about 0.4 N questionnaires.
      if (hasProms(e) && rng.chance(0.48)) {
        const r = validProm(rng, `R${String(++promCount).padStart(8, "0")}`, e);
        if (rng.chance(0.02)) spoilProm(rng, r);
        await proms.write(format === "csv" ? medipasPromLine(r) : carepointProm(r));
      }
      if (rng.chance(0.105)) {
        const a = validEvent(
          rng,
          `I${String(++eventCount).padStart(8, "0")}`,
          e,
          incidentText(rng),
        );
        if (rng.chance(0.02)) spoilEvent(rng, a);
        await events.write(
          format === "csv"
            ? medipasEventLine(a, reporterName(rng))
            : carepointEvent(a, reporterName(rng)),
        );
      }
    }
  }
  if (format === "xml") {
    await episodes.write(carepointFooter("Episodes"));
    await proms.write(carepointFooter("Proms"));
    await events.write(carepointFooter("Incidents"));
  }
  await Promise.all([episodes.close(), proms.close(), events.close()]);

  const system = format === "csv" ? "medipas" : "carepoint";
  const config = {
    provider_code: "NQX",
    sites: ["NQX01", "NQX02"],
    state_dir: "var",
    // The published sample key: readable by anyone, so the config must say that is accepted.
    pseudonymisation: {
      key_file: path.join(repo, "samples/keys/pseudonym.key"),
      allow_shared_key_file: true,
    },
    output: { format },
    datasets: Object.fromEntries(
      ["episodes", "proms", "adverse_events"].map((d) => [
        d,
        {
          mapping: path.join(repo, `mappings/${system}/${d}.json`),
          source: { path: `{period}/${d}.${ext}` },
        },
      ]),
    ),
    thresholds: { max_rejected_share: 0.05 },
    code_lists: { insurer: path.join(repo, "samples/code-lists/insurers.txt") },
  };
  writeFileSync(path.join(out, "phin.config.json"), `${JSON.stringify(config, null, 2)}\n`);
  return { episodes: rows, proms: promCount, events: eventCount };
}

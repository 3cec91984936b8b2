// `node scripts/ab.ts --data DIR [--runs N] label=checkout label=checkout ...`: the same
// `validate` run by two or more checkouts of phin-submit (e.g. a `git worktree` of the old
// commit and this one), interleaved round by round so that a slow spell of the machine hits
// them alike, each with its own shebang's flags. Prints each checkout's peak RSS per run and
// the minimum and median of wall and CPU time, then each later checkout against the first,
// round by round. DIR is a dataset made by samples/generate.ts (`npm run bench` leaves them
// under $TMPDIR/phin-bench). docs/performance.md says why single runs cannot judge a change
// here.
import path from "node:path";
import { parseArgs } from "node:util";
import { type TimedRun, timedValidate } from "./timed-validate.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    data: { type: "string" },
    runs: { type: "string", default: "3" },
    help: { type: "boolean", short: "h", default: false },
  },
});
const usage = "usage: node scripts/ab.ts --data DIR [--runs N] label=checkout label=checkout ...";
if (values.help) {
  process.stdout.write(
    `${usage}\n  DIR: a dataset made by samples/generate.ts (npm run bench caches them)\n`,
  );
  process.exit(0);
}
const checkouts = positionals.map((arg) => {
  const at = arg.indexOf("=");
  if (at < 1) throw new Error(`"${arg}" is not label=checkout`);
  return { label: arg.slice(0, at), root: path.resolve(arg.slice(at + 1)) };
});
if (values.data === undefined || checkouts.length === 0) {
  throw new Error(usage);
}
const data = path.resolve(values.data);

const runs = new Map<string, TimedRun[]>(checkouts.map((c) => [c.label, []]));
for (let round = 0; round < Number(values.runs); round++) {
  // The order turns every round (A B, B A, ...): neither checkout always runs first, after the
  // other has warmed the page cache or while the machine slows down.
  for (const { label, root } of round % 2 === 0 ? checkouts : [...checkouts].reverse()) {
    const run = timedValidate(root, data);
    runs.get(label)?.push(run);
    process.stderr.write(
      `${label}: ${run.seconds.toFixed(2)} s, ${run.cpuSeconds} s CPU, ${run.peakRssMb} MB\n`,
    );
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
for (const [label, list] of runs) {
  const wall = list.map((r) => r.seconds);
  const cpu = list.map((r) => r.cpuSeconds);
  console.log(
    `${label.padEnd(12)} wall min ${Math.min(...wall).toFixed(2)} median ${median(wall).toFixed(2)}` +
      `  CPU min ${Math.min(...cpu).toFixed(2)} median ${median(cpu).toFixed(2)}` +
      `  peak RSS ${list.map((r) => r.peakRssMb).join(", ")} MB`,
  );
}

// This machine's speed drifts by 20-30 % over minutes, more than most changes move a run; the
// two runs of one round are minutes apart at most, so their ratio is the steadier comparison.
const [first, ...others] = checkouts;
const base = runs.get(first?.label ?? "") ?? [];
for (const { label } of others) {
  const ratios = (runs.get(label) ?? []).map(
    (run, i) => run.cpuSeconds / (base[i] as TimedRun).cpuSeconds,
  );
  const lower = ratios.filter((ratio) => ratio < 1).length;
  console.log(
    `${label} / ${first?.label}: CPU ratio per round ${ratios.map((r) => r.toFixed(3)).join(", ")};` +
      ` median ${median(ratios).toFixed(3)}, lower in ${lower} of ${ratios.length} rounds`,
  );
}

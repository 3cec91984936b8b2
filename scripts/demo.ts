// `npm start`: the main job on the bundled samples, end to end. Starts the PHIN sandbox
// in-process on a free loopback port, points a copy of samples/phin.config.json at it, runs
// `submit` for 2026-10 and then `status`. Run it again: the month is already submitted.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { transportSnippet } from "../src/cli/commands/sandbox.ts";
import { main } from "../src/cli/main.ts";
import { startSandbox } from "../src/sandbox/server.ts";

const root = path.resolve(import.meta.dirname, "..");
const samples = path.join(root, "samples");
const varDir = path.join(root, "var");
const dataDir = path.join(varDir, "sandbox");
mkdirSync(varDir, { recursive: true, mode: 0o700 });

const sandbox = await startSandbox({ dataDir, port: 0, processingDelayMs: 300 });
const config = JSON.parse(readFileSync(path.join(samples, "phin.config.json"), "utf8"));
const abs = (p: string) => path.resolve(samples, p);
const demo = {
  ...config,
  $schema: path.join(root, "config.schema.json"),
  state_dir: varDir,
  pseudonymisation: {
    ...config.pseudonymisation,
    key_file: abs(config.pseudonymisation.key_file),
  },
  datasets: Object.fromEntries(
    Object.entries(
      config.datasets as Record<string, { mapping: string; source: { path: string } }>,
    ).map(([name, d]) => [name, { mapping: abs(d.mapping), source: { path: abs(d.source.path) } }]),
  ),
  code_lists: Object.fromEntries(
    Object.entries(config.code_lists as Record<string, string>).map(([k, v]) => [k, abs(v)]),
  ),
  ...transportSnippet(dataDir, sandbox.url),
};
const configFile = path.join(varDir, "demo.config.json");
writeFileSync(configFile, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
console.log(
  `PHIN sandbox on ${sandbox.url} (data in ${path.relative(root, dataDir)}); config ${path.relative(root, configFile)}\n`,
);

let code = await main(["submit", "--config", configFile, "--period", "2026-10"]);
if (code === 0) {
  await new Promise((resolve) => setTimeout(resolve, 800));
  console.log("");
  code = await main(["status", "--config", configFile]);
}
await sandbox.close();
process.exitCode = code;

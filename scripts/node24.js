// `node scripts/node24.js COMMAND [ARGS...]`: runs COMMAND under a Node that strips TypeScript
// types (22.18 or later). On an older node it uses Node 24 from ~/.node24, fetched once with npm
// as .ci/run does, first on COMMAND's PATH. Plain JavaScript, so any node that runs npm runs it.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const windows = process.platform === "win32";
const pkg = `node-${windows ? "win" : process.platform}-${process.arch}`;
const prefix = path.join(os.homedir(), ".node24");
const node24 = path.join(prefix, "node_modules", pkg, "bin", windows ? "node.exe" : "node");

function newEnough(version) {
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
  return major > 22 || (major === 22 && minor >= 18);
}

function fail(line) {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

function stop(why) {
  fail(
    `phin-submit needs Node.js 22.18 or later (this is ${process.version}) and ${why}: install ` +
      `Node.js 24 from https://nodejs.org, or run \`npm install --no-save --prefix ~/.node24 ${pkg}@24\``,
  );
}

function versionOf(node) {
  const run = spawnSync(node, ["--version"], { encoding: "utf8" });
  return run.status === 0 ? run.stdout.trim() : "";
}

/** Node 24's bin folder, fetched into the prefix when it is not there yet. */
function node24Bin() {
  if (!existsSync(node24)) {
    process.stderr.write(
      `node ${process.version} cannot run TypeScript; fetching Node 24 into ${prefix} with npm (once)\n`,
    );
    mkdirSync(prefix, { recursive: true });
    const npmArgs = ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", prefix];
    // Inside `npm run`, npm_execpath is the npm that started us; elsewhere, npm on the PATH.
    const npm = process.env.npm_execpath;
    const args = [...npmArgs, `${pkg}@24`];
    const run = npm
      ? spawnSync(process.execPath, [npm, ...args], { cwd: prefix, stdio: "ignore" })
      : spawnSync("npm", args, { cwd: prefix, stdio: "ignore", shell: windows });
    if (run.status !== 0) stop("npm could not fetch Node 24");
  }
  if (!newEnough(versionOf(node24))) stop(`${node24} does not run`);
  return path.dirname(node24);
}

const [command, ...args] = process.argv.slice(2);
if (command === undefined) fail("usage: node scripts/node24.js COMMAND [ARGS...]");
let env = process.env;
let program = command;
if (!newEnough(process.version)) {
  const bin = node24Bin();
  env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` };
  if (command === "node") program = node24;
}
const run = spawnSync(program, args, { stdio: "inherit", env, shell: windows });
if (run.error) fail(`scripts/node24.js: ${command} could not be started`);
if (run.signal) process.kill(process.pid, run.signal);
process.exit(run.status ?? 1);

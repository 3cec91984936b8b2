// The Dockerfile, checked rule by rule without a container engine: dockerfile-ast parses it,
// @balena/dockerignore applies .dockerignore as `docker build` does, and the runtime's writes
// are checked against the real CLI.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import dockerignore from "@balena/dockerignore";
import { describe, expect, it } from "vitest";
import { copyOfSamples, filesUnder, readJson, repoRoot, runCli, tempDir } from "../helpers/cli.ts";
import {
  dockerfile,
  execForm,
  finalStage,
  imageEnv,
  imageUser,
  imageWorkdir,
  keyword,
  readRepoFile,
  stages,
} from "../helpers/deploy.ts";

const stageNames = () => stages().flatMap((s) => (s.name === null ? [] : [s.name]));
/** Stages built FROM an image rather than from an earlier stage. */
const externalBases = () =>
  stages()
    .map((s) => s.base)
    .filter((base) => !stageNames().includes(base));

/** Repository files `docker build .` would send: tracked files, plus what a checkout collects. */
function buildContext(): string[] {
  const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: repoRoot, encoding: "utf8" })
    .split("\0")
    .filter((f) => f !== "");
  const collected = [
    "var/ledger.jsonl",
    "var/sandbox/pki/client.key",
    "var/runs/20261101T063000Z-abcdef.log",
    "node_modules/pino/package.json",
    "coverage/index.html",
    ".env",
  ];
  // The package is CommonJS; its types describe the factory as `default`, which it also sets.
  const rules = dockerignore.default({ ignorecase: false }).add(readRepoFile(".dockerignore"));
  return rules.filter([...tracked, ...collected]);
}

describe("Dockerfile", () => {
  it("is multi-stage, every stage on Node 24 slim pinned by digest", () => {
    expect(stages().length).toBeGreaterThanOrEqual(2);
    expect(externalBases().length).toBeGreaterThan(0);
    for (const from of dockerfile.getFROMs()) {
      if (stageNames().includes(from.getImage() ?? "")) continue;
      expect(from.getImageName()).toBe("node");
      expect(from.getImageTag()).toMatch(/^24(\.\d+){0,2}-(bookworm-)?slim$/);
      expect(from.getImageDigest()).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
  });

  it("installs production dependencies only, from the lockfile, in a build stage", () => {
    const runs = stages().flatMap((s) =>
      keyword(s, "RUN").map((r) => ({ stage: s.name, text: r.getArgumentsContent() ?? "" })),
    );
    const installs = runs.filter((r) => /\bnpm (ci|install|i)\b/.test(r.text));
    expect(installs.length).toBeGreaterThan(0);
    for (const install of installs) {
      expect(install.text).toMatch(/\bnpm ci\b/);
      expect(install.text).toContain("--omit=dev");
      expect(install.stage).not.toBe(finalStage().name);
    }
    // The runtime takes node_modules from exactly such a stage.
    const copied = dockerfile
      .getCOPYs()
      .filter((c) => c.getFromFlag() !== null && c.getArgumentsContent()?.includes("node_modules"));
    expect(copied.map((c) => c.getFromFlag()?.getValue())).toEqual(installs.map((i) => i.stage));
  });

  it("runs as a non-root user that has a passwd entry in the base image", () => {
    const { uid, gid } = imageUser();
    expect(Number.isInteger(uid) && uid > 0).toBe(true);
    expect(Number.isInteger(gid) && gid > 0).toBe(true);
    // The node image's `node` user is uid 1000; the ledger and the lock look the user up.
    expect(uid).toBe(1000);
  });

  it("starts `submit --period previous` through the installed command", () => {
    const stage = finalStage();
    expect(execForm(keyword(stage, "ENTRYPOINT").at(-1))).toEqual([
      "node",
      "/app/bin/phin-submit.js",
    ]);
    expect(execForm(keyword(stage, "CMD").at(-1))).toEqual(["submit", "--period", "previous"]);
  });

  it("expects the state volume, the secrets and the config as mounts, and writes nowhere else", () => {
    const env = imageEnv();
    expect(env.get("PHIN_STATE_DIR")).toMatch(/^\/var\/lib\/phin-submit\/[^/]+$/);
    expect(env.get("PHIN_PSEUDONYM_KEY_FILE")).toMatch(/^\/run\/secrets\/phin-submit\/[^/]+$/);
    expect(env.get("NODE_COMPILE_CACHE")).toMatch(/^\/tmp\//);
    expect(imageWorkdir()).toBe("/etc/phin-submit");
    // No VOLUME: a state directory nobody mounted must fail the run, not live in an anonymous
    // volume the next month's run never sees.
    expect(keyword(finalStage(), "VOLUME")).toEqual([]);
  });

  it("has no HEALTHCHECK, and says why", () => {
    expect(dockerfile.getHEALTHCHECKs()).toEqual([]);
    const comments = dockerfile.getComments().map((c) => c.getContent());
    expect(comments.some((c) => /No HEALTHCHECK: this is a job/.test(c))).toBe(true);
  });
});

describe(".dockerignore", () => {
  it("sends only package.json, the lockfile, bin/ and src/ to the build", () => {
    const context = buildContext();
    expect(context).toContain("bin/phin-submit.js");
    expect(context).toContain("src/cli/main.ts");
    expect(context).toContain("package-lock.json");
    for (const file of context) {
      expect(file).toMatch(/^(package\.json|package-lock\.json|bin\/.+|src\/.+)$/);
      expect(file).not.toMatch(/\.(key|pem|p12|pfx|log)$/);
    }
  });

  it("keeps every COPY source in the context (the build would fail otherwise)", () => {
    const context = buildContext();
    const sources = dockerfile
      .getCOPYs()
      .filter((c) => c.getFromFlag() === null)
      .flatMap((c) =>
        c
          .getArguments()
          .slice(0, -1)
          .map((a) => a.getValue()),
      );
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(context.some((f) => f === source || f.startsWith(`${source}/`))).toBe(true);
    }
  });

  it("lets no sample patient value into the image", () => {
    const pii = readJson<string[]>(path.join(repoRoot, "samples/pii-values.json"));
    expect(pii.length).toBeGreaterThan(100);
    const leaks = buildContext().flatMap((file) => {
      const text = readRepoFile(file);
      return pii.filter((value) => text.includes(value)).map((value) => `${file}: ${value}`);
    });
    expect(leaks).toEqual([]);
  });
});

describe("the runtime on a read-only root", () => {
  it("runs with the compile cache unwritable: same exit, nothing on stderr", () => {
    // A folder under a regular file cannot be made, even by root: what a read-only root without
    // a /tmp mount does to the image's NODE_COMPILE_CACHE.
    const dir = tempDir("ro");
    writeFileSync(path.join(dir, "file"), "");
    const run = runCli(["--help"], { NODE_COMPILE_CACHE: path.join(dir, "file", "cache") });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("submit");
    expect(run.stderr).toBe("");
  });

  it("writes nothing outside the state directory but the compile cache", () => {
    const samples = copyOfSamples();
    const before = filesUnder(samples);
    const scratch = tempDir("scratch");
    const [state, cache, tmp, home] = ["state", "cache", "tmp", "home"].map((d) =>
      path.join(scratch, d),
    ) as [string, string, string, string];
    for (const d of [tmp, home]) mkdirSync(d);
    const run = runCli(
      ["validate", "--config", "samples/phin.config.json", "--period", "2026-10", "-q"],
      { PHIN_STATE_DIR: state, NODE_COMPILE_CACHE: cache, TMPDIR: tmp, HOME: home },
      samples,
    );
    expect(run.code).toBe(0);
    expect(filesUnder(state).length).toBeGreaterThan(0);
    expect(readdirSync(tmp)).toEqual([]);
    expect(readdirSync(home)).toEqual([]);
    expect(filesUnder(samples)).toEqual(before);
  });
});

// Configuration errors through the real CLI: a wrong type is not "required", JSON syntax errors
// name line and column without quoting the file, unknown keys get a suggestion, every PHIN_*
// variable is applied or refused, and an unusable state directory is exit 78 naming its path.
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findJsonFault } from "../../src/config/json-syntax.ts";
import { copyOfSamples, repoRoot, runCli, tempDir } from "../helpers/cli.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
function scratch(): string {
  const dir = tempDir("config");
  dirs.push(dir);
  return dir;
}

const sample = JSON.parse(readFileSync(path.join(repoRoot, "samples/phin.config.json"), "utf8"));

/** Validate with a config file of this text (written next to the samples' copy is not needed). */
function validateWith(text: string, env: Record<string, string> = {}) {
  const file = path.join(scratch(), "phin.config.json");
  writeFileSync(file, text);
  return { file, run: runCli(["validate", "--config", file, "--period", "2026-10"], env) };
}

/** `validate` of 2026-10 with this config into this state dir. */
const validateInto = (config: string, state: string) =>
  runCli(["validate", "--config", config, "--period", "2026-10", "--state-dir", state]);

describe("schema errors", () => {
  it("a wrong type says what was expected, a missing key says required", () => {
    const { provider_code: _, ...rest } = sample;
    const { run } = validateWith(JSON.stringify({ ...rest, sites: "NQX01" }));
    expect(run.code).toBe(78);
    expect(run.stderr).toContain("sites: expected an array, got a string");
    expect(run.stderr).toContain("provider_code: required");
    expect(run.stderr).not.toContain("NQX01");
  });

  it("a share given as text is a wrong type, not a missing key", () => {
    const { run } = validateWith(
      JSON.stringify({ ...sample, thresholds: { max_rejected_share: "5%" } }),
    );
    expect(run.code).toBe(78);
    expect(run.stderr).toContain("thresholds.max_rejected_share: expected a number, got a string");
    expect(run.stderr).not.toContain("required");
  });

  it("a mapping's delimiter given as a number is a wrong type, naming the mapping file", () => {
    const dir = copyOfSamples();
    const mapping = path.join(dir, "mappings/medipas/episodes.json");
    const parsed = JSON.parse(readFileSync(mapping, "utf8"));
    writeFileSync(
      mapping,
      JSON.stringify({ ...parsed, source: { ...parsed.source, delimiter: 44 } }),
    );
    const config = path.join(dir, "samples/phin.config.json");
    const state = path.join(dir, "state");
    const run = validateInto(config, state);
    expect(run.code).toBe(78);
    expect(run.stderr).toContain("MAPPING_INVALID: ../mappings/medipas/episodes.json");
    expect(run.stderr).toContain("source.delimiter: expected a string, got a number");
  });

  it.each([
    ["/etc/passwd", "line 1 is not an ICD-10 code"],
    ["comments-only", "holds no codes"],
  ])("a code list that does not hold codes (%s) is a config error, not bad data", (list, says) => {
    const dir = copyOfSamples();
    const file = list.startsWith("/") ? list : path.join(dir, "samples/code-lists/empty.txt");
    if (!list.startsWith("/")) writeFileSync(file, "# nothing here\n\n");
    const config = path.join(dir, "samples/phin.config.json");
    const parsed = JSON.parse(readFileSync(config, "utf8"));
    writeFileSync(
      config,
      JSON.stringify({ ...parsed, code_lists: { ...parsed.code_lists, icd10: file } }),
    );
    const state = path.join(dir, "state");
    const run = validateInto(config, state);
    expect(run.code).toBe(78);
    expect(run.stderr).toContain("LOOKUP_INVALID");
    expect(run.stderr).toContain(says);
    expect(run.stderr).toContain("field code_lists.icd10");
  });

  it("an unknown key gets the closest known one", () => {
    const { run } = validateWith(
      JSON.stringify({ ...sample, stat_dir: "x", output: { formt: "csv" } }),
    );
    expect(run.code).toBe(78);
    expect(run.stderr).toContain('unknown key "stat_dir" (did you mean "state_dir"?)');
    expect(run.stderr).toContain('output: unknown key "formt" (did you mean "format"?)');
  });
});

describe("JSON syntax errors", () => {
  it("name the line and column and never quote the file", () => {
    const { file, run } = validateWith(
      '{\n  "provider_code": "NQX",\n  "token": s3cr3t-value\n}\n',
    );
    expect(run.code).toBe(78);
    expect(run.stderr).toContain(`${file}:3:12 is not valid JSON: unexpected character`);
    expect(run.stderr).not.toContain("s3cr3t");
  });

  it("find the same fault as JSON.parse, wherever a character is damaged", () => {
    const text = JSON.stringify(
      { ...sample, list: [1, -2.5e3, true, null, "a\\u00e9\n"] },
      null,
      2,
    );
    const damage = ["", "x", ",", "}", "]", '"', ":", "\\", "\n", "0", "-", ".", "e", "t", "{"];
    for (let at = 0; at < text.length; at += 3) {
      for (const d of damage) {
        const broken = text.slice(0, at) + d + text.slice(at + 1);
        let message: string | undefined;
        try {
          JSON.parse(broken);
        } catch (error) {
          message = (error as Error).message;
        }
        const fault = findJsonFault(broken);
        expect(fault === undefined, broken).toBe(message === undefined);
        // Where V8 says where, it agrees with us.
        const v8 = /\(line (\d+) column (\d+)\)/.exec(message ?? "");
        if (v8 && fault)
          expect([fault.line, fault.column], broken).toEqual([Number(v8[1]), Number(v8[2])]);
      }
    }
  });
});

describe("environment overrides", () => {
  it("an unknown PHIN_ variable is refused with a suggestion", () => {
    const run = runCli(
      ["validate", "--config", "samples/phin.config.json", "--period", "2026-10"],
      { PHIN_STATEDIR: scratch() },
    );
    expect(run.code).toBe(78);
    expect(run.stderr).toContain(
      "PHIN_STATEDIR is not one phin-submit reads (did you mean PHIN_STATE_DIR?)",
    );
  });

  it("an override with no section to apply to, or an empty one, is refused", () => {
    const noTransport = runCli(
      ["validate", "--config", "samples/phin.config.json", "--period", "2026-10"],
      { PHIN_TRANSPORT_URL: "https://127.0.0.1:1", PHIN_STATE_DIR: scratch() },
    );
    expect(noTransport.code).toBe(78);
    expect(noTransport.stderr).toContain(
      "PHIN_TRANSPORT_URL is set but samples/phin.config.json has no transport section",
    );
    const empty = runCli(
      ["validate", "--config", "samples/phin.config.json", "--period", "2026-10"],
      { PHIN_STATE_DIR: "" },
    );
    expect(empty.code).toBe(78);
    expect(empty.stderr).toContain("PHIN_STATE_DIR is set but empty");
  });

  it("an applied override is checked like the file, and says where its value came from", () => {
    const withTransport = {
      ...sample,
      transport: {
        url: "https://127.0.0.1:1",
        client_cert_file: "c",
        client_key_file: "k",
        ca_file: "a",
        token_file: "t",
        receipt_public_key_file: "r",
      },
    };
    const { run } = validateWith(JSON.stringify(withTransport), {
      PHIN_TRANSPORT_URL: "not a url",
    });
    expect(run.code).toBe(78);
    expect(run.stderr).toMatch(/transport\.url: .* \(set by PHIN_TRANSPORT_URL\)/);
    const state = scratch();
    const applied = runCli(
      ["validate", "--config", "samples/phin.config.json", "--period", "2026-10"],
      {
        PHIN_STATE_DIR: state,
      },
    );
    expect(applied.code).toBe(0);
    expect(readdirSync(path.join(state, "runs"))).toHaveLength(1);
  });
});

describe("state directory", () => {
  it("a file where the state directory should be is exit 78 naming the path", () => {
    const file = path.join(scratch(), "not-a-dir");
    writeFileSync(file, "");
    for (const state of [file, path.join(file, "below")]) {
      const run = validateInto("samples/phin.config.json", state);
      expect(run.code).toBe(78);
      expect(run.stderr).toContain(`STATE_DIR_UNUSABLE: cannot use ${state}`);
      expect(run.stderr).toContain("is not a directory");
    }
  });

  it("a state directory that cannot be written is exit 78 naming the path", () => {
    // root may write anywhere but a read-only file system such as /sys.
    let state = "/sys/phin-submit-test";
    if (process.getuid?.() !== 0) {
      const locked = path.join(scratch(), "locked");
      mkdirSync(locked);
      chmodSync(locked, 0o500);
      state = path.join(locked, "state");
    }
    const run = validateInto("samples/phin.config.json", state);
    expect(run.code).toBe(78);
    expect(run.stderr).toContain(`STATE_DIR_UNUSABLE: cannot use ${state}`);
    expect(run.stderr).toContain("cannot be written");
  });
});

// Reads and validates phin.config.json, applies environment overrides and resolves every path
// against the config file's folder, so later stages only see absolute paths.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { PhinError, type PhinErrorOptions } from "../errors.ts";
import { $ConfigV1, type ConfigV1 } from "./config-schema.ts";
import { closest, describeZodError, firstPath } from "./describe-zod-error.ts";
import { parseJsonFile } from "./json-syntax.ts";

export interface LoadedConfig {
  readonly config: ConfigV1;
  /** Absolute path of the config file. */
  readonly file: string;
  /** Absolute path for a path written in the config (relative to the config file's folder). */
  resolve(relative: string): string;
}

/** Environment variables that override config keys (deployment without editing the file). */
export const configEnv = {
  PHIN_PSEUDONYM_KEY_FILE: "pseudonymisation.key_file",
  PHIN_STATE_DIR: "state_dir",
  PHIN_TRANSPORT_URL: "transport.url",
  PHIN_TOKEN_FILE: "transport.token_file",
} as const;

/** PHIN_* variables read elsewhere (test-only: a crash point, a fixed clock), not refused. */
const otherEnv = ["PHIN_CRASH_AT", "PHIN_NOW"];

/** Values from command-line flags: they win over the environment and the file. */
type ConfigFlags = Partial<Pick<ConfigV1, "state_dir">>;

function invalid(file: string, message: string, options: Omit<PhinErrorOptions, "stage">) {
  return new PhinError("CONFIG_INVALID", message, { stage: "config", file, ...options });
}

/**
 * Writes each PHIN_* override (and --state-dir) into the file's JSON before it is checked, so an
 * override is validated like the file; one that has nothing to apply to, or a PHIN_* variable
 * phin-submit does not know, is refused. Returns config path -> where its value came from.
 */
function applyOverrides(
  json: Record<string, unknown>,
  env: Readonly<Record<string, string | undefined>>,
  flags: ConfigFlags,
  file: string,
): Map<string, string> {
  const known = [...Object.keys(configEnv), ...otherEnv];
  const unknown = Object.keys(env).find((n) => n.startsWith("PHIN_") && !known.includes(n));
  if (unknown !== undefined) {
    const guess = closest(unknown, known);
    const also = guess === undefined ? "" : ` (did you mean ${guess}?)`;
    throw invalid(file, `environment variable ${unknown} is not one phin-submit reads${also}`, {
      field: unknown,
      hint: `unset it; phin-submit reads ${Object.keys(configEnv).join(", ")}`,
    });
  }
  const overrides: [string, string, string | undefined][] = Object.entries(configEnv).map(
    ([name, key]) => [name, key, env[name]],
  );
  overrides.push(["--state-dir", "state_dir", flags.state_dir]);
  const sources = new Map<string, string>();
  for (const [source, key, value] of overrides) {
    if (value === undefined) continue;
    if (value === "") {
      throw invalid(file, `${source} is set but empty`, {
        field: key,
        hint: `give ${source} a value or unset it`,
      });
    }
    const [section, leaf] = key.includes(".") ? key.split(".") : [undefined, key];
    const target = section === undefined ? json : json[section];
    if (target === null || typeof target !== "object" || Array.isArray(target)) {
      throw invalid(file, `${source} is set but ${file} has no ${section} section to apply it to`, {
        field: key,
        hint: `add a ${section} section (see config.schema.json) or unset ${source}`,
      });
    }
    // Paths from the environment or a flag are relative to the working directory, as in a shell.
    (target as Record<string, unknown>)[leaf as string] = key.endsWith("url")
      ? value
      : path.resolve(value);
    sources.set(key, source);
  }
  return sources;
}

export async function loadConfig(
  file: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  flags: ConfigFlags = {},
): Promise<LoadedConfig> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch (cause) {
    throw new PhinError("CONFIG_NOT_FOUND", `cannot read configuration file ${file}`, {
      stage: "config",
      file,
      cause,
      hint: "pass --config with the path of your phin.config.json",
    });
  }
  const json = parseJsonFile(text, file, (message, where) =>
    invalid(file, message, {
      ...where,
      hint: "fix the file's syntax (config.schema.json describes every key)",
    }),
  );
  const sources =
    json !== null && typeof json === "object" && !Array.isArray(json)
      ? applyOverrides(json as Record<string, unknown>, env, flags, file)
      : new Map<string, string>();
  const parsed = $ConfigV1.safeParse(json);
  if (!parsed.success) {
    const problems = describeZodError(parsed.error, [], { input: json, schema: $ConfigV1 }).map(
      (line) => {
        const from = sources.get(line.slice(0, line.indexOf(":")));
        return from === undefined ? line : `${line} (set by ${from})`;
      },
    );
    throw invalid(file, `${file} is not a valid configuration:\n  ${problems.join("\n  ")}`, {
      field: firstPath(parsed.error),
      hint: "see config.schema.json for every key",
    });
  }
  const baseDir = path.dirname(absolute);
  return { config: parsed.data, file: absolute, resolve: (p) => path.resolve(baseDir, p) };
}

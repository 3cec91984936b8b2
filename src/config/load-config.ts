// Reads and validates phin.config.json, applies environment overrides and resolves every path
// against the config file's folder, so later stages only see absolute paths.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { PhinError } from "../errors.ts";
import { $ConfigV1, type ConfigV1 } from "./config-schema.ts";
import { describeZodError } from "./describe-zod-error.ts";

export interface LoadedConfig {
  readonly config: ConfigV1;
  /** Absolute path of the config file. */
  readonly file: string;
  /** Folder relative paths in the config are resolved against. */
  readonly baseDir: string;
  /** Absolute path for a path written in the config. */
  resolve(relative: string): string;
}

/** Environment variables that override config keys (deployment without editing the file). */
export const configEnv = {
  PHIN_PSEUDONYM_KEY_FILE: "pseudonymisation.key_file",
  PHIN_STATE_DIR: "state_dir",
  PHIN_TRANSPORT_URL: "transport.url",
  PHIN_TOKEN_FILE: "transport.token_file",
} as const;

/** Values from command-line flags: they win over the environment and the file. */
export interface ConfigFlags {
  readonly state_dir?: string;
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
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new PhinError("CONFIG_INVALID", `${file} is not valid JSON`, {
      stage: "config",
      file,
      cause,
    });
  }
  const parsed = $ConfigV1.safeParse(json);
  if (!parsed.success) {
    const problems = describeZodError(parsed.error);
    throw new PhinError(
      "CONFIG_INVALID",
      `${file} is not a valid configuration:\n  ${problems.join("\n  ")}`,
      {
        stage: "config",
        file,
        field: String(parsed.error.issues[0]?.path.join(".") ?? ""),
        hint: "see config.schema.json for every key",
      },
    );
  }
  const config = parsed.data;
  // Paths from the environment are relative to the working directory, as a shell user expects.
  const keyFile = env.PHIN_PSEUDONYM_KEY_FILE
    ? path.resolve(env.PHIN_PSEUDONYM_KEY_FILE)
    : undefined;
  const stateDir = flags.state_dir
    ? path.resolve(flags.state_dir)
    : env.PHIN_STATE_DIR
      ? path.resolve(env.PHIN_STATE_DIR)
      : undefined;
  const transport =
    config.transport === undefined
      ? undefined
      : {
          ...config.transport,
          ...(env.PHIN_TRANSPORT_URL ? { url: env.PHIN_TRANSPORT_URL } : {}),
          ...(env.PHIN_TOKEN_FILE ? { token_file: path.resolve(env.PHIN_TOKEN_FILE) } : {}),
        };
  const withEnv: ConfigV1 = {
    ...config,
    ...(stateDir ? { state_dir: stateDir } : {}),
    ...(transport === undefined ? {} : { transport }),
    pseudonymisation: { ...config.pseudonymisation, ...(keyFile ? { key_file: keyFile } : {}) },
  };
  const baseDir = path.dirname(absolute);
  return { config: withEnv, file: absolute, baseDir, resolve: (p) => path.resolve(baseDir, p) };
}

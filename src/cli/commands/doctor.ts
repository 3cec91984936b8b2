// `phin-submit doctor` and `phin-submit config show`.
import { stat } from "node:fs/promises";
import type { Command } from "commander";
import type { LoadedConfig } from "../../config/load-config.ts";
import { EXIT_OK, errorClasses } from "../../errors.ts";
import { type CommandContext, type CommandOptions, configOption, exitHelp } from "../context.ts";

const secretKeys = new Set(["key_file", "client_key_file", "token_file", "url_file"]);

/** The effective configuration with every path resolved; secret files described, never read. */
async function effectiveConfig(loaded: LoadedConfig): Promise<unknown> {
  const walk = async (value: unknown, key: string): Promise<unknown> => {
    if (Array.isArray(value)) return Promise.all(value.map((v) => walk(v, key)));
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = await walk(v, k);
      return out;
    }
    if (typeof value === "string" && secretKeys.has(key)) {
      const file = loaded.resolve(value);
      const info = await stat(file).catch(() => undefined);
      return `[secret file ${file}${info ? `, ${info.size} bytes, mode 0${(info.mode & 0o777).toString(8)}` : ", missing"}]`;
    }
    return value;
  };
  return walk(loaded.config, "");
}

export function registerConfigAndDoctor(program: Command, ctx: CommandContext): void {
  program
    .command("config")
    .description("Configuration tools.")
    .command("show")
    .description(
      "Print the effective configuration (flags > environment > file > defaults); secrets are never printed.",
    )
    .addOption(configOption())
    .action(async (opts: CommandOptions) => {
      const loaded = await ctx.load(opts.config);
      ctx.printJson({
        command: "config show",
        exit_code: 0,
        file: loaded.file,
        config: await effectiveConfig(loaded),
      });
    });

  program
    .command("doctor")
    .description(
      "Check certificates, secret file permissions, the state directory, the clock, mappings and PHIN reachability.",
    )
    .addOption(configOption())
    .option("--json", "print a machine-readable result on stdout")
    .addHelpText("after", exitHelp)
    .action(async (opts: CommandOptions) => {
      const loaded = await ctx.load(opts.config);
      const { runDoctor } = await import("../../doctor/doctor.ts");
      const onWait = ctx.waitLines(opts.json);
      const checks = await runDoctor({ loaded, env: ctx.io.env, now: ctx.now(), onWait });
      const failed = checks.find((c) => c.status === "fail");
      const code = failed === undefined ? EXIT_OK : errorClasses[failed.failClass ?? "config"].exit;
      const lines = checks.map(
        (c) => `${c.status.toUpperCase().padEnd(5)} ${c.name.padEnd(22)} ${c.detail}`,
      );
      if (opts.json) ctx.printJson({ command: "doctor", exit_code: code, checks });
      else ctx.say(lines.join("\n"));
      ctx.exitCode = code;
    });
}

// `phin-submit sandbox`: the local PHIN sandbox for trials and demos (docs/api.md).
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import type { z } from "zod";
import { describeZodError } from "../../config/describe-zod-error.ts";
import { parseJsonFile } from "../../config/json-syntax.ts";
import { PhinError } from "../../errors.ts";
import { materialFiles } from "../../sandbox/material-files.ts";
import type { CommandContext } from "../context.ts";

/** A fault script file, checked as a config file is: a broken one is exit 78 naming the file. */
async function readFaults<T>(file: string, schema: z.ZodType<T>): Promise<T> {
  const invalid = (message: string, where: { line?: number } = {}) =>
    new PhinError("CONFIG_INVALID", message, { stage: "config", file, ...where });
  const text = await readFile(file, "utf8").catch(() => {
    throw invalid(`cannot read the fault script ${file}`);
  });
  const parsed = schema.safeParse(parseJsonFile(text, file, invalid));
  if (parsed.success) return parsed.data;
  throw invalid(
    `${file} is not a valid fault script:\n  ${describeZodError(parsed.error).join("\n  ")}`,
  );
}

export function transportSnippet(dataDir: string, url: string) {
  const file = (k: keyof typeof materialFiles) => path.resolve(dataDir, materialFiles[k]);
  return {
    transport: {
      url,
      client_cert_file: file("clientCert"),
      client_key_file: file("clientKey"),
      ca_file: file("caCert"),
      token_file: file("token"),
      receipt_public_key_file: file("receiptPublicKey"),
    },
  };
}

/** The options as commander gives them: numbers stay strings until used. */
type SandboxOptions = Record<"dataDir" | "port" | "processingDelayMs", string> & {
  faults?: string;
};

export function registerSandbox(program: Command, ctx: CommandContext): void {
  program
    .command("sandbox")
    .description(
      "Run the local PHIN sandbox (HTTPS with mutual TLS on 127.0.0.1) and print the config it needs.",
    )
    .option("--data-dir <dir>", "where certificates, keys and submissions live", "var/sandbox")
    .option("--port <port>", "port on 127.0.0.1 (0 = any free port)", "8443")
    .option("--faults <file>", "JSON fault script (see src/sandbox/faults.ts)")
    .option("--processing-delay-ms <ms>", "simulated PHIN processing time", "2000")
    .addHelpText("after", "\nExample:\n  phin-submit sandbox --data-dir var/sandbox --port 8443\n")
    .action(async (opts: SandboxOptions) => {
      // Loaded here, not at start-up: other commands never pay for the certificate library.
      const { $FaultScript } = await import("../../sandbox/faults.ts");
      const { startSandbox } = await import("../../sandbox/server.ts");
      const faults = opts.faults === undefined ? [] : await readFaults(opts.faults, $FaultScript);
      const sandbox = await startSandbox({
        dataDir: path.resolve(opts.dataDir),
        port: Number(opts.port),
        faults,
        processingDelayMs: Number(opts.processingDelayMs),
      });
      ctx.io.stdout(
        `PHIN sandbox listening on ${sandbox.url}\nAdd this to your phin.config.json:\n${JSON.stringify(transportSnippet(opts.dataDir, sandbox.url), null, 2)}\n`,
      );
      await new Promise<void>((resolve) => {
        for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => resolve());
      });
      await sandbox.close();
    });
}

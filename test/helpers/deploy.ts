// Reads the deployment files (Dockerfile, deploy/) the way their tools would, without running
// a container engine, a cluster or systemd: the Dockerfile through dockerfile-ast, the CronJob
// through yaml, systemd units through the small INI reader below.
import { readFileSync } from "node:fs";
import path from "node:path";
import { DockerfileParser, Env, type Instruction } from "dockerfile-ast";
import { parseAllDocuments } from "yaml";
import { errorClasses } from "../../src/errors.ts";
import { repoRoot } from "./cli.ts";

export const readRepoFile = (rel: string) => readFileSync(path.join(repoRoot, rel), "utf8");

export interface Stage {
  readonly name: string | null;
  /** What the stage is built FROM: an image reference or an earlier stage's name. */
  readonly base: string;
  readonly instructions: readonly Instruction[];
}

export const dockerfile = DockerfileParser.parse(readRepoFile("Dockerfile"));

/** The Dockerfile's build stages, in order, each with the instructions after its FROM. */
export function stages(): Stage[] {
  const out: { name: string | null; base: string; instructions: Instruction[] }[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === "FROM") {
      const from = dockerfile.getFROMs()[out.length];
      out.push({
        name: from?.getBuildStage() ?? null,
        base: from?.getImage() ?? "",
        instructions: [],
      });
    } else {
      out.at(-1)?.instructions.push(instruction);
    }
  }
  return out;
}

/** The runtime stage: the last one, which `docker build` produces by default. */
export function finalStage(): Stage {
  const last = stages().at(-1);
  if (last === undefined) throw new Error("the Dockerfile has no FROM");
  return last;
}

export const keyword = (stage: Stage, word: string) =>
  stage.instructions.filter((i) => i.getKeyword() === word);

/** The words of an exec-form (JSON) instruction such as CMD or ENTRYPOINT. */
export function execForm(instruction: Instruction | undefined): string[] {
  const text = instruction?.getArgumentsContent() ?? "";
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error(`not exec form: ${text}`);
  return parsed.map(String);
}

/** ENV of the final stage, name -> value. */
export function imageEnv(): Map<string, string> {
  const env = new Map<string, string>();
  for (const instruction of finalStage().instructions) {
    if (!(instruction instanceof Env)) continue;
    for (const p of instruction.getProperties()) env.set(p.getName(), p.getValue() ?? "");
  }
  return env;
}

/** The final stage's user and group as numbers (`USER uid:gid`). */
export function imageUser(): { uid: number; gid: number } {
  const user = keyword(finalStage(), "USER").at(-1)?.getArgumentsContent() ?? "";
  const [uid, gid] = user.split(":").map(Number);
  return { uid: uid ?? Number.NaN, gid: gid ?? Number.NaN };
}

export const imageWorkdir = () => keyword(finalStage(), "WORKDIR").at(-1)?.getArgumentsContent();

/** Exit codes a scheduler should retry: only a transport that failed after its retries. */
export const retriedExitCodes: readonly number[] = [errorClasses.transient.exit];
/** Every other failure needs a person: retrying it would only fail the same way again. */
export const notRetriedExitCodes = Object.values(errorClasses)
  .map((c) => c.exit)
  .filter((code) => !retriedExitCodes.includes(code))
  .sort((a, b) => a - b);

/** The YAML documents of a deploy/ file, as plain objects. */
export function yamlDocuments(rel: string): Record<string, unknown>[] {
  return parseAllDocuments(readRepoFile(rel)).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${rel}: ${doc.errors[0]?.message}`);
    return doc.toJS() as Record<string, unknown>;
  });
}

/**
 * A systemd unit file: section -> key -> values in order (a key may repeat, as Environment= and
 * ReadWritePaths= do). Comments (# and ;) and blank lines are skipped; systemd's line
 * continuations are not used in deploy/ and would be refused here.
 */
export function readUnit(rel: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  readRepoFile(rel)
    .split("\n")
    .forEach((raw, index) => {
      const line = raw.trim();
      if (line === "" || line.startsWith("#") || line.startsWith(";")) return;
      const header = /^\[([^\]]+)\]$/.exec(line);
      if (header) {
        current = new Map();
        sections.set(header[1] as string, current);
        return;
      }
      const eq = line.indexOf("=");
      if (current === undefined || eq <= 0 || line.endsWith("\\")) {
        throw new Error(`${rel}:${index + 1}: not a key=value line in a section`);
      }
      const key = line.slice(0, eq).trim();
      current.set(key, [...(current.get(key) ?? []), line.slice(eq + 1).trim()]);
    });
  return sections;
}

/** The one value of a key that must appear once. */
export function unitValue(
  unit: Map<string, Map<string, string[]>>,
  section: string,
  key: string,
): string | undefined {
  const values = unit.get(section)?.get(key);
  if (values !== undefined && values.length > 1) throw new Error(`${key}= appears more than once`);
  return values?.[0];
}

// Turns zod issues into one line per problem that names the path in the file, e.g.
// `datasets.episodes.mapping: expected a string, got a number`. Values are never quoted back.
// Given the input and schema, it tells a missing key from a wrong type and suggests the closest
// known key for an unknown one.
import type { z } from "zod";

/** The zod internals walked here: wrappers, objects and arrays. */
interface Node {
  readonly def: {
    readonly type: string;
    readonly innerType?: Node;
    readonly in?: Node;
    readonly shape?: Record<string, Node>;
    readonly element?: Node;
  };
}

/** Keys of the object schema at `path`, looking through optional, default and pipe wrappers. */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: Node | undefined = schema as unknown as Node;
  const unwrap = () => {
    while (node !== undefined && (node.def.innerType ?? node.def.in) !== undefined) {
      node = node.def.innerType ?? node.def.in;
    }
  };
  for (const key of path) {
    unwrap();
    node = node?.def.shape?.[String(key)] ?? node?.def.element;
  }
  unwrap();
  return Object.keys(node?.def.shape ?? {});
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      next[j] = Math.min(
        (row[j] as number) + 1,
        (next[j - 1] as number) + 1,
        (row[j - 1] as number) + cost,
      );
    }
    row = next;
  }
  return row[b.length] as number;
}

/** The candidate closest to `word`, when it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.ceil(word.length / 4));
  let best: { key: string; distance: number } | undefined;
  for (const key of candidates) {
    const distance = editDistance(word.toLowerCase(), key.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance))
      best = { key, distance };
  }
  return best?.key;
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

function typeOf(value: unknown): string {
  if (value === null) return "null";
  return article(Array.isArray(value) ? "array" : typeof value);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

export function describeZodError(
  error: z.ZodError,
  prefix: readonly PropertyKey[] = [],
  parsed?: { readonly input: unknown; readonly schema: z.ZodType },
): string[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path].map(String).join(".") || "(top level)";
    if (issue.code === "unrecognized_keys") {
      const known = parsed === undefined ? [] : knownKeys(parsed.schema, issue.path);
      const keys = issue.keys.map((k) => {
        const guess = closest(k, known);
        return `"${k}"${guess === undefined ? "" : ` (did you mean "${guess}"?)`}`;
      });
      return `${path}: unknown key${keys.length > 1 ? "s" : ""} ${keys.join(", ")}`;
    }
    if (parsed !== undefined && (issue.code === "invalid_type" || issue.code === "invalid_value")) {
      // A missing key fails as a wrong type (or a value not in an enum) would: told apart here.
      const value = valueAt(parsed.input, issue.path);
      if (value === undefined) return `${path}: required`;
      if (issue.code === "invalid_type") {
        return `${path}: expected ${article(issue.expected)}, got ${typeOf(value)}`;
      }
    }
    return `${path}: ${issue.message}`;
  });
}

/** The config path of the first problem, as an error's `field`. */
export function firstPath(error: z.ZodError): string {
  return error.issues[0]?.path.map(String).join(".") ?? "";
}

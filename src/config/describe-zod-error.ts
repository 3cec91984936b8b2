// Turns zod issues into one line per problem that names the path in the file, e.g.
// `datasets.episodes.mapping: expected string`. Values are never quoted back.
import type { z } from "zod";

export function describeZodError(
  error: z.ZodError,
  prefix: readonly (string | number)[] = [],
): string[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path].map(String).join(".") || "(top level)";
    if (issue.code === "unrecognized_keys") {
      return `${path}: unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    }
    if (issue.code === "invalid_type" && issue.input === undefined) return `${path}: required`;
    return `${path}: ${issue.message}`;
  });
}

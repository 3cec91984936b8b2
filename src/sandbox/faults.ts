// Scripted faults for the sandbox, so every reliability property can be tested end to end:
// statuses with Retry-After, slow headers, connections reset mid-body, a commit whose reply is
// dropped, receipts with a bad signature or a wrong digest. Rules fire in order, `times` each.
import { z } from "zod";

export const routes = ["open", "upload", "commit", "status", "list"] as const;
export type Route = (typeof routes)[number];

const $FaultAction = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("status"),
    status: z.number().int().min(400).max(599),
    retry_after: z.string().optional(),
    code: z.string().optional(),
  }),
  z.strictObject({ kind: z.literal("delay"), ms: z.number().int().nonnegative() }),
  z.strictObject({ kind: z.literal("reset") }),
  z.strictObject({ kind: z.literal("drop_after") }),
  z.strictObject({ kind: z.literal("bad_signature") }),
  z.strictObject({ kind: z.literal("wrong_digest") }),
  // Upload: store the file, then flip one byte of it (storage corruption PHIN must catch).
  z.strictObject({ kind: z.literal("flip_byte") }),
]);
export type FaultAction = z.infer<typeof $FaultAction>;

export const $FaultRule = z.strictObject({
  route: z.enum([...routes, "any"]),
  times: z.number().int().positive().default(1),
  action: $FaultAction,
});
export type FaultRule = z.input<typeof $FaultRule>;

export const $FaultScript = z.array($FaultRule);

export class FaultQueue {
  /** The rules still to fire, in order; `times` counts down. */
  readonly #rules: z.infer<typeof $FaultRule>[] = [];
  /** How many times each fault kind fired. */
  readonly fired: Record<string, number> = {};

  add(...rules: FaultRule[]): void {
    this.#rules.push(...rules.map((rule) => $FaultRule.parse(rule)));
  }

  clear(): void {
    this.#rules.length = 0;
  }

  /** The next fault for this route, consuming one use of it. */
  take(route: Route): FaultAction | undefined {
    const rule = this.#rules.find((r) => r.times > 0 && (r.route === route || r.route === "any"));
    if (rule === undefined) return undefined;
    rule.times--;
    this.fired[rule.action.kind] = (this.fired[rule.action.kind] ?? 0) + 1;
    return rule.action;
  }
}

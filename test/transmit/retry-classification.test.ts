// Which HTTP answers are retried: per status, and per problem code among 409s (docs/api.md).
import { describe, expect, it } from "vitest";
import { isRetryableAnswer } from "../../src/transmit/phin-api-client.ts";

describe("isRetryableAnswer", () => {
  it.each([408, 425, 429, 500, 502, 503, 504])("retries HTTP %i", (status) => {
    expect(isRetryableAnswer(status, undefined)).toBe(true);
  });

  it.each([400, 401, 403, 404, 405, 410, 413, 415, 422, 501, 505])(
    "does not retry HTTP %i",
    (status) => {
      expect(isRetryableAnswer(status, undefined)).toBe(false);
    },
  );

  it("retries 409 IN_PROGRESS only", () => {
    expect(isRetryableAnswer(409, "IN_PROGRESS")).toBe(true);
  });

  it.each(["ALREADY_SUBMITTED", "SUPERSEDES_UNKNOWN", "ALREADY_COMMITTED", "FILES_MISSING", ""])(
    "does not retry 409 %s",
    (code) => {
      expect(isRetryableAnswer(409, code)).toBe(false);
    },
  );

  it("does not retry a 409 without a code", () => {
    expect(isRetryableAnswer(409, undefined)).toBe(false);
  });
});

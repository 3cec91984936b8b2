// PHIN's signed receipt (docs/api.md): the receipt body, its canonical form (RFC 8785 JCS), the
// Ed25519 signature over it, and the client's check of both signature and content against
// what was sent. The public key comes from the client's own configuration, never the server.
import { createHash, createPublicKey, sign, verify } from "node:crypto";
import canonicalize from "canonicalize";
import { z } from "zod";

export const $ReceiptBody = z.strictObject({
  receipt_id: z.string(),
  submission_id: z.string(),
  provider_code: z.string(),
  period: z.string(),
  schema_version: z.number(),
  manifest_sha256: z.string().regex(/^[0-9a-f]{64}$/),
  files: z.array(
    z.strictObject({
      name: z.string(),
      bytes: z.number().int(),
      sha256: z.string(),
      records: z.number().int(),
    }),
  ),
  supersedes: z.string().nullable(),
  received_at: z.string(),
});
export type ReceiptBody = z.infer<typeof $ReceiptBody>;

export const $SignedReceipt = z.strictObject({
  receipt: $ReceiptBody,
  key_id: z.string(),
  signature: z.string(),
});
export type SignedReceipt = z.infer<typeof $SignedReceipt>;

export function canonicalReceipt(body: ReceiptBody): Buffer {
  return Buffer.from(canonicalize(body) as string, "utf8");
}

/** Key id: first 16 hex of SHA-256 of the public key's DER (SPKI). */
export function receiptKeyId(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("hex").slice(0, 16);
}

export function signReceipt(
  body: ReceiptBody,
  privateKeyPem: string,
  publicKeyPem: string,
): SignedReceipt {
  const signature = sign(null, canonicalReceipt(body), privateKeyPem).toString("base64");
  return { receipt: body, key_id: receiptKeyId(publicKeyPem), signature };
}

export interface ExpectedReceipt {
  readonly submissionId: string;
  readonly providerCode: string;
  readonly period: string;
  readonly manifestSha256: string;
  readonly files: readonly { name: string; bytes: number; sha256: string; records: number }[];
}

const fileChecks = [
  ["sha256", "digest"],
  ["bytes", "size"],
  ["records", "record count"],
] as const;

/** Every reason the receipt cannot be accepted; empty when it verifies. */
export function checkReceipt(
  raw: unknown,
  publicKeyPem: string,
  expected: ExpectedReceipt,
): string[] {
  const parsed = $SignedReceipt.safeParse(raw);
  if (!parsed.success) return ["the receipt is not in the documented shape"];
  const { receipt, signature, key_id } = parsed.data;
  const problems: string[] = [];
  const signatureBytes = Buffer.from(signature, "base64");
  let signatureOk = false;
  try {
    signatureOk = verify(null, canonicalReceipt(receipt), publicKeyPem, signatureBytes);
  } catch {
    // A key or signature that cannot even be read does not verify.
  }
  if (!signatureOk)
    problems.push("the signature does not verify with the configured PHIN receipt key");
  if (key_id !== receiptKeyId(publicKeyPem))
    problems.push("the receipt names a different signing key");
  if (receipt.submission_id !== expected.submissionId)
    problems.push("the receipt is for another submission");
  if (receipt.provider_code !== expected.providerCode || receipt.period !== expected.period)
    problems.push("the receipt names another provider or period");
  if (receipt.manifest_sha256 !== expected.manifestSha256)
    problems.push("the manifest digest differs from what was sent");
  const sent = new Map(expected.files.map((f) => [f.name, f]));
  if (receipt.files.length !== expected.files.length)
    problems.push("the receipt lists a different number of files");
  for (const f of receipt.files) {
    const mine = sent.get(f.name);
    if (mine === undefined) problems.push(`the receipt lists a file that was not sent (${f.name})`);
    else
      for (const [key, what] of fileChecks)
        if (mine[key] !== f[key])
          problems.push(`the ${what} of ${f.name} differs from what was sent`);
  }
  return problems;
}

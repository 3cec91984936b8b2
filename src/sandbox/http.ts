// Request and response helpers the sandbox's handlers share: problem-details and JSON replies,
// bodies read under a size cap, and the bearer-token check.
import type { IncomingMessage, ServerResponse } from "node:http";

/** A problem-details reply. What is left of the request body is drained first, so a client still
 * sending sees the reply rather than a reset. */
export function problem(
  res: ServerResponse,
  status: number,
  code: string,
  title: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): void {
  res.req.resume();
  res.writeHead(status, { "content-type": "application/problem+json", ...headers });
  const type = `https://phin.example/problems/${code.toLowerCase()}`;
  res.end(JSON.stringify({ type, title, status, code, ...extra }));
}

/** A JSON reply; a Buffer is sent as it is (stored receipts keep their exact bytes). */
export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(Buffer.isBuffer(body) ? body : JSON.stringify(body));
}

/** The whole body, or undefined once it passes `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function hasToken(req: IncomingMessage, token: string): boolean {
  return req.headers.authorization === `Bearer ${token}`;
}

export function unauthorised(res: ServerResponse): void {
  problem(res, 401, "UNAUTHORIZED", "a valid bearer token is required");
}

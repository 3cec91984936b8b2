// One HTTPS request to a running sandbox with its own client certificate and token (or another
// token), for tests that talk to the sandbox directly rather than through the client.
import { request } from "node:https";
import type { Sandbox } from "../../src/sandbox/server.ts";

export function sandboxRequest(
  sandbox: Sandbox,
  method: string,
  path: string,
  options: { body?: string; token?: string } = {},
): Promise<{ status: number; body: string }> {
  const m = sandbox.material;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: sandbox.port,
        path,
        method,
        ca: m.caCert,
        cert: m.clientCert,
        key: m.clientKey,
        servername: "localhost",
        headers: { authorization: `Bearer ${options.token ?? m.token}` },
      },
      (res) => {
        let text = "";
        res.on("data", (d) => {
          text += d;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

// The sandbox's key material as files under its data dir: a module of its own so that the CLI can
// print a config snippet without loading the certificate library.
export interface SandboxMaterial {
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
  readonly token: string;
  readonly receiptPublicKey: string;
  readonly receiptPrivateKey: string;
}

/** File names under the sandbox data dir; the client-side ones go into phin-submit's config. */
export const materialFiles: Record<keyof SandboxMaterial, string> = {
  caCert: "pki/ca.pem",
  serverCert: "pki/server.pem",
  serverKey: "pki/server.key",
  clientCert: "pki/client.pem",
  clientKey: "pki/client.key",
  token: "pki/token",
  receiptPublicKey: "pki/receipt-public.pem",
  receiptPrivateKey: "pki/receipt-private.pem",
};

// The sandbox's key material as files under its data dir: a module of its own so that the CLI can
// print a config snippet without loading the certificate library.
/** File names under the sandbox data dir; the client-side ones go into phin-submit's config. */
export const materialFiles = {
  caCert: "pki/ca.pem",
  serverCert: "pki/server.pem",
  serverKey: "pki/server.key",
  clientCert: "pki/client.pem",
  clientKey: "pki/client.key",
  token: "pki/token",
  receiptPublicKey: "pki/receipt-public.pem",
  receiptPrivateKey: "pki/receipt-private.pem",
} as const;

/** The contents of those files (PEM text and the bearer token). */
export type SandboxMaterial = Readonly<Record<keyof typeof materialFiles, string>>;

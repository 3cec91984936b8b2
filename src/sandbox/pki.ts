// The sandbox's own trust material, made on first start: a private CA, a server certificate for
// localhost/127.0.0.1, a client certificate for phin-submit, a bearer token and the Ed25519 key
// pair receipts are signed with. Real certificates, so transmission is tested over real mTLS.
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API.
import "reflect-metadata";
import { generateKeyPairSync, KeyObject, randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import * as x509 from "@peculiar/x509";
import { materialFiles, type SandboxMaterial } from "./material-files.ts";

x509.cryptoProvider.set(crypto);

const ecdsa = { name: "ECDSA", namedCurve: "P-256" } as const;
const signing = { name: "ECDSA", hash: "SHA-256" } as const;

const keyPair = () => crypto.subtle.generateKey(ecdsa, true, ["sign", "verify"]);

const pemKey = (key: CryptoKey) =>
  KeyObject.from(key).export({ type: "pkcs8", format: "pem" }).toString();

export interface PkiOptions {
  /** Certificate validity start and end; tests make expired or not-yet-valid ones. */
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

/** Make a fresh CA plus server and client certificates (and token and receipt keys). */
export async function createMaterial(options: PkiOptions = {}): Promise<SandboxMaterial> {
  const notBefore = options.notBefore ?? new Date(Date.now() - 60_000);
  const notAfter = options.notAfter ?? new Date(Date.now() + 365 * 24 * 3600_000);
  const caKeys = await keyPair();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: "CN=PHIN sandbox CA, O=phin-submit sandbox",
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: signing,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const leaf = async (
    subject: string,
    usage: x509.ExtendedKeyUsage,
    names: x509.JsonGeneralNames,
  ) => {
    const keys = await keyPair();
    const cert = await x509.X509CertificateGenerator.create({
      subject,
      issuer: ca.subject,
      notBefore,
      notAfter,
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: signing,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement,
          true,
        ),
        new x509.ExtendedKeyUsageExtension([usage], false),
        ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names)] : []),
        await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
      ],
    });
    return { cert: cert.toString("pem"), key: pemKey(keys.privateKey) };
  };
  const server = await leaf("CN=localhost", x509.ExtendedKeyUsage.serverAuth, [
    { type: "dns", value: "localhost" },
    { type: "ip", value: "127.0.0.1" },
  ]);
  const client = await leaf("CN=phin-submit client NQX", x509.ExtendedKeyUsage.clientAuth, []);
  const receipt = generateKeyPairSync("ed25519");
  return {
    caCert: ca.toString("pem"),
    serverCert: server.cert,
    serverKey: server.key,
    clientCert: client.cert,
    clientKey: client.key,
    token: randomBytes(32).toString("hex"),
    receiptPublicKey: receipt.publicKey.export({ type: "spki", format: "pem" }).toString(),
    receiptPrivateKey: receipt.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

/** Load the material from `dataDir`, creating and saving it (0600) on first use. */
export async function loadOrCreateMaterial(dataDir: string): Promise<SandboxMaterial> {
  const files = Object.entries(materialFiles) as [keyof SandboxMaterial, string][];
  try {
    const read = files.map(async ([k, f]) => [k, await readFile(path.join(dataDir, f), "utf8")]);
    return Object.fromEntries(await Promise.all(read)) as SandboxMaterial;
  } catch {
    const material = await createMaterial();
    await mkdir(path.join(dataDir, "pki"), { recursive: true, mode: 0o700 });
    for (const [k, f] of files)
      await writeFile(path.join(dataDir, f), material[k], { mode: 0o600 });
    return material;
  }
}

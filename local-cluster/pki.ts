import { execFile } from "node:child_process";
import { generateKeyPair, randomBytes } from "node:crypto";
import { chmod, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** DNS names in the serving certificate besides the IP 127.0.0.1. */
export const SERVING_DNS_NAMES = ["localhost", "kubetyped.test", "kubernetes.default.svc"] as const;
/** A name the serving certificate does NOT hold, for negative `tls-server-name` tests. */
export const NAME_NOT_IN_SERVING_CERT = "not-in-cert.kubetyped.test";

export interface CertificateFiles {
  certFile: string;
  keyFile: string;
}

export interface LocalPki {
  caFile: string;
  caKeyFile: string;
  serving: CertificateFiles & { dnsNames: string[]; ipAddresses: string[] };
  /** CN=kubetyped-admin, O=system:masters. */
  admin: CertificateFiles;
  /** CN=bob, no groups: authenticates, but RBAC grants it nothing beyond discovery. */
  bob: CertificateFiles;
  /** RSA pair signing and verifying ServiceAccount tokens. */
  serviceAccount: { publicKeyFile: string; privateKeyFile: string };
  /** How kube-apiserver proves itself to kubelets (`--kubelet-client-certificate`), CN=kube-apiserver-kubelet-client. */
  kubeletClient: CertificateFiles;
  /** Serving certificate for a kubelet on 127.0.0.1 (the stand-in); kube-apiserver checks it against the CA. */
  kubelet: CertificateFiles;
}

/**
 * Creates a fresh CA and the certificates a local control plane needs, with the `openssl` CLI
 * (Node can create keys but not X.509 certificates). Keys are ECDSA P-256 for speed.
 */
export async function createLocalPki(dir: string): Promise<LocalPki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const caFile = join(dir, "ca.crt");
  const caKeyFile = join(dir, "ca.key");
  await openssl(dir, [
    "req", "-x509", ...ecKeyArgs(), "-nodes", "-keyout", caKeyFile, "-out", caFile, "-days", "3650",
    "-subj", "/CN=kubetyped-local-ca",
    "-addext", "basicConstraints=critical,CA:TRUE",
    "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
  ]);
  const ca = { caFile, caKeyFile };
  const ipAddresses = ["127.0.0.1"];
  const dnsNames = [...SERVING_DNS_NAMES];
  const [serving, admin, bob, serviceAccount, kubeletClient, kubelet] = await Promise.all([
    issueCertificate(ca, dir, "apiserver", {
      subject: "/CN=kube-apiserver",
      usage: "serverAuth",
      subjectAltNames: [...ipAddresses.map((ip) => `IP:${ip}`), ...dnsNames.map((dns) => `DNS:${dns}`)],
    }),
    issueClientCertificate(ca, dir, "admin", { commonName: "kubetyped-admin", organizations: ["system:masters"] }),
    issueClientCertificate(ca, dir, "bob", { commonName: "bob", organizations: [] }),
    createServiceAccountKeys(dir),
    issueClientCertificate(ca, dir, "kubelet-client", { commonName: "kube-apiserver-kubelet-client", organizations: [] }),
    issueCertificate(ca, dir, "kubelet", { subject: "/CN=kubelet", usage: "serverAuth", subjectAltNames: ["IP:127.0.0.1", "DNS:localhost"] }),
  ]);
  return { caFile, caKeyFile, serving: { ...serving, dnsNames, ipAddresses }, admin, bob, serviceAccount, kubeletClient, kubelet };
}

/** Issues a client certificate from the local CA; `organizations` become the user's groups. */
export async function issueClientCertificate(
  ca: { caFile: string; caKeyFile: string },
  dir: string,
  name: string,
  identity: { commonName: string; organizations: string[] },
): Promise<CertificateFiles> {
  const subject = [...identity.organizations.map((o) => `/O=${escapeSubject(o)}`), `/CN=${escapeSubject(identity.commonName)}`].join("");
  return issueCertificate(ca, dir, name, { subject, usage: "clientAuth", subjectAltNames: [] });
}

async function issueCertificate(
  ca: { caFile: string; caKeyFile: string },
  dir: string,
  name: string,
  spec: { subject: string; usage: "serverAuth" | "clientAuth"; subjectAltNames: string[] },
): Promise<CertificateFiles> {
  const keyFile = join(dir, `${name}.key`);
  const certFile = join(dir, `${name}.crt`);
  const csrFile = join(dir, `${name}.csr`);
  const extFile = join(dir, `${name}.ext`);
  const extensions = [
    "basicConstraints=critical,CA:FALSE",
    "keyUsage=critical,digitalSignature",
    `extendedKeyUsage=${spec.usage}`,
    ...(spec.subjectAltNames.length > 0 ? [`subjectAltName=${spec.subjectAltNames.join(",")}`] : []),
  ];
  await writeFile(extFile, extensions.join("\n") + "\n");
  await openssl(dir, ["req", "-new", ...ecKeyArgs(), "-nodes", "-keyout", keyFile, "-out", csrFile, "-subj", spec.subject]);
  await openssl(dir, [
    "x509", "-req", "-in", csrFile, "-CA", ca.caFile, "-CAkey", ca.caKeyFile, "-set_serial", randomSerial(),
    "-days", "365", "-extfile", extFile, "-out", certFile,
  ]);
  await Promise.all([rm(csrFile), rm(extFile), chmod(keyFile, 0o600)]);
  return { certFile, keyFile };
}

async function createServiceAccountKeys(dir: string): Promise<LocalPki["serviceAccount"]> {
  const { publicKey, privateKey } = await promisify(generateKeyPair)("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const publicKeyFile = join(dir, "sa.pub");
  const privateKeyFile = join(dir, "sa.key");
  await writeFile(publicKeyFile, publicKey);
  await writeFile(privateKeyFile, privateKey, { mode: 0o600 });
  return { publicKeyFile, privateKeyFile };
}

function ecKeyArgs(): string[] {
  return ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];
}

function randomSerial(): string {
  // A leading 1 keeps the serial positive and non-zero, as X.509 requires.
  return `0x1${randomBytes(15).toString("hex")}`;
}

/** `/` and `=` are separators in openssl's -subj syntax. */
function escapeSubject(value: string): string {
  return value.replace(/[\\/=+,]/g, (c) => `\\${c}`);
}

async function openssl(cwd: string, args: string[]): Promise<void> {
  try {
    await execFileAsync("openssl", args, { cwd });
  } catch (error) {
    const err = error as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === "ENOENT") {
      throw new Error("the `openssl` command is not on the PATH; install it (Debian: apt-get install openssl) to create the local cluster's certificates");
    }
    throw new Error(`openssl ${args[0]} failed in ${cwd}: ${(err.stderr ?? err.message).trim()}`);
  }
}

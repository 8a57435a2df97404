import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import { makeTempDir } from "../../support/tmp.js";

/** A fresh temp folder with files (paths relative to it); objects are written as YAML. */
export async function tempFiles(files: Record<string, unknown>): Promise<string> {
  const dir = await makeTempDir("config-");
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, typeof content === "string" || Buffer.isBuffer(content) ? content : stringify(content));
  }
  return dir;
}

export const FAKE_CA = "-----BEGIN CERTIFICATE-----\nfake-ca\n-----END CERTIFICATE-----\n";
export const FAKE_CERT = "-----BEGIN CERTIFICATE-----\nfake-client\n-----END CERTIFICATE-----\n";
export const FAKE_KEY = "-----BEGIN PRIVATE KEY-----\nfake-key-material-s3cr3t\n-----END PRIVATE KEY-----\n";
export const b64 = (text: string) => Buffer.from(text).toString("base64");

/** Two kubeconfig files that overlap, as in a KUBECONFIG list; paths relative to the temp folder. */
export function overlappingKubeconfigs(): Record<string, unknown> {
  return {
    "first/config": {
      apiVersion: "v1",
      kind: "Config",
      "current-context": "dev",
      clusters: [{ name: "shared", cluster: { server: "https://first.example:6443", "certificate-authority": "certs/ca.crt" } }],
      users: [{ name: "dev-user", user: { token: "first-token-abc" } }],
      contexts: [{ name: "dev", context: { cluster: "shared", user: "dev-user", namespace: "team-a" } }],
    },
    "first/certs/ca.crt": FAKE_CA,
    "second/config": {
      apiVersion: "v1",
      kind: "Config",
      "current-context": "prod",
      clusters: [
        { name: "shared", cluster: { server: "https://second.example:6443" } },
        { name: "prod-cluster", cluster: { server: "https://prod.example:443/prefix", "certificate-authority-data": b64(FAKE_CA), "tls-server-name": "api.prod.internal" } },
      ],
      users: [
        { name: "dev-user", user: { token: "second-token-should-lose" } },
        { name: "prod-user", user: { "client-certificate": "../pki/client.crt", "client-key-data": b64(FAKE_KEY) } },
      ],
      contexts: [
        { name: "dev", context: { cluster: "prod-cluster", user: "prod-user" } },
        { name: "prod", context: { cluster: "prod-cluster", user: "prod-user" } },
      ],
    },
    "pki/client.crt": FAKE_CERT,
  };
}

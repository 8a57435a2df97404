import { writeFile } from "node:fs/promises";
import { Secret } from "../../../runtime/config/secret.js";
import type { ClusterConnection } from "../../../runtime/config/types.js";

/** What a test server hands its clients: where it is, its CA and its bearer token. */
interface Reachable {
  url: string;
  caPem: Buffer;
  token: string;
}

/** A runtime connection to the test server: its CA verified, its token as a bearer credential. */
export function connectionTo(server: Reachable): ClusterConnection {
  return {
    server: server.url,
    tls: { ca: server.caPem, insecureSkipVerify: false },
    credentials: { type: "token", token: new Secret(server.token) },
    namespace: "default",
    source: "modern test server",
  };
}

/** The same as a kubeconfig file (context `modern`), for tests that go through the CLI. */
export async function writeKubeconfigFor(file: string, server: Reachable): Promise<string> {
  const kubeconfig = [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: modern",
    "  cluster:",
    `    server: ${server.url}`,
    `    certificate-authority-data: ${server.caPem.toString("base64")}`,
    "users:",
    "- name: modern",
    "  user:",
    `    token: ${server.token}`,
    "contexts:",
    "- name: modern",
    "  context: { cluster: modern, user: modern }",
    "current-context: modern",
    "",
  ].join("\n");
  await writeFile(file, kubeconfig, { mode: 0o600 });
  return file;
}

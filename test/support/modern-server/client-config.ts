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
  await writeFile(file, kubeconfigFor(server), { mode: 0o600 });
  return file;
}

/**
 * A kubeconfig for the server: context `context` (current) with user `userName`, whose `user:` entry is
 * `user` (YAML lines; by default the server's token, `[]` for an entry with no credentials at all).
 */
export function kubeconfigFor(server: Reachable, options: { userName?: string; context?: string; user?: string[] } = {}): string {
  const { userName = "modern", context = "modern", user = [`token: ${server.token}`] } = options;
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: modern",
    "  cluster:",
    `    server: ${server.url}`,
    `    certificate-authority-data: ${server.caPem.toString("base64")}`,
    "users:",
    `- name: ${userName}`,
    user.length === 0 ? "  user: {}" : "  user:",
    ...user.map((line) => `    ${line}`),
    "contexts:",
    `- name: ${context}`,
    `  context: { cluster: modern, user: ${userName} }`,
    `current-context: ${context}`,
    "",
  ].join("\n");
}

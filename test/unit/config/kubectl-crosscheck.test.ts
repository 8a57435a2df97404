import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { loadKubeconfig } from "../../../runtime/config/kubeconfig.js";
import type { ClusterConnection } from "../../../runtime/config/types.js";
import { kubectlAvailable } from "../../support/kubectl.js";
import { b64, FAKE_KEY, overlappingKubeconfigs, tempFiles } from "./fixtures.js";

const run = promisify(execFile);

const hasKubectl = await kubectlAvailable();
if (!hasKubectl && process.env.CI) throw new Error("kubectl is not on PATH; CI must provide it for the kubeconfig cross-check");
if (!hasKubectl) console.warn("skipping kubectl cross-check: kubectl not on PATH");

interface Minified {
  clusters: Array<{ cluster: Record<string, unknown> }>;
  users: Array<{ user: Record<string, unknown> }>;
  contexts: Array<{ name: string; context: Record<string, unknown> }>;
}

/** What kubectl resolves, reduced to the fields our connection carries. */
async function kubectlView(env: NodeJS.ProcessEnv, context: string | undefined, definedIn: string) {
  const args = ["config", "view", "--minify", "--raw", "--flatten", "-o", "json", ...(context ? ["--context", context] : [])];
  const { stdout } = await run("kubectl", args, { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, timeout: 20_000 });
  const view = JSON.parse(stdout) as Minified;
  const cluster = view.clusters[0]!.cluster;
  const user = view.users[0]?.user ?? {};
  const exec = user.exec as Record<string, unknown> | undefined;
  return {
    context: view.contexts[0]!.name,
    server: cluster.server,
    namespace: (view.contexts[0]!.context.namespace as string | undefined) || "default",
    ca: cluster["certificate-authority-data"] ?? null,
    serverName: cluster["tls-server-name"] ?? null,
    insecure: cluster["insecure-skip-tls-verify"] ?? false,
    proxyUrl: cluster["proxy-url"] ?? null,
    cert: user["client-certificate-data"] ?? null,
    key: user["client-key-data"] ?? null,
    token: user.token ?? null,
    // `config view` prints these paths as written; kubectl resolves them against the defining file.
    tokenFile: typeof user.tokenFile === "string" ? path.resolve(definedIn, user.tokenFile) : null,
    execCommand: typeof exec?.command === "string" ? (exec.command.includes("/") ? path.resolve(definedIn, exec.command) : exec.command) : null,
  };
}

function ours(connection: ClusterConnection) {
  const credentials = connection.credentials;
  return {
    context: connection.context,
    server: connection.server,
    namespace: connection.namespace,
    ca: connection.tls.ca?.toString("base64") ?? null,
    serverName: connection.tls.serverName ?? null,
    insecure: connection.tls.insecureSkipVerify,
    proxyUrl: connection.proxyUrl ?? null,
    cert: connection.tls.cert?.toString("base64") ?? null,
    key: connection.tls.key?.reveal().toString("base64") ?? null,
    token: credentials.type === "token" ? credentials.token.reveal() : null,
    tokenFile: credentials.type === "tokenFile" ? credentials.path : null,
    execCommand: credentials.type === "exec" ? credentials.exec.command : null,
  };
}

describe.skipIf(!hasKubectl)("kubeconfig resolution matches kubectl config view --minify --flatten", async () => {
  const dir = await tempFiles({
    ...overlappingKubeconfigs(),
    "third/config": {
      clusters: [{ name: "insecure", cluster: { server: "https://insecure.example:6443", "insecure-skip-tls-verify": true, "proxy-url": "http://proxy.local:3128" } }],
      users: [
        { name: "tf", user: { tokenFile: "../tokens/t" } },
        { name: "plugin", user: { exec: { apiVersion: "client.authentication.k8s.io/v1", command: "./bin/plugin", interactiveMode: "Never" } } },
        { name: "keyed", user: { "client-certificate-data": b64("cert"), "client-key": "keys/k.pem" } },
      ],
      contexts: [
        { name: "token-file", context: { cluster: "insecure", user: "tf", namespace: "ops" } },
        { name: "exec", context: { cluster: "insecure", user: "plugin" } },
        { name: "keyed", context: { cluster: "shared", user: "keyed" } },
      ],
    },
    "tokens/t": "token-in-file",
    "third/keys/k.pem": FAKE_KEY,
  });
  const files = (...names: string[]) => names.map((n) => path.join(dir, n, "config")).join(path.delimiter);
  const cases: Array<{ name: string; kubeconfig: string; context?: string }> = [
    { name: "first file wins", kubeconfig: files("first", "second", "third") },
    { name: "reversed order", kubeconfig: files("second", "first", "third") },
    { name: "chosen context with -data and relative cert", kubeconfig: files("first", "second"), context: "prod" },
    { name: "conflicting context name resolved by order", kubeconfig: files("second", "first"), context: "dev" },
    { name: "token file and proxy", kubeconfig: files("third", "first"), context: "token-file" },
    { name: "exec command relative to its file", kubeconfig: files("first", "third"), context: "exec" },
    { name: "key file relative to its file, cluster from another file", kubeconfig: files("third", "first"), context: "keyed" },
  ];
  for (const testCase of cases) {
    it(testCase.name, async () => {
      const env = { KUBECONFIG: testCase.kubeconfig };
      const expected = await kubectlView(env, testCase.context, path.join(dir, "third"));
      const actual = ours(await loadKubeconfig({ env, ...(testCase.context ? { context: testCase.context } : {}) }));
      expect(actual).toEqual(expected);
    });
  }
});

import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { main, type CliIo } from "../../generator/cli/main.js";
import { clientFromConnection } from "../../runtime/index.js";
import { loadKubeconfig, resolveConnection } from "../../runtime/entries/plumbing.js";
import { describeWithCluster } from "../support/cluster.js";
import { makeTempDir } from "../support/tmp.js";

/** Everything a run produced that a person or a log could see, as one text to search. */
async function filesUnder(dir: string): Promise<string> {
  const parts: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) parts.push(await readFile(join(entry.parentPath, entry.name), "utf8"));
  }
  return parts.join("\n");
}

function expectNoSecrets(text: string, secrets: readonly string[], where: string): void {
  for (const secret of secrets) expect(text.includes(secret), `${where} shows a secret`).toBe(false);
}

describeWithCluster("secrets never show", (cluster) => {
  it("tokens, passwords, client keys and exec credentials stay out of errors, logs, inspect, JSON and snapshots", { timeout: 120_000 }, async () => {
    const dir = await makeTempDir("secrets");
    const password = "pw-Do-Not-Print-7d1c";
    // The exec plugin hands out the admin token, so the exec context really authenticates.
    const execToken = cluster.admin.token;
    const keyPem = await readFile(cluster.admin.keyFile, "utf8");
    const keyBody = keyPem.split("\n").filter((line) => line && !line.startsWith("-----"))[1]!;
    const secrets = [cluster.admin.token, password, keyBody, Buffer.from(keyPem).toString("base64").slice(40, 120)];
    const plugin = join(dir, "plugin.mjs");
    await writeFile(
      plugin,
      `process.stdout.write(JSON.stringify({ apiVersion: "client.authentication.k8s.io/v1", kind: "ExecCredential", status: { token: ${JSON.stringify(execToken)} } }));`,
    );
    const ca = (await readFile(cluster.caFile)).toString("base64");
    const kubeconfig = join(dir, "kubeconfig.yaml");
    await writeFile(
      kubeconfig,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        `- { name: local, cluster: { server: "${cluster.server}", certificate-authority-data: ${ca} } }`,
        `- { name: nowhere, cluster: { server: "https://127.0.0.1:9", certificate-authority-data: ${ca} } }`,
        "users:",
        `- { name: token, user: { token: ${cluster.admin.token} } }`,
        `- { name: basic, user: { username: admin, password: ${password} } }`,
        `- { name: key, user: { client-certificate: ${cluster.admin.certFile}, client-key-data: ${Buffer.from(keyPem).toString("base64")} } }`,
        `- { name: exec, user: { exec: { apiVersion: client.authentication.k8s.io/v1, command: ${process.execPath}, args: [${plugin}], interactiveMode: Never } } }`,
        `- { name: broken, user: { token: ${cluster.admin.token}, client-key: /nonexistent/client.key } }`,
        "contexts:",
        "- { name: token, context: { cluster: local, user: token } }",
        "- { name: basic, context: { cluster: local, user: basic } }",
        "- { name: key, context: { cluster: local, user: key } }",
        "- { name: exec, context: { cluster: local, user: exec } }",
        "- { name: exec-nowhere, context: { cluster: nowhere, user: exec } }",
        "- { name: broken, context: { cluster: local, user: broken } }",
        "current-context: token",
        "",
      ].join("\n"),
    );
    const seen: string[] = [];

    // Config objects: inspect and JSON.
    for (const context of ["token", "basic", "key", "exec"]) {
      const connection = await loadKubeconfig({ kubeconfig, context });
      seen.push(inspect(connection, { depth: 10 }), JSON.stringify(connection));
    }
    // Thrown errors: a broken user entry, a server that answers 401 to the basic user, an unreachable one.
    seen.push(String(await loadKubeconfig({ kubeconfig, context: "broken" }).catch((error: Error) => `${error.message}\n${error.stack}`)));
    for (const context of ["basic", "exec", "exec-nowhere"]) {
      const kube = clientFromConnection(await resolveConnection({ kubeconfig, context }), { timeoutMs: 3_000, maxRetries: 0 });
      const outcome = await kube.resource({ group: "", version: "v1", plural: "secrets", kind: "Secret", namespaced: true, verbs: ["list"] } as const).list().then(
        () => "ok",
        (error: Error) => `${error.message}\n${error.stack}\n${inspect(error, { depth: 10 })}`,
      );
      seen.push(outcome);
      await kube.close();
    }

    // Logs and snapshot files of the CLI, with each credential kind.
    const logs: string[] = [];
    const io: CliIo = { stdout: (text) => void logs.push(text), stderr: (text) => void logs.push(text), env: {}, stderrIsTty: false };
    for (const context of ["token", "key", "exec"]) {
      const out = join(dir, `snapshot-${context}`);
      expect(await main(["snapshot", "--kubeconfig", kubeconfig, "--context", context, "--out", out, "--groups", "core/v1"], io), logs.join("")).toBe(0);
      seen.push(await filesUnder(out));
    }
    expect(await main(["generate", "--kubeconfig", kubeconfig, "--context", "broken", "--out", join(dir, "never")], io)).toBe(1);
    seen.push(logs.join(""));

    expect(seen.join("\n")).toContain("401"); // the basic user really was refused, so its error was examined
    if (process.env.SECRETS_DEBUG) await writeFile(process.env.SECRETS_DEBUG, JSON.stringify({ seen, secrets }));
    expectNoSecrets(seen.join("\n"), secrets, "an error, log, inspect, JSON or snapshot file");
  });
});

describe("secrets test helpers", () => {
  it("would notice a secret", () => {
    expect(() => expectNoSecrets("a token-123 b", ["token-123"], "this text")).toThrow();
  });
});

// A refused credential (401) is said as that, naming the kubeconfig's user entry and what to do, in every command that reads a cluster.
import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../../generator/cli/main.js";
import { captureIo } from "../../support/cli-io.js";
import { makeTempDir } from "../../support/tmp.js";
import { startModernTestServer, type ModernTestServer } from "../../support/modern-server/index.js";
import { kubeconfigFor } from "../../support/modern-server/client-config.js";
import { createLocalPki } from "../../../local-cluster/pki.js";
import { documentFile, groupVersionDocument, kindSchema, writeDocuments } from "../../hardening/support/documents.js";

describe("a cluster that refuses the credentials (401)", () => {
  let server: ModernTestServer;
  let root = "";
  let project = "";

  beforeAll(async () => {
    server = await startModernTestServer({ version: "1.30" });
    root = await makeTempDir("credentials-");
    // A generated folder and a project, so `check` gets as far as reading the cluster.
    const api = path.join(root, "api");
    const widget = { group: "example.com", version: "v1", kind: "Widget", plural: "widgets" };
    await writeDocuments(api, { [documentFile("example.com", "v1")]: groupVersionDocument([widget], { "com.example.v1.Widget": kindSchema(widget) }) });
    project = path.join(root, "project");
    expect(await main(["generate", "--from", api, "--out", path.join(project, "generated")], captureIo())).toBe(0);
    await writeFile(path.join(project, "main.ts"), "export const answer = 42;\n");
    await writeFile(path.join(project, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, noEmit: true }, files: ["main.ts"] }));
  });
  afterAll(async () => {
    await server?.close();
  });

  const plugin = async () => {
    const script = path.join(root, "plugin.cjs");
    await writeFile(script, `process.stdout.write(JSON.stringify({ apiVersion: "client.authentication.k8s.io/v1", kind: "ExecCredential", status: { token: "stale" } }));\n`);
    await chmod(script, 0o755);
    return ["exec:", "  apiVersion: client.authentication.k8s.io/v1", `  command: ${process.execPath}`, `  args: [${JSON.stringify(script)}]`, "  interactiveMode: Never"];
  };
  const cases: Array<[string, () => Promise<string[]>, RegExp]> = [
    ["an expired token", async () => ["token: expired-token"], /: a bearer token \(user\.token\), which may have expired or been revoked; .*; nothing was written$/m],
    ["an exec plugin's stale token", plugin, /: the credential of the exec plugin .*node, rejected again after the plugin was run anew; run `.*` by hand/],
    [
      "a client certificate the server does not trust",
      async () => {
        const pki = await createLocalPki(path.join(root, "pki"));
        return [`client-certificate: ${pki.admin.certFile}`, `client-key: ${pki.admin.keyFile}`];
      },
      /: the client certificate \(user\.client-certificate\), which may have expired or not be signed by a CA this cluster trusts/,
    ],
    ["no credentials at all", async () => [], /: no credentials were sent \(the context names no user, or the user has no token, certificate or exec plugin\)/],
  ];
  for (const [name, user, advice] of cases) {
    it(`${name}: generate, snapshot (and check) say the server rejected alice's credentials, and what to do`, async () => {
      const file = path.join(root, `kubeconfig-${name.replace(/\W+/g, "-")}`);
      const lines = await user();
      await writeFile(file, kubeconfigFor(server, { userName: "alice", context: "mine", user: lines }));
      await mkdir(path.join(root, "snap"), { recursive: true });
      const commands = [
        ["generate", "--kubeconfig", file, "--out", path.join(root, "out"), "--no-cache"],
        ["snapshot", "--kubeconfig", file, "--out", path.join(root, "snap")],
      ];
      // check type-checks the project first (seconds): once is enough to show it reads the cluster the same way.
      if (name === "an expired token") {
        commands.push(["check", "--kubeconfig", file, "--out", path.join(project, "generated"), "--project", path.join(project, "tsconfig.json"), "--no-cache"]);
      }
      for (const argv of commands) {
        const io = captureIo();
        expect(await main(argv, io), io.err).toBe(1);
        expect(io.err).toContain(`${server.url} answered 401 Unauthorized\nhint: the server rejected the credentials of user "alice" of kubeconfig ${file}, context "mine": `);
        expect(io.err).toMatch(advice);
        expect(io.err).not.toMatch(/server URL|may read discovery/);
      }
    });
  }
});

import { readFile, rename, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";
import { stringify } from "yaml";
import { loadKubeconfig } from "../../runtime/config/kubeconfig.js";
import { createTransport } from "../../runtime/transport/transport.js";
import type { ClusterConnection } from "../../runtime/config/types.js";
import { describeWithCluster } from "../support/cluster.js";
import { makeTempDir } from "../support/tmp.js";

/** Writes a one-context kubeconfig for the local cluster with the given user entry and loads it. */
async function connectAs(server: string, caFile: string, user: Record<string, unknown>, dir?: string): Promise<ClusterConnection> {
  const folder = dir ?? (await makeTempDir("auth-"));
  const file = path.join(folder, "kubeconfig");
  await writeFile(
    file,
    stringify({
      apiVersion: "v1",
      kind: "Config",
      "current-context": "e2e",
      clusters: [{ name: "local", cluster: { server, "certificate-authority": caFile } }],
      users: [{ name: "e2e-user", user }],
      contexts: [{ name: "e2e", context: { cluster: "local", user: "e2e-user" } }],
    }),
  );
  return loadKubeconfig({ kubeconfig: file, env: {} });
}

async function status(connection: ClusterConnection, requestPath = "/api/v1/namespaces?limit=1"): Promise<number> {
  const transport = createTransport(connection, { maxRetries: 0 });
  try {
    const response = await transport.send({ method: "GET", path: requestPath });
    await response.body.dump();
    return response.statusCode;
  } finally {
    await transport.close();
  }
}

/** A v1 or v1beta1 plugin that prints the given token and counts its runs. */
async function writePlugin(dir: string, token: string): Promise<string> {
  const script = path.join(dir, "plugin.cjs");
  await writeFile(
    script,
    `const fs = require("node:fs");
const count = __dirname + "/runs";
fs.writeFileSync(count, String((fs.existsSync(count) ? Number(fs.readFileSync(count, "utf8")) : 0) + 1));
const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);
process.stdout.write(JSON.stringify({ apiVersion: info.apiVersion, kind: "ExecCredential", status: { token: ${JSON.stringify(token)} } }));
`,
  );
  return script;
}

describeWithCluster("authentication against kube-apiserver", (cluster) => {
  const { server, caFile, admin, unprivileged } = cluster;

  it("uses a client certificate from files and from -data fields", async () => {
    expect(await status(await connectAs(server, caFile, { "client-certificate": admin.certFile, "client-key": admin.keyFile }))).toBe(200);
    const certData = (await readFile(admin.certFile)).toString("base64");
    const keyData = (await readFile(admin.keyFile)).toString("base64");
    expect(await status(await connectAs(server, caFile, { "client-certificate-data": certData, "client-key-data": keyData }))).toBe(200);
  });

  it("uses the cluster's own kubeconfig (admin certificate by relative or absolute path)", async () => {
    expect(await status(await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath, env: {} }))).toBe(200);
    expect(await status(await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath, context: cluster.contexts.adminToken, env: {} }))).toBe(200);
  });

  it("uses a bearer token; alice is forbidden and a wrong token is unauthorized", async () => {
    expect(await status(await connectAs(server, caFile, { token: admin.token }))).toBe(200);
    expect(await status(await connectAs(server, caFile, { token: unprivileged.token }))).toBe(403);
    expect(await status(await connectAs(server, caFile, { token: "definitely-not-a-token" }))).toBe(401);
  });

  it("re-reads a token file that is rotated between requests", async () => {
    const dir = await makeTempDir("token-file-");
    const tokenFile = path.join(dir, "token");
    await writeFile(tokenFile, unprivileged.token);
    const transport = createTransport(await connectAs(server, caFile, { tokenFile: "token" }, dir), { maxRetries: 0 });
    try {
      const first = await transport.send({ method: "GET", path: "/api/v1/namespaces?limit=1" });
      await first.body.dump();
      expect(first.statusCode).toBe(403);
      // Rotate the way the kubelet does: write elsewhere, then swap in atomically.
      await writeFile(path.join(dir, "token.next"), admin.token);
      await rename(path.join(dir, "token.next"), tokenFile);
      const second = await transport.send({ method: "GET", path: "/api/v1/namespaces?limit=1" });
      await second.body.dump();
      expect(second.statusCode).toBe(200);
    } finally {
      await transport.close();
    }
  });

  it("re-reads the token file after a 401 even when the rotation is invisible to stat", async () => {
    const dir = await makeTempDir("token-file-401-");
    const tokenFile = path.join(dir, "token");
    const fixedTime = new Date("2024-01-01T00:00:00Z");
    // Same length, same inode, same mtime: only the 401 can reveal that the content changed.
    await writeFile(tokenFile, "x".repeat(admin.token.length));
    await utimes(tokenFile, fixedTime, fixedTime);
    const transport = createTransport(await connectAs(server, caFile, { tokenFile }, dir), { maxRetries: 0 });
    try {
      const rejected = await transport.send({ method: "GET", path: "/api/v1/namespaces?limit=1" });
      await rejected.body.dump();
      expect(rejected.statusCode).toBe(401);
      await writeFile(tokenFile, admin.token);
      await utimes(tokenFile, fixedTime, fixedTime);
      const accepted = await transport.send({ method: "GET", path: "/api/v1/namespaces?limit=1" });
      await accepted.body.dump();
      expect(accepted.statusCode).toBe(200);
    } finally {
      await transport.close();
    }
  });

  for (const apiVersion of ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]) {
    it(`runs a ${apiVersion} exec plugin returning the admin token, once per credential`, async () => {
      const dir = await makeTempDir("exec-");
      const script = await writePlugin(dir, admin.token);
      const connection = await connectAs(server, caFile, {
        exec: { apiVersion, command: process.execPath, args: [script], interactiveMode: "Never", provideClusterInfo: true },
      });
      const transport = createTransport(connection, { maxRetries: 0 });
      try {
        for (let i = 0; i < 3; i++) {
          const response = await transport.send({ method: "GET", path: "/api/v1/namespaces?limit=1" });
          await response.body.dump();
          expect(response.statusCode).toBe(200);
        }
      } finally {
        await transport.close();
      }
      expect(await readFile(path.join(dir, "runs"), "utf8")).toBe("1");
    });
  }

  it("reruns an exec plugin once after a 401, then reports the 401", async () => {
    const dir = await makeTempDir("exec-401-");
    const script = await writePlugin(dir, "rejected-by-the-server");
    const connection = await connectAs(server, caFile, {
      exec: { apiVersion: "client.authentication.k8s.io/v1", command: process.execPath, args: [script], interactiveMode: "Never" },
    });
    const transport = createTransport(connection, { maxRetries: 0 });
    try {
      const response = await transport.send({ method: "GET", path: "/api/v1/namespaces?limit=1" });
      await response.body.dump();
      expect(response.statusCode).toBe(401);
    } finally {
      await transport.close();
    }
    expect(await readFile(path.join(dir, "runs"), "utf8")).toBe("2");
  });
});

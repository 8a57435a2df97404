import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { Secret } from "../../runtime/config/secret.js";
import type { ClusterConnection } from "../../runtime/config/types.js";
import { createTransport } from "../../runtime/transport/transport.js";
import { describeWithCluster } from "../support/cluster.js";
import { kubectlAvailable } from "../support/kubectl.js";
import { startConnectProxy } from "../unit/transport/servers.js";

const hasKubectl = await kubectlAvailable();
if (!hasKubectl && process.env.CI) throw new Error("kubectl is not on PATH; CI must provide it for the kubectl proxy test");

async function statusOf(connection: ClusterConnection, path: string): Promise<number> {
  const transport = createTransport(connection, { maxRetries: 0, timeoutMs: 10_000 });
  try {
    const response = await transport.send({ method: "GET", path });
    await response.body.dump();
    return response.statusCode;
  } finally {
    await transport.close();
  }
}

describeWithCluster("proxies", (cluster) => {
  it("tunnels through proxy-url (HTTP CONNECT) with TLS verified end to end", async () => {
    const proxy = await startConnectProxy();
    try {
      const connection: ClusterConnection = {
        server: cluster.server,
        tls: { insecureSkipVerify: false, ca: await readFile(cluster.caFile) },
        credentials: { type: "token", token: new Secret(cluster.admin.token) },
        namespace: "default",
        source: "e2e",
        proxyUrl: proxy.url,
      };
      expect(await statusOf(connection, "/api/v1/namespaces?limit=1")).toBe(200);
      expect(proxy.connects).toEqual([new URL(cluster.server).host]);
    } finally {
      await proxy.close();
    }
  });

  it.skipIf(!hasKubectl)("talks plain HTTP to kubectl proxy", async () => {
    const child = spawn("kubectl", ["proxy", "--port=0", "--kubeconfig", cluster.kubeconfigPath], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let output = "";
        const timer = setTimeout(() => reject(new Error(`kubectl proxy did not start: ${output}`)), 20_000);
        const onData = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /Starting to serve on [^\s]*:(\d+)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(Number(match[1]));
          }
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", onData);
        child.on("exit", (code) => reject(new Error(`kubectl proxy exited with ${code}: ${output}`)));
      });
      const connection: ClusterConnection = {
        server: `http://127.0.0.1:${port}`,
        tls: { insecureSkipVerify: false },
        credentials: { type: "none" },
        namespace: "default",
        source: "kubectl proxy",
      };
      expect(await statusOf(connection, "/api/v1/namespaces?limit=1")).toBe(200);
    } finally {
      child.kill();
    }
  });
});

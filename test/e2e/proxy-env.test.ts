import { writeFile } from "node:fs/promises";
import net from "node:net";
import { networkInterfaces } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { stringify } from "yaml";
import { connect, isNotFound, NetworkError } from "../../runtime/index.js";
import { defineResource } from "../../runtime/entries/plumbing.js";
import { describeWithCluster } from "../support/cluster.js";
import { makeTempDir } from "../support/tmp.js";
import { startConnectProxy } from "../unit/transport/servers.js";

/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment, as kubectl reads them, against the real API server
 * through a real HTTP CONNECT proxy on loopback. The server is addressed as `kubetyped.test` (a name in its
 * certificate that only the proxy resolves, so a request that bypasses the proxy cannot reach it) or by this
 * machine's non-loopback address through a relay (for CIDR rules: loopback is never proxied, as in Go).
 */
const namespaces = defineResource<{ metadata?: { name?: string } }>()({ group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false, verbs: ["list"] });
const pods = defineResource<{ metadata?: { name?: string } }>()({
  group: "",
  version: "v1",
  plural: "pods",
  kind: "Pod",
  namespaced: true,
  verbs: ["get"],
  subresources: { exec: { verbs: ["create", "get"], kind: "PodExecOptions" } },
});

const HOST = "kubetyped.test";

/** This machine's first non-loopback IPv4 address, if it has one. */
function externalAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry !== undefined && entry.family === "IPv4" && !entry.internal)?.address;
}

describeWithCluster("proxies from the environment (HTTPS_PROXY, HTTP_PROXY, NO_PROXY)", (cluster) => {
  const port = new URL(cluster.server).port;
  let proxy: Awaited<ReturnType<typeof startConnectProxy>>;
  let dir: string;

  /** A kubeconfig for the cluster at `server` (admin token), with `extra` cluster fields; its path. */
  async function kubeconfigFor(name: string, server: string, extra: Record<string, string> = {}): Promise<string> {
    const file = path.join(dir, `${name}.kubeconfig`);
    const document = {
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "c", cluster: { server, "certificate-authority": cluster.caFile, ...extra } }],
      users: [{ name: "u", user: { token: cluster.admin.token } }],
      contexts: [{ name: "x", context: { cluster: "c", user: "u", namespace: "default" } }],
      "current-context": "x",
    };
    await writeFile(file, stringify(document));
    return file;
  }

  /** Lists namespaces with `env` as the environment; the error when it fails. */
  async function listWith(kubeconfig: string, env: NodeJS.ProcessEnv): Promise<unknown> {
    const kube = await connect({ kubeconfig, env });
    try {
      return (await kube.resource(namespaces).list({ limit: 1 })).kind;
    } catch (error) {
      return error;
    } finally {
      await kube.close();
    }
  }

  beforeAll(async () => {
    dir = await makeTempDir("proxy-env-");
    proxy = await startConnectProxy({ hosts: { [HOST]: "127.0.0.1" } });
  });
  afterAll(async () => {
    await proxy?.close();
  });

  it("HTTPS_PROXY and https_proxy carry requests to an https server through the proxy, TLS verified end to end", async () => {
    const kubeconfig = await kubeconfigFor("by-name", `https://${HOST}:${port}`);
    for (const variable of ["HTTPS_PROXY", "https_proxy"]) {
      proxy.connects.length = 0;
      expect(await listWith(kubeconfig, { [variable]: proxy.url }), variable).toBe("NamespaceList");
      expect(proxy.connects, variable).toEqual([`${HOST}:${port}`]);
    }
  });

  it("HTTP_PROXY is not used for an https server, and NO_PROXY by name, leading dot, *, or matching port bypasses the proxy", async () => {
    const kubeconfig = await kubeconfigFor("by-name", `https://${HOST}:${port}`);
    const bypassing: NodeJS.ProcessEnv[] = [
      { HTTP_PROXY: proxy.url },
      { HTTPS_PROXY: proxy.url, NO_PROXY: HOST },
      { HTTPS_PROXY: proxy.url, no_proxy: ".test" },
      { HTTPS_PROXY: proxy.url, NO_PROXY: "example.org, *" },
      { HTTPS_PROXY: proxy.url, NO_PROXY: `${HOST}:${port}` },
    ];
    for (const env of bypassing) {
      proxy.connects.length = 0;
      // Straight to a name only the proxy can resolve: the request fails in DNS, and the proxy saw nothing.
      const outcome = await listWith(kubeconfig, env);
      expect(outcome, JSON.stringify(env)).toBeInstanceOf(NetworkError);
      expect((outcome as Error).message).not.toContain("through proxy");
      expect(proxy.connects, JSON.stringify(env)).toEqual([]);
    }
    // A NO_PROXY entry for another port does not match.
    proxy.connects.length = 0;
    expect(await listWith(kubeconfig, { HTTPS_PROXY: proxy.url, NO_PROXY: `${HOST}:1` })).toBe("NamespaceList");
    expect(proxy.connects).toEqual([`${HOST}:${port}`]);
  });

  it("a kubeconfig's proxy-url wins over HTTPS_PROXY", async () => {
    const kubeconfig = await kubeconfigFor("proxy-url", `https://${HOST}:${port}`, { "proxy-url": proxy.url });
    proxy.connects.length = 0;
    // The environment's proxy does not exist: only proxy-url can make this work.
    expect(await listWith(kubeconfig, { HTTPS_PROXY: "http://127.0.0.1:9" })).toBe("NamespaceList");
    expect(proxy.connects).toEqual([`${HOST}:${port}`]);
  });

  it("WebSocket upgrades (exec) go through the environment's proxy too", async () => {
    const kube = await connect({ kubeconfig: await kubeconfigFor("by-name", `https://${HOST}:${port}`), env: { HTTPS_PROXY: proxy.url } });
    try {
      proxy.connects.length = 0;
      const error = await kube.resource(pods).exec("no-such-pod", { command: ["ls"], namespace: "default" }).catch((caught: unknown) => caught);
      // The server's own answer to the upgrade, which only the tunnel could reach.
      expect(error).toSatisfy(isNotFound);
      expect(proxy.connects).toEqual([`${HOST}:${port}`]);
    } finally {
      await kube.close();
    }
  });

  const address = externalAddress();
  it.runIf(address !== undefined)("NO_PROXY CIDR ranges bypass the proxy for a server addressed by IP (this machine's, through a relay)", async () => {
    let relayed = 0;
    const relay = net.createServer((client) => {
      relayed++;
      const upstream = net.connect(Number(port), "127.0.0.1");
      client.pipe(upstream).pipe(client);
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, address, resolve));
    const relayPort = (relay.address() as net.AddressInfo).port;
    try {
      // The certificate names 127.0.0.1 and kubetyped.test, not this address: tls-server-name says which to verify.
      const kubeconfig = await kubeconfigFor("by-ip", `https://${address}:${relayPort}`, { "tls-server-name": HOST });
      proxy.connects.length = 0;
      expect(await listWith(kubeconfig, { HTTPS_PROXY: proxy.url, NO_PROXY: "10.0.0.0/8" })).toBe("NamespaceList");
      expect(proxy.connects).toEqual([`${address}:${relayPort}`]);
      proxy.connects.length = 0;
      const prefix = `${address!.split(".").slice(0, 2).join(".")}.0.0/16`;
      expect(await listWith(kubeconfig, { HTTPS_PROXY: proxy.url, NO_PROXY: `10.0.0.0/8,${prefix}` })).toBe("NamespaceList");
      expect(proxy.connects).toEqual([]);
      expect(relayed).toBe(2);
    } finally {
      await new Promise((resolve) => relay.close(resolve));
    }
  });
});

import path from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { loadInClusterConfig } from "../../../runtime/config/in-cluster.js";
import { resolveConnection } from "../../../runtime/config/index.js";
import { ConfigError } from "../../../runtime/config/errors.js";
import { FAKE_CA, overlappingKubeconfigs, tempFiles } from "./fixtures.js";

const serviceAccount = () => tempFiles({ token: "sa-token-value\n", "ca.crt": FAKE_CA, namespace: "apps\n" });

describe("loadInClusterConfig", () => {
  it("builds the server from the service env, keeps the token as a file reference", async () => {
    const dir = await serviceAccount();
    const connection = await loadInClusterConfig({ env: { KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBERNETES_SERVICE_PORT: "443" }, serviceAccountDir: dir });
    expect(connection.server).toBe("https://10.0.0.1:443");
    expect(connection.credentials).toEqual({ type: "tokenFile", path: path.join(dir, "token") });
    expect(connection.tls.ca?.toString()).toBe(FAKE_CA);
    expect(connection.namespace).toBe("apps");
    expect(inspect(connection, { depth: 10 })).not.toContain("sa-token-value");
  });

  it("brackets IPv6 hosts and honours KUBETYPED_SERVICEACCOUNT_DIR", async () => {
    const dir = await serviceAccount();
    const connection = await loadInClusterConfig({ env: { KUBERNETES_SERVICE_HOST: "fd00::1", KUBERNETES_SERVICE_PORT: "6443", KUBETYPED_SERVICEACCOUNT_DIR: dir } });
    expect(connection.server).toBe("https://[fd00::1]:6443");
    expect(new URL(connection.server).hostname).toBe("[fd00::1]");
  });

  it("defaults the namespace and explains missing pieces", async () => {
    const dir = await tempFiles({ token: "t", "ca.crt": FAKE_CA });
    const env = { KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBERNETES_SERVICE_PORT: "443" };
    expect((await loadInClusterConfig({ env, serviceAccountDir: dir })).namespace).toBe("default");
    await expect(loadInClusterConfig({ env: {}, serviceAccountDir: dir })).rejects.toThrow(/KUBERNETES_SERVICE_HOST/);
    const empty = await tempFiles({});
    await expect(loadInClusterConfig({ env, serviceAccountDir: empty })).rejects.toMatchObject({ file: path.join(empty, "token") });
  });
});

describe("resolveConnection", () => {
  const kubeconfigDir = () => tempFiles(overlappingKubeconfigs());

  it("prefers KUBECONFIG over in-cluster, and in-cluster when no kubeconfig exists", async () => {
    const dir = await kubeconfigDir();
    const sa = await serviceAccount();
    const inClusterEnv = { KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBERNETES_SERVICE_PORT: "443", KUBETYPED_SERVICEACCOUNT_DIR: sa };
    const fromKubeconfig = await resolveConnection({ env: { ...inClusterEnv, KUBECONFIG: path.join(dir, "first/config") }, homeDir: sa });
    expect(fromKubeconfig.server).toBe("https://first.example:6443");
    const fromPod = await resolveConnection({ env: inClusterEnv, homeDir: sa });
    expect(fromPod.source).toMatch(/^in-cluster/);
    const forced = await resolveConnection({ env: { ...inClusterEnv, KUBECONFIG: path.join(dir, "first/config") }, inCluster: true });
    expect(forced.server).toBe("https://10.0.0.1:443");
  });

  it("uses ~/.kube/config when present and explains when nothing is configured", async () => {
    const files = overlappingKubeconfigs();
    const home = await tempFiles({ ".kube/config": files["first/config"], ".kube/certs/ca.crt": FAKE_CA });
    expect((await resolveConnection({ env: { KUBERNETES_SERVICE_HOST: "10.0.0.1" }, homeDir: home })).context).toBe("dev");
    const emptyHome = await tempFiles({});
    const error = await resolveConnection({ env: {}, homeDir: emptyHome }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe("no cluster configured: set KUBECONFIG, use --context, or start a local one with `npx kubetyped local-cluster up`");
  });
});

import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, symlink } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer, type AddressInfo } from "node:net";
import { connect } from "node:tls";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runLocalClusterCommand } from "../../local-cluster/cli.js";
import { startLocalCluster } from "../../local-cluster/cluster.js";
import { installCrds, uninstallCrds } from "../../local-cluster/crds.js";
import { freeLoopbackPorts, probe } from "../../local-cluster/http.js";
import { isProcessAlive } from "../../local-cluster/processes.js";
import { NEWEST_RELEASE, OLDEST_RELEASE, releaseCacheDir } from "../../local-cluster/releases.js";
import { kubetypedCacheDir } from "../../local-cluster/paths.js";
import { clients, namespacedCrd } from "../support/cluster-ops.js";
import { describeWithCluster, requireCluster } from "../support/cluster.js";
import { makeTempDir } from "../support/tmp.js";

const execFileAsync = promisify(execFile);

describeWithCluster("local control plane (shared by the run)", (cluster) => {
  const secretsUrl = `${cluster.server}/api/v1/namespaces/kube-system/secrets`;

  it("answers /version with the release it was built as, over TLS verified against its CA", async () => {
    const response = await probe(`${cluster.server}/version`, { caFile: cluster.caFile, token: cluster.admin.token });
    expect(response.status).toBe(200);
    // KUBEBUILDER_ASSETS brings a version of the user's choosing; otherwise the newest release is built and run.
    const expected = process.env.KUBEBUILDER_ASSETS ? cluster.version : NEWEST_RELEASE.kubernetes;
    expect(JSON.parse(response.body)).toMatchObject({ gitVersion: expected, major: "1", minor: expected.split(".")[1] });
    expect(cluster.version).toBe(expected);
    expect(requireCluster("oldestCluster").version).toBe(OLDEST_RELEASE.kubernetes);
  });

  it("is not trusted without its CA", async () => {
    await expect(probe(`${cluster.server}/version`, {})).rejects.toThrow(/self[- ]signed|unable to (get|verify)/i);
  });

  it("accepts the admin token and the admin client certificate, and rejects an unknown token", async () => {
    expect((await probe(secretsUrl, { caFile: cluster.caFile, token: cluster.admin.token })).status).toBe(200);
    const byCert = await probe(secretsUrl, { caFile: cluster.caFile, certFile: cluster.admin.certFile, keyFile: cluster.admin.keyFile });
    expect(byCert.status).toBe(200);
    expect((await probe(secretsUrl, { caFile: cluster.caFile, token: "not-a-known-token" })).status).toBe(401);
  });

  it("forbids alice's token and bob's certificate from listing secrets", async () => {
    const alice = await probe(secretsUrl, { caFile: cluster.caFile, token: cluster.unprivileged.token });
    expect(alice.status).toBe(403);
    expect(JSON.parse(alice.body).message).toContain(`User "${cluster.unprivileged.user}"`);
    const bob = await probe(secretsUrl, {
      caFile: cluster.caFile,
      certFile: cluster.unprivileged.certFile,
      keyFile: cluster.unprivileged.keyFile,
    });
    expect(bob.status).toBe(403);
    expect(JSON.parse(bob.body).message).toContain(`User "${cluster.unprivileged.certUser}"`);
  });

  it("stores pods without a controller-manager (ServiceAccount admission is off)", async () => {
    const name = `pod-${Date.now().toString(36)}`;
    const admin = { caFile: cluster.caFile, token: cluster.admin.token };
    const created = await probe(`${cluster.server}/api/v1/namespaces/default/pods`, admin, {
      method: "POST",
      body: { apiVersion: "v1", kind: "Pod", metadata: { name }, spec: { containers: [{ name: "c", image: "busybox" }] } },
    });
    expect(created.status, created.body).toBe(201);
    const deleted = await probe(`${cluster.server}/api/v1/namespaces/default/pods/${name}`, admin, { method: "DELETE" });
    expect(deleted.status).toBe(200);
  });

  it("serves a certificate valid for its listed names and not for others", async () => {
    const ca = readFileSync(cluster.caFile);
    const port = Number(new URL(cluster.server).port);
    for (const servername of cluster.tls.serverNames) {
      await expect(tlsHandshake(port, ca, servername)).resolves.toBe("ok");
    }
    await expect(tlsHandshake(port, ca, cluster.tls.nameNotInCertificate)).rejects.toThrow(/altnames|does not match/i);
  });

  it("writes a kubeconfig that kubectl accepts", async (context) => {
    const kubectl = await findKubectl();
    // As the kubeconfig cross-check does: CI must provide kubectl, elsewhere its absence only skips this check.
    if (!kubectl && process.env.CI) throw new Error("kubectl is not on the PATH; CI must provide it to check the kubeconfig the cluster writes");
    if (!kubectl) context.skip("kubectl is not on the PATH");
    const { stdout } = await execFileAsync(kubectl!, ["--kubeconfig", cluster.kubeconfigPath, "get", "ns", "-o", "name"]);
    expect(stdout.split("\n")).toContain("namespace/default");
    const forbidden = execFileAsync(kubectl!, ["--kubeconfig", cluster.kubeconfigPath, "--context", cluster.contexts.aliceToken, "get", "secrets"]);
    await expect(forbidden).rejects.toMatchObject({ stderr: expect.stringContaining("forbidden") });
  });

  it("is what requireCluster() returns", () => {
    expect(requireCluster().server).toBe(cluster.server);
  });

  it("installCrds serves and publishes a CRD; uninstallCrds returns once neither discovery nor /openapi/v2 lists it", { timeout: 90_000 }, async () => {
    const group = `gone${Date.now().toString(36)}.kubetyped.dev`;
    const crd = namespacedCrd(group, { plural: "gizmos", kind: "Gizmo" }, { type: "object", "x-kubernetes-preserve-unknown-fields": true });
    const { direct: kube, close } = await clients(cluster, undefined, "default");
    type Definitions = Record<string, { "x-kubernetes-group-version-kind"?: Array<{ group: string }> }>;
    const published = async () => {
      const { definitions } = await kube.requestJson<{ definitions: Definitions }>({ method: "GET", path: "/openapi/v2" });
      return Object.values(definitions).some((definition) => (definition["x-kubernetes-group-version-kind"] ?? []).some((gvk) => gvk.group === group));
    };
    const discovered = async () => (await kube.requestJson<{ groups: Array<{ name: string }> }>({ method: "GET", path: "/apis" })).groups.some((served) => served.name === group);
    try {
      await installCrds(kube, [crd]);
      expect([await discovered(), await published()]).toEqual([true, true]);
      // An object in it: the server's finalizer deletes it before the CRD goes.
      await kube.requestJson({ method: "POST", path: `/apis/${group}/v1/namespaces/default/gizmos`, body: { apiVersion: `${group}/v1`, kind: "Gizmo", metadata: { name: "g" } } });
      await uninstallCrds(kube, [crd]);
      expect([await discovered(), await published()]).toEqual([false, false]);
      await expect(kube.requestJson({ method: "GET", path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos.${group}` })).rejects.toMatchObject({ code: 404 });
    } finally {
      await close();
    }
  });
});

describeWithCluster("startLocalCluster / stop", () => {
  it("starts a second cluster and stops exactly its processes, removing its folder", { timeout: 120_000 }, async () => {
    const second = await startLocalCluster();
    try {
      expect(second.server).not.toBe(requireCluster().server);
      expect(isProcessAlive(second.etcd.pid)).toBe(true);
      expect(isProcessAlive(second.apiserver.pid)).toBe(true);
      const ready = await probe(`${second.server}/readyz`, { caFile: second.caFile, token: second.admin.token });
      expect(ready.status).toBe(200);
    } finally {
      await second.stop();
    }
    expect(isProcessAlive(second.etcd.pid)).toBe(false);
    expect(isProcessAlive(second.apiserver.pid)).toBe(false);
    expect(existsSync(second.dir)).toBe(false);
    // Nothing listens where it did.
    await expect(probe(`${second.server}/readyz`)).rejects.toThrow(/ECONNREFUSED/);
    // The run's cluster is untouched.
    expect(isProcessAlive(requireCluster().apiserver.pid)).toBe(true);
    await second.stop(); // idempotent
  });

  it("starts on other ports when the one it chose is taken before kube-apiserver binds it", { timeout: 180_000 }, async () => {
    const squatter = createServer();
    await new Promise<void>((listening) => squatter.listen(0, "127.0.0.1", listening));
    const busy = (squatter.address() as AddressInfo).port;
    const lines: string[] = [];
    let choices = 0;
    const cluster = await startLocalCluster({
      log: (line) => lines.push(line),
      choosePorts: async (count) => (choices++ === 0 ? [...(await freeLoopbackPorts(count - 1)), busy] : freeLoopbackPorts(count)),
    }).finally(() => squatter.close());
    try {
      expect(choices).toBe(2);
      expect(lines).toContain("a port was taken meanwhile; retrying on fresh ports");
      expect(cluster.server).not.toBe(`https://127.0.0.1:${busy}`);
      expect((await probe(`${cluster.server}/readyz`, { caFile: cluster.caFile, token: cluster.admin.token })).status).toBe(200);
    } finally {
      await cluster.stop();
    }
  });
});

describeWithCluster("kubetyped local-cluster up | env | status | down", () => {
  it("starts a cluster that outlives the command, refuses a second up, and stops it", { timeout: 120_000 }, async () => {
    const cacheDir = await makeTempDir("cli-cache");
    const out: string[] = [];
    const err: string[] = [];
    // The CLI as a user runs it, a process of its own: what `up` starts must outlive it, and be reaped after `down`.
    const cli = fileURLToPath(new URL("../../bin/kubetyped.js", import.meta.url));
    const run = async (command: string, ...rest: string[]) => {
      const outcome = await execFileAsync(process.execPath, [cli, "local-cluster", command, ...rest], { env: { ...process.env, KUBETYPED_CACHE_DIR: cacheDir } }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      out.splice(0, out.length, outcome.stdout);
      err.splice(0, err.length, outcome.stderr);
      return outcome.code;
    };
    // The oldest release's build, where `up --version 1.20` looks for it in this test's cache.
    const cachedOldest = releaseCacheDir(cacheDir, OLDEST_RELEASE);
    await mkdir(dirname(cachedOldest), { recursive: true });
    await symlink(releaseCacheDir(kubetypedCacheDir(), OLDEST_RELEASE), cachedOldest);
    expect(await run("up", "--version", "1.19")).toBe(2);
    expect(err.join("")).toContain(`no control plane "1.19" can be built here; choose one of ${NEWEST_RELEASE.minor} (${NEWEST_RELEASE.kubernetes})`);

    const before = await controlPlaneProcesses();
    expect(await run("up", "--version", "1.20"), err.join("")).toBe(0);
    const exportLine = out.join("").split("\n").find((line) => line.startsWith("export KUBECONFIG="));
    expect(exportLine).toBe(`export KUBECONFIG=${cacheDir}/local-cluster/kubeconfig.yaml`);
    const state = JSON.parse(readFileSync(`${cacheDir}/local-cluster/state.json`, "utf8")) as { pids: number[]; info: { server: string; caFile: string; admin: { token: string } } };
    try {
      expect(state.pids.every(isProcessAlive)).toBe(true);
      expect(await run("up")).toBe(1);
      expect(err.join("")).toMatch(/already running.*local-cluster down/);

      expect(await run("env")).toBe(0);
      expect(out.join("").trim()).toBe(exportLine);
      expect(await run("status")).toBe(0);
      expect(out.join("")).toContain("ready");
      const version = await probe(`${state.info.server}/version`, { caFile: state.info.caFile, token: state.info.admin.token });
      expect(JSON.parse(version.body).gitVersion).toBe(OLDEST_RELEASE.kubernetes);
    } finally {
      expect(await run("down")).toBe(0);
    }
    expect(state.pids.some(isProcessAlive)).toBe(false);
    await expect(probe(`${state.info.server}/version`)).rejects.toThrow(/ECONNREFUSED/);
    // Nothing of it is left, defunct or alive, though `up` returned long ago and this VM's init reaps no orphans.
    expect((await controlPlaneProcesses()).filter((line) => !before.includes(line))).toEqual([]);
    expect(existsSync(`${cacheDir}/local-cluster`)).toBe(false);
    expect(await run("env")).toBe(1);
    expect(err.join("")).toContain("local-cluster up");
  });
});

describe("kubetyped local-cluster --help", () => {
  it("lists the commands, and rejects an unknown one", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), env: process.env };
    expect(await runLocalClusterCommand(["--help"], io)).toBe(0);
    for (const command of ["up", "down", "env", "status"]) expect(out.join("")).toContain(`  ${command} `);
    expect(await runLocalClusterCommand(["start"], io)).toBe(2);
    expect(err.join("")).toContain('unknown command "start"');
  });
});

function tlsHandshake(port: number, ca: Buffer, servername: string): Promise<"ok"> {
  return new Promise((resolveHandshake, reject) => {
    const socket = connect({ host: "127.0.0.1", port, ca, servername, rejectUnauthorized: true }, () => {
      socket.end();
      resolveHandshake("ok");
    });
    socket.on("error", reject);
  });
}

/** `pid state command` of every etcd and kube-apiserver process on the machine, zombies included. */
async function controlPlaneProcesses(): Promise<string[]> {
  const { stdout } = await execFileAsync("ps", ["-eo", "pid=,stat=,comm="]);
  return stdout
    .split("\n")
    .map((line) => line.trim().replace(/\s+/g, " "))
    .filter((line) => /^\d+ \S+ (etcd|kube-apiserver)$/.test(line));
}

async function findKubectl(): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync("sh", ["-c", "command -v kubectl"]);
    return stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

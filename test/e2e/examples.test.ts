import { execFile, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { copyFile, mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { main, type CliIo } from "../../generator/cli/main.js";
import { clientFromConnection, type KubeClient } from "../../runtime/index.js";
import { condition, deleted, waitFor } from "../../runtime/entries/controller.js";
import { defineResource, loadKubeconfig } from "../../runtime/entries/plumbing.js";
import { installCrds, widgetCrd } from "../../local-cluster/crds.js";
import { createLocalPki } from "../../local-cluster/pki.js";
import { describeWithCluster } from "../support/cluster.js";
import { createNamespace, leases } from "../support/cluster-ops.js";
import { POD, startKubeletProtocolServer, type KubeletProtocolServer } from "../support/kubelet-protocol-server.js";
import { makeTempDir } from "../support/tmp.js";

/**
 * Every program in examples/ compiles under strict against modules freshly generated from the local
 * control plane, in a temp folder laid out like the repository (examples/ beside generated/), importing
 * `kubetyped/runtime` by its package name (the built dist/). Those the control plane can serve run on it;
 * exec and logs need a kubelet, so they run against the kubelet protocol server of test/support instead.
 * quickstart.ts needs the demo's Widget CRD: `npm start` (test/e2e/readme.test.ts) compiles and runs it.
 */
const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const examplesDir = join(root, "examples");
const EXAMPLES = ["apply-deployment", "controller", "exec-pod", "list-pods", "operator", "read-logs", "watch-informer"];

const configMaps = defineResource<{
  metadata?: { name?: string; labels?: Record<string, string>; ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[] };
  data?: Record<string, string>;
}>()({
  group: "",
  version: "v1",
  plural: "configmaps",
  kind: "ConfigMap",
  namespaced: true,
  verbs: ["create", "get", "list", "watch", "delete"],
});
const pods = defineResource<{ metadata?: { name?: string; labels?: Record<string, string> }; spec?: { containers: { name: string; image: string }[] } }>()({
  group: "",
  version: "v1",
  plural: "pods",
  kind: "Pod",
  namespaced: true,
  verbs: ["create"],
});

interface Condition {
  type: string;
  status: string;
  reason?: string;
  observedGeneration?: number;
}
interface Widget {
  metadata?: { name?: string; uid?: string; generation?: number; finalizers?: string[] };
  spec?: { size: "small" | "medium" | "large" };
  status?: { observedGeneration?: number; conditions?: Condition[] };
}
const widgets = defineResource<Widget>()({
  group: "demo.kubetyped.dev",
  version: "v1alpha1",
  plural: "widgets",
  kind: "Widget",
  namespaced: true,
  verbs: ["create", "delete", "get", "list", "patch", "watch"],
});
const eventsV1 = defineResource<{ regarding?: { name?: string }; reason?: string; reportingController?: string }>()({
  group: "events.k8s.io",
  version: "v1",
  plural: "events",
  kind: "Event",
  namespaced: true,
  verbs: ["list"],
});

function captureIo(): CliIo & { out: string; err: string } {
  const io = { out: "", err: "", stdout: (text: string) => void (io.out += text), stderr: (text: string) => void (io.err += text), env: {}, stderrIsTty: false };
  return io;
}

/** Lays out `work/` like a user project: package.json (ESM), node_modules/kubetyped → this repo, strict tsconfig. */
async function prepareProject(work: string): Promise<void> {
  await mkdir(join(work, "examples"), { recursive: true });
  await mkdir(join(work, "node_modules"), { recursive: true });
  // Resolved through the package's exports, as an installed package is; its own deps resolve from the repo.
  await symlink(root, join(work, "node_modules", "kubetyped"), "dir");
  await symlink(join(root, "node_modules", "@types"), join(work, "node_modules", "@types"), "dir");
  await writeFile(join(work, "package.json"), JSON.stringify({ name: "examples-check", private: true, type: "module" }));
  await writeFile(
    join(work, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noUncheckedIndexedAccess: true,
        skipLibCheck: true,
        types: ["node"],
        outDir: "dist",
        rootDir: ".",
      },
      include: ["examples", "generated"],
    }),
  );
  for (const name of await readdir(examplesDir)) {
    if (name.endsWith(".ts") && name !== "quickstart.ts") await copyFile(join(examplesDir, name), join(work, "examples", name));
  }
}

/** A kubeconfig listed first in KUBECONFIG: a context in `namespace`, same cluster and user as the cluster's current one. */
async function namespacedKubeconfig(clusterKubeconfig: string, namespace: string, file: string): Promise<string> {
  const config = parse(await readFile(clusterKubeconfig, "utf8")) as {
    "current-context": string;
    contexts: { name: string; context: { cluster: string; user: string } }[];
  };
  const current = config.contexts.find((entry) => entry.name === config["current-context"])!.context;
  await writeFile(
    file,
    stringify({ apiVersion: "v1", kind: "Config", "current-context": "examples", contexts: [{ name: "examples", context: { ...current, namespace } }] }),
  );
  return `${file}:${clusterKubeconfig}`;
}

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
}

function start(script: string, args: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const waitFor = async (pattern: RegExp, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(stdout)) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`${script}: no ${pattern} in stdout (exit ${child.exitCode}):\n${stdout}\nstderr:\n${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { child, stdout: () => stdout, stderr: () => stderr, waitFor };
}

async function runExample(work: string, name: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const script = join(work, "dist", "examples", `${name}.js`);
  try {
    const { stdout } = await run(process.execPath, [script, ...args], { env: { ...process.env, ...env }, timeout: 60_000 });
    return stdout;
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${name} failed: ${failure.message}\nstdout:\n${failure.stdout}\nstderr:\n${failure.stderr}`);
  }
}

describe("examples/", () => {
  it("holds the programs the README promises, each with a header comment saying what it shows", async () => {
    const names = (await readdir(examplesDir)).filter((name) => name.endsWith(".ts")).map((name) => name.slice(0, -3));
    expect(names.sort()).toEqual([...EXAMPLES, "quickstart"].sort());
    for (const name of names) expect(await readFile(join(examplesDir, `${name}.ts`), "utf8")).toMatch(/^\/\/ \S/);
  });
});

describeWithCluster("examples/ against the local control plane", (cluster) => {
  let work: string;
  let kube: KubeClient;
  let namespace: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    const runtimeEntry = join(root, "dist", "runtime", "index.js");
    if (!existsSync(runtimeEntry)) throw new Error(`${runtimeEntry} is missing: run the suite with npm test, which builds first (or npm run build)`);
    work = await makeTempDir("examples-");
    await prepareProject(work);
    kube = clientFromConnection(await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath }));
    await installCrds(kube, [widgetCrd]); // operator.ts works on Widgets
    const io = captureIo();
    const groups = "core/v1,apps/v1,demo.kubetyped.dev";
    const code = await main(["generate", "--kubeconfig", cluster.kubeconfigPath, "--out", join(work, "generated"), "--groups", groups, "--no-cache", "--quiet"], io);
    if (code !== 0) throw new Error(`generate failed (${code}): ${io.err}`);
    namespace = `examples-${Date.now().toString(36)}`;
    await createNamespace(kube, namespace);
    env = { KUBECONFIG: await namespacedKubeconfig(cluster.kubeconfigPath, namespace, join(work, "kubeconfig-examples.yaml")) };
  });
  afterAll(async () => {
    await kube?.close();
  });

  it("every example compiles under strict (and noUncheckedIndexedAccess) against the generated modules", async () => {
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const compiled = await run(process.execPath, [tsc, "-p", join(work, "tsconfig.json")], { cwd: work }).then(
      () => "",
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(compiled).toBe("");
    for (const name of EXAMPLES) expect(existsSync(join(work, "dist", "examples", `${name}.js`)), name).toBe(true);
  }, 120_000);

  it("list-pods lists the namespace's pods and selects with labels() and fields()", async () => {
    for (const [name, app] of [["web-1", "web"], ["db-1", "db"]] as const) {
      await kube.resource(pods).create({ metadata: { name, labels: { app } }, spec: { containers: [{ name: "c", image: "busybox" }] } }, { namespace });
    }
    const stdout = await runExample(work, "list-pods", ["web"], env);
    expect(stdout).toContain(`pods in namespace ${namespace}:`);
    // No scheduler or kubelet here: the pods stay Pending and unscheduled.
    expect(stdout).toMatch(/^db-1 +Pending +<unscheduled>$/m);
    expect(stdout).toMatch(/^web-1 +Pending +<unscheduled>$/m);
    expect(stdout).toContain("pods with app=web that are not Running: web-1\n");
  });

  it("watch-informer sees its own create, update and delete", async () => {
    const stdout = await runExample(work, "watch-informer", [], env);
    expect(stdout.split("\n")).toEqual([
      `synced: 0 ConfigMap(s) labelled example=informer in ${namespace}`,
      'added kubetyped-informer-example {"step":"1"}',
      'updated kubetyped-informer-example {"step":"1"} -> {"step":"2"}',
      "deleted kubetyped-informer-example",
      "store now holds no kubetyped-informer-example",
      "",
    ]);
  });

  it("apply-deployment applies, scales through deployments/scale, and deletes", async () => {
    const kept = await runExample(work, "apply-deployment", ["--keep"], env);
    expect(kept).toMatch(/^applied deployment kubetyped-example-web \(generation 1, replicas 1\)$/m);
    expect(kept).toContain("scaled kubetyped-example-web to 3 replicas\n");
    expect(kept).toContain("deployment kubetyped-example-web now wants 3 replicas\n");
    expect(kept).not.toContain("deleted");
    // Applying again with force takes the replicas field back from the scale's manager.
    const again = await runExample(work, "apply-deployment", [], env);
    expect(again).toMatch(/^applied deployment kubetyped-example-web \(generation 3, replicas 1\)$/m);
    expect(again).toContain("deleted deployment kubetyped-example-web\n");
  });

  it("controller reconciles labelled ConfigMaps until SIGTERM, then stops cleanly", async () => {
    const controller = start(join(work, "dist", "examples", "controller.js"), [], env);
    try {
      await controller.waitFor(/^watching ConfigMaps labelled example\.kubetyped\.dev\/greet in \S+ \(0 now\)$/m);
      await kube.resource(configMaps).create({ metadata: { name: "greet-me", labels: { "example.kubetyped.dev/greet": "world" } } }, { namespace });
      await kube.resource(configMaps).create({ metadata: { name: "ignore-me" } }, { namespace });
      await controller.waitFor(new RegExp(`^reconciled ${namespace}/greet-me: greeting="hello, world"$`, "m"));
      expect((await kube.resource(configMaps).get("greet-me", { namespace })).data).toEqual({ greeting: "hello, world" });
      expect((await kube.resource(configMaps).get("ignore-me", { namespace })).data).toBeUndefined();
      controller.child.kill("SIGTERM");
      const [code] = await once(controller.child, "exit");
      expect(code, controller.stderr()).toBe(0);
      expect(controller.stdout()).toMatch(/stopping\nstopped\n$/);
      // The update the controller's own apply caused was reconciled to no change: one line, not two.
      expect(controller.stdout().match(/^reconciled /gm)).toHaveLength(1);
    } finally {
      if (controller.child.exitCode === null) controller.child.kill("SIGKILL");
    }
  });

  it("operator: two leader-elected copies; a Widget gets its ConfigMap, a Ready condition and events; deletion waits for cleanup; SIGTERM hands over", { timeout: 120_000 }, async () => {
    const script = join(work, "dist", "examples", "operator.js");
    const first = start(script, [], { ...env, POD_NAME: "operator-a" });
    let second: Running | undefined;
    const widgetClient = kube.resource(widgets);
    const cms = kube.resource(configMaps);
    try {
      await first.waitFor(/^leading as operator-a$/m);
      second = start(script, [], { ...env, POD_NAME: "operator-b" });
      await second.waitFor(/^operator-b is a candidate for lease widget-operator in \S+$/m);

      await widgetClient.create({ metadata: { name: "gizmo" }, spec: { size: "medium" } }, { namespace });
      const ready = await waitFor(widgetClient, "gizmo", condition("Ready"), { namespace, timeoutMs: 30_000 });
      expect(ready?.metadata?.finalizers).toEqual(["demo.kubetyped.dev/cleanup"]);
      expect(ready?.status?.conditions?.[0]).toMatchObject({ type: "Ready", status: "True", reason: "ConfigMapApplied", observedGeneration: 1 });
      const owned = await cms.get("widget-gizmo", { namespace });
      expect(owned.data).toEqual({ size: "medium" });
      expect(owned.metadata?.ownerReferences).toEqual([{ apiVersion: "demo.kubetyped.dev/v1alpha1", kind: "Widget", name: "gizmo", uid: ready?.metadata?.uid, controller: true }]);

      // A new spec is a new generation: Ready of generation 1 no longer counts until the operator has caught up.
      await widgetClient.patch("gizmo", { spec: { size: "large" } }, { namespace });
      expect((await waitFor(widgetClient, "gizmo", condition("Ready"), { namespace, timeoutMs: 30_000 }))?.status?.observedGeneration).toBe(2);
      expect((await cms.get("widget-gizmo", { namespace })).data).toEqual({ size: "large" });
      // Its owned ConfigMap deleted behind its back comes back (the metadata informer of owned ConfigMaps sees it go).
      await cms.delete("widget-gizmo", { namespace });
      await waitFor(cms, "widget-gizmo", (cm) => cm?.data?.["size"] === "large", { namespace, timeoutMs: 30_000 });

      await widgetClient.delete("gizmo", { namespace });
      await waitFor(widgetClient, "gizmo", deleted(), { namespace, timeoutMs: 30_000 });
      await first.waitFor(/^cleaned up gizmo$/m);
      await expect(cms.get("widget-gizmo", { namespace })).rejects.toThrow(/404/);
      const recorded = (await kube.resource(eventsV1).list({ namespace })).items.filter((event) => event.regarding?.name === "gizmo");
      expect(new Set(recorded.map((event) => `${event.reason} by ${event.reportingController}`))).toEqual(
        new Set(["Reconciled by demo.kubetyped.dev/widget-operator", "CleanedUp by demo.kubetyped.dev/widget-operator"]),
      );

      // SIGTERM: the leader stops its controller, releases the lease, and the other copy leads at once.
      first.child.kill("SIGTERM");
      const [code] = await once(first.child, "exit");
      expect(code, first.stderr()).toBe(0);
      expect(first.stdout()).toMatch(/stopped leading\nstopped\n$/);
      await second.waitFor(/^leading as operator-b$/m, 10_000);
      second.child.kill("SIGTERM");
      expect((await once(second.child, "exit"))[0], second.stderr()).toBe(0);
      expect((await kube.resource(leases).get("widget-operator", { namespace })).spec?.holderIdentity).toBe("");
      expect(first.stderr() + second.stderr()).toBe("");
    } finally {
      for (const running of [first, second]) if (running && running.child.exitCode === null) running.child.kill("SIGKILL");
    }
  });

  describe("exec-pod and read-logs, against the kubelet protocol server (no kubelet here)", () => {
    let kubelet: KubeletProtocolServer;
    let kubeletEnv: NodeJS.ProcessEnv;

    beforeAll(async () => {
      const pki = await createLocalPki(await makeTempDir("examples-kubelet-pki-"));
      const token = "examples-kubelet-token";
      kubelet = await startKubeletProtocolServer({ cert: await readFile(pki.serving.certFile), key: await readFile(pki.serving.keyFile), token });
      const file = join(work, "kubeconfig-kubelet.yaml");
      await writeFile(
        file,
        stringify({
          apiVersion: "v1",
          kind: "Config",
          "current-context": "kubelet",
          clusters: [{ name: "kubelet", cluster: { server: kubelet.url, "certificate-authority": pki.caFile } }],
          users: [{ name: "kubelet", user: { token } }],
          contexts: [{ name: "kubelet", context: { cluster: "kubelet", user: "kubelet", namespace: POD.namespace } }],
        }),
      );
      kubeletEnv = { KUBECONFIG: file };
    });
    afterAll(async () => {
      await kubelet?.close();
    });

    it("exec-pod collects a command's output and exit code, then echoes stdin through cat", async () => {
      const stdout = await runExample(work, "exec-pod", [POD.name, "echo", "hello", "pod"], kubeletEnv);
      expect(stdout).toContain("exit code 0; stdout: hello pod\n");
      expect(stdout).toMatch(/^cat echoed "hello from kubetyped\\n" and exited 0 over v5\.channel\.k8s\.io$/m);
      expect(kubelet.requests.map((request) => request.kind)).toEqual(["exec", "exec"]);
    });

    it("read-logs prints the tail with timestamps, then follows new lines until its time is up", async () => {
      const stdout = await runExample(work, "read-logs", [POD.name, "1"], kubeletEnv);
      const [tail, followed] = stdout.split(`--- following ${POD.name} for 1s\n`);
      expect(tail).toMatch(/^\S+Z starting\n\S+Z listening on :8080\n\S+Z ready\n$/);
      expect(followed!.split("\n").filter(Boolean).length).toBeGreaterThan(0);
    });
  });
});

import { execFile } from "node:child_process";
import { copyFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { RUNTIME_PATHS } from "../corpus/support/typecheck.js";
import { generate } from "../../generator/generate.js";
import { clientFromConnection, type KubeClient } from "../../runtime/index.js";
import { loadKubeconfig } from "../../runtime/entries/plumbing.js";
import { installCrds, widgetCrd } from "../../local-cluster/crds.js";
import { describeWithCluster } from "../support/cluster.js";
import { makeTempDir } from "../support/tmp.js";

const run = promisify(execFile);
/** The signature of programs/crud-with-generated-clients.ts (not imported: it only compiles beside generated code). */
type RunProgram = (
  kube: KubeClient,
  namespace: string,
  suffix: string,
) => Promise<Record<string, { kind: string; name: string; namespace?: string; object: unknown }>>;
const root = fileURLToPath(new URL("../..", import.meta.url));
const program = fileURLToPath(new URL("./programs/crud-with-generated-clients.ts", import.meta.url));

describeWithCluster("generated clients against the real kube-apiserver", (cluster) => {
  let kube: KubeClient;
  let dir: string;
  const namespace = `gen-e2e-${process.pid}`;

  beforeAll(async () => {
    const connection = await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath });
    kube = clientFromConnection(connection);
    await installCrds(kube, [widgetCrd]);
    await kube.requestJson({ method: "POST", path: "/api/v1/namespaces", body: { metadata: { name: namespace } } });
    dir = await makeTempDir("generated-clients");
    await generate({ connection, out: join(dir, "gen"), groups: ["core/v1", "batch/v1", "rbac.authorization.k8s.io/v1", "demo.kubetyped.dev"] });
    await copyFile(program, join(dir, "program.ts"));
  }, 180_000);

  afterAll(async () => {
    await kube?.requestJson({ method: "DELETE", path: `/api/v1/namespaces/${namespace}` }).catch(() => {});
    await kube?.close();
  });

  it("a program using the generated modules type-checks under strict", async () => {
    const tsconfig = {
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        skipLibCheck: true,
        types: ["node"],
        typeRoots: [join(root, "node_modules", "@types")],
        paths: RUNTIME_PATHS,
      },
      files: ["program.ts"],
    };
    await writeFile(join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
    await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const result = await run(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")]).catch((error: { stdout?: string }) => error);
    expect((result as { stdout?: string }).stdout ?? "").toBe("");
  }, 120_000);

  it("creates, reads, updates, patches and deletes through them; objects equal what kubectl shows", async () => {
    const { run: runProgram } = (await import(join(dir, "program.ts"))) as { run: RunProgram };
    const results = await runProgram(kube, namespace, String(process.pid));

    const configMap = results.configmap!.object as { data: Record<string, string>; metadata: { annotations?: Record<string, string> } };
    expect(configMap.data).toEqual({ a: "1", b: "2", c: "3", d: "4" });
    expect(configMap.metadata.annotations?.strategic).toBe("yes");
    expect((results.quota!.object as { spec: { hard: Record<string, string> } }).spec.hard).toEqual({ cpu: "2", memory: "1Gi", pods: "10" });
    const job = results.job!.object as { status?: { active?: number; failed?: number } };
    expect(job.status).toMatchObject({ active: 1, failed: 2 });
    expect((results.clusterrole!.object as { metadata: { labels?: Record<string, string> } }).metadata.labels).toEqual({ patched: "true" });
    const widget = results.widget!.object as { spec: Record<string, unknown>; status?: Record<string, unknown> };
    expect(widget.spec).toMatchObject({ size: "large", port: "http" });
    expect(widget.status).toEqual({ phase: "Ready", replicas: 1 });

    // The deleted ConfigMap is gone.
    await expect(kube.requestJson({ method: "GET", path: `/api/v1/namespaces/${namespace}/configmaps/cm-doomed-${process.pid}` })).rejects.toMatchObject({
      code: 404,
    });

    for (const { kind, name, namespace: ns, object } of Object.values(results)) {
      const args = ["--kubeconfig", cluster.kubeconfigPath, "get", kind, name, "-o", "json", "--show-managed-fields", ...(ns ? ["-n", ns] : [])];
      const kubectl = await run("kubectl", args).catch((error: Error) => {
        if (!process.env.CI && (error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      });
      if (kubectl === undefined) {
        console.warn("kubectl not on PATH: skipping the comparison with kubectl get -o json");
        return;
      }
      expect(object, `${kind}/${name}`).toEqual(JSON.parse(kubectl.stdout));
    }
  }, 120_000);
});

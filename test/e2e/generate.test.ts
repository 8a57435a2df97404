import { createServer } from "node:net";
import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { main, type CliIo } from "../../generator/cli/main.js";
import { listTree } from "../../generator/write/index.js";
import { describeWithEachCluster } from "../support/cluster.js";
import { waitForSettledApi } from "../support/cluster-ops.js";
import { makeTempDir } from "../support/tmp.js";

function captureIo(env: NodeJS.ProcessEnv = {}): CliIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
    env,
    stderrIsTty: false,
  };
  return io;
}

async function readTree(folder: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const path of await listTree(folder)) files[path] = await readFile(join(folder, path), "utf8");
  return files;
}

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describeWithEachCluster("kubetyped generate against the local kube-apiserver", (cluster) => {
  // v1.20 serves one /openapi/v2 document; current servers /openapi/v3 per group/version (and aggregated discovery).
  const v2 = cluster.version === "v1.20.2";
  const batchDocument = v2 ? "openapi/v2.json" : "openapi/v3/apis/batch/v1.json";
  let root: string;
  let live: string;
  let liveTree: Record<string, string>;
  let snapshotDir: string;

  beforeAll(async () => {
    await waitForSettledApi(cluster);
    root = await makeTempDir("generate-e2e-");
    live = join(root, "live");
    const io = captureIo();
    const code = await main(["generate", "--kubeconfig", cluster.kubeconfigPath, "--out", live], io);
    if (code !== 0) throw new Error(`generate failed (${code}): ${io.err}`);
    liveTree = await readTree(live);
  });

  it("generates every served group/version from the cluster's kubeconfig", async () => {
    expect(Object.keys(liveTree)).toEqual(expect.arrayContaining(["core/v1.ts", "batch/v1.ts", "apps/v1.ts", "meta/v1.ts", "manifest.json"]));
    const manifest = JSON.parse(liveTree["manifest.json"]!);
    expect(manifest.clusterVersion).toBe(cluster.version);
    expect(manifest.openapi).toBe(v2 ? "v2" : "v3");
    expect(manifest.skipped).toEqual([]);
    expect(Object.keys(manifest.sourceHashes)).toEqual(expect.arrayContaining(["core/v1", "batch/v1", "apps/v1"]));
    expect(JSON.parse(liveTree[".summary/batch/v1.json"]!).resources.jobs).toMatchObject({ kind: "Job", namespaced: true, subresources: { status: ["get", "patch", "update"] } });
    expect(liveTree["batch/v1.ts"]).toMatch(/export interface Job\b/);
  });

  it("generates byte-identical output on a second run, and reports no API change", async () => {
    const again = join(root, "again");
    expect(await main(["generate", "--kubeconfig", cluster.kubeconfigPath, "--out", again, "--quiet"], captureIo())).toBe(0);
    expect(await readTree(again)).toEqual(liveTree);
    const rerun = captureIo({ KUBECONFIG: cluster.kubeconfigPath });
    expect(await main(["generate", "--out", live], rerun)).toBe(0);
    expect(rerun.out).toMatch(/^no API changes since the last generation\n.*was already up to date/m);
    const check = captureIo();
    expect(await main(["generate", "--kubeconfig", cluster.kubeconfigPath, "--out", live, "--check"], check)).toBe(0);
  });

  it("snapshot --out, then generate --from it, gives byte-identical output", async () => {
    snapshotDir = join(root, "snapshot");
    const recorded = captureIo();
    expect(await main(["snapshot", "--kubeconfig", cluster.kubeconfigPath, "--out", snapshotDir], recorded)).toBe(0);
    expect(recorded.out).toMatch(new RegExp(`^recorded \\d+ group/versions from https://127\\.0\\.0\\.1:\\d+ \\(${cluster.version.replace(/\./g, "\\.")}\\) into `));
    const files = await listTree(snapshotDir);
    const discovery = v2 ? ["api.json", "apis.json", "api/v1.json", "apis/batch/v1.json"] : ["api.aggregated.json", "apis.aggregated.json"];
    expect(files).toEqual(expect.arrayContaining([...discovery, batchDocument, "version.json"]));

    const replayed = join(root, "replayed");
    expect(await main(["generate", "--from", snapshotDir, "--out", replayed, "--quiet"], captureIo())).toBe(0);
    expect(await readTree(replayed)).toEqual(liveTree);
  });

  it("uses the token context as well as the client certificate one", async () => {
    const out = join(root, "token");
    const io = captureIo();
    expect(await main(["generate", "--kubeconfig", cluster.kubeconfigPath, "--context", cluster.contexts.adminToken, "--groups", "batch/v1", "--out", out], io)).toBe(0);
    expect(await readFile(join(out, "batch/v1.ts"), "utf8")).toBe(liveTree["batch/v1.ts"]);
  });

  it("fails clearly on an unreachable server and leaves the previous output untouched", async () => {
    const kubeconfig = join(root, "unreachable.kubeconfig");
    const port = await closedPort();
    const original = await readFile(cluster.kubeconfigPath, "utf8");
    await writeFile(kubeconfig, original.replace(/server: https:\/\/127\.0\.0\.1:\d+/g, `server: https://127.0.0.1:${port}`));
    const io = captureIo();
    expect(await main(["generate", "--kubeconfig", kubeconfig, "--out", live], io)).toBe(1);
    expect(io.err).toContain(`127.0.0.1:${port}`);
    expect(io.err).toMatch(/^error: .*https:\/\/127\.0\.0\.1:\d+/m);
    expect(io.err).toMatch(/^hint: check which cluster --kubeconfig\/--context point at \(https:\/\/127\.0\.0\.1:\d+\).*npx kubetyped local-cluster up.*nothing was written$/m);
    expect(await readTree(live)).toEqual(liveTree);
  });

  it("names the URL of a document that is not JSON, and overwrites nothing", async () => {
    const broken = join(root, "not-json");
    await cp(snapshotDir, broken, { recursive: true });
    await writeFile(join(broken, batchDocument), "<html><body>Bad gateway</body></html>");
    const io = captureIo();
    expect(await main(["generate", "--from", broken, "--out", live], io)).toBe(1);
    expect(io.err).toMatch(new RegExp(`^error: /${batchDocument.replace(/\.json$/, "")}\\S*: expected a JSON document .*<html><body>Bad gateway`, "m"));
    expect(await readTree(live)).toEqual(liveTree);
  });

  it("names the JSON pointer of a dangling $ref, and overwrites nothing", async () => {
    const broken = join(root, "dangling");
    await cp(snapshotDir, broken, { recursive: true });
    const file = join(broken, batchDocument);
    const document = JSON.parse(await readFile(file, "utf8"));
    // v2 refers straight to a definition; v3 wraps the reference of a described property in allOf.
    const [schemas, prefix, pointer] = v2
      ? [document.definitions, "#/definitions", "/definitions/io.k8s.api.batch.v1.Job/properties/spec/$ref"]
      : [document.components.schemas, "#/components/schemas", "/components/schemas/io.k8s.api.batch.v1.Job/properties/spec/allOf/0/$ref"];
    const spec = schemas["io.k8s.api.batch.v1.Job"].properties.spec;
    (v2 ? spec : spec.allOf[0]).$ref = `${prefix}/io.k8s.api.batch.v1.NoSuchSpec`;
    await writeFile(file, JSON.stringify(document));
    const io = captureIo();
    expect(await main(["generate", "--from", broken, "--out", live], io)).toBe(1);
    // v3 documents are named by their URL, hash included.
    const errorLine = io.err.split("\n").find((line) => line.startsWith("error: ")) ?? io.err;
    expect(errorLine.startsWith(`error: /${batchDocument.replace(/\.json$/, "")}${v2 ? " " : "?hash="}`), errorLine).toBe(true);
    expect(errorLine).toContain(` at ${pointer}: $ref "${prefix}/io.k8s.api.batch.v1.NoSuchSpec" points to nothing`);
    expect(await readTree(live)).toEqual(liveTree);
  });
});

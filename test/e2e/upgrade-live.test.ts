// The upgrade story on real servers: a project generated from a live v1.20.2 is checked against the live newest
// release, then generated for both at once, and the program compiled from that runs against both.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { stringify } from "yaml";
import type { LocalClusterInfo } from "../../local-cluster/types.js";
import { describeWithCluster, requireCluster } from "../support/cluster.js";
import { installFreshProject, npx, sh, show, TSCONFIG_BASE, userEnv } from "../support/fresh-project.js";

/** Uses batch/v1beta1 CronJobs, which 1.20 serves and 1.25+ do not. */
const OLD_PROGRAM = `import { connect } from "kubetyped/runtime";
import { cronJobs } from "./k8s/batch/v1beta1.js";

const kube = await connect();
console.log("cronjobs:", (await kube.resource(cronJobs).list()).items.length);
await kube.close();
`;

/** What both servers serve: batch/v1 Jobs and core/v1 ConfigMaps, create, read back and delete. */
const BOTH_PROGRAM = `import { connect } from "kubetyped/runtime";
import { jobs } from "./k8s/batch/v1.js";
import { configMaps } from "./k8s/core/v1.js";

const kube = await connect();
const name = "upgrade-" + process.pid;
const cms = kube.resource(configMaps);
await cms.create({ metadata: { name }, data: { from: "both" } });
console.log((await cms.get(name)).data?.from, (await kube.resource(jobs).list()).kind);
await cms.delete(name);
await kube.close();
`;

/** One kubeconfig with a context per cluster (admin tokens), as a user with two clusters has. */
function twoClusterKubeconfig(old: LocalClusterInfo, current: LocalClusterInfo, currentContext: "old" | "new"): string {
  const entry = (name: string, cluster: LocalClusterInfo) => ({
    cluster: { name, cluster: { server: cluster.server, "certificate-authority": cluster.caFile } },
    user: { name, user: { token: cluster.admin.token } },
    context: { name, context: { cluster: name, user: name, namespace: "default" } },
  });
  const entries = [entry("old", old), entry("new", current)];
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    "current-context": currentContext,
    clusters: entries.map((e) => e.cluster),
    users: entries.map((e) => e.user),
    contexts: entries.map((e) => e.context),
  });
}

describeWithCluster("upgrading from a live v1.20.2 to the live newest release", (current) => {
  let old: LocalClusterInfo;
  let project: string;
  let env: NodeJS.ProcessEnv;
  let kubeconfig: string;
  const run = (args: string[], extra: NodeJS.ProcessEnv = {}) => sh(npx, args, { cwd: project, env: { ...env, ...extra }, timeout: 240_000 });

  beforeAll(async () => {
    old = requireCluster("oldestCluster");
    const base = await mkdtemp(join(tmpdir(), "kubetyped-upgrade-live-"));
    project = join(base, "my-app");
    await mkdir(project, { recursive: true });
    await mkdir(join(base, "home"), { recursive: true });
    env = userEnv(join(base, "home"));
    kubeconfig = join(base, "kubeconfig");
    for (const context of ["old", "new"] as const) await writeFile(`${kubeconfig}-${context}`, twoClusterKubeconfig(old, current, context), { mode: 0o600 });
    kubeconfig = `${kubeconfig}-old`;
    env.KUBECONFIG = kubeconfig;
    await installFreshProject(project, env);
    await writeFile(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions: { ...TSCONFIG_BASE, module: "node16", moduleResolution: "node16", outDir: "dist", rootDir: "src" }, include: ["src"] }, null, 2));
    const generated = await run(["kubetyped", "generate", "--context", "old", "--out", "src/k8s", "--groups", "batch,core/v1"]);
    if (generated.code !== 0) throw new Error(`generate from v1.20.2 failed: ${show(generated)}`);
    await writeFile(join(project, "src", "main.ts"), OLD_PROGRAM);
  }, 420_000);

  afterAll(async () => {
    if (project) await rm(join(project, ".."), { recursive: true, force: true });
  });

  it("compiles and runs against the v1.20.2 it was generated from", async () => {
    expect((await readFile(join(project, "src", "k8s", "manifest.json"), "utf8")).includes(`"clusterVersion": "${old.version}"`)).toBe(true);
    const tsc = await run(["tsc", "-p", "tsconfig.json"]);
    expect(tsc.code, show(tsc)).toBe(0);
    const ran = await sh(process.execPath, ["dist/main.js"], { cwd: project, env });
    expect(ran.code, show(ran)).toBe(0);
    expect(ran.stdout).toBe("cronjobs: 0\n");
  }, 300_000);

  it("check --context new: exit 3, the file and line, and the API the new server no longer serves", async () => {
    const check = await run(["kubetyped", "check", "--context", "new", "--out", "src/k8s", "--no-cache"]);
    expect(check.code, show(check)).toBe(3);
    expect(check.stdout).toContain(`against ${current.version} (${current.server}): not compatible, 1 error\nsrc/main.ts:2: batch/v1beta1 is not served by ${current.version}\n`);
  }, 300_000);

  it("generate --context old --context new gives types valid on both, and the program runs against both", async () => {
    await rm(join(project, "src", "k8s"), { recursive: true, force: true });
    const generated = await run(["kubetyped", "generate", "--context", "old", "--context", "new", "--out", "src/k8s", "--groups", "batch,core/v1"]);
    expect(generated.code, show(generated)).toBe(0);
    await writeFile(join(project, "src", "main.ts"), BOTH_PROGRAM);
    const tsc = await run(["tsc", "-p", "tsconfig.json"]);
    expect(tsc.code, show(tsc)).toBe(0);
    for (const context of ["old", "new"]) {
      // The program runs as written, its kubeconfig's current context choosing the cluster.
      const ran = await sh(process.execPath, ["dist/main.js"], { cwd: project, env: { ...env, KUBECONFIG: kubeconfig.replace(/-old$/, `-${context}`) } });
      expect(ran.code, `${context}: ${show(ran)}`).toBe(0);
      expect(ran.stdout, context).toBe("both JobList\n");
    }
    // The old API is gone from the common modules: it is not served by the new server.
    expect(generated.stdout + generated.stderr).toMatch(/batch\/v1beta1/);
  }, 300_000);
});

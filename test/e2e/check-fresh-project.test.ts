import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listTree } from "../../generator/write/index.js";
import { installedVersion, installFreshProject, npx, sh, show, TSCONFIG_BASE, userEnv, type Toolchain } from "../support/fresh-project.js";
import { startModernTestServer, type ModernTestServer } from "../support/modern-server/index.js";
import { writeKubeconfigFor } from "../support/modern-server/client-config.js";
import { describeWithSharedData } from "../support/shared-data.js";

/**
 * Before upgrading a cluster from 1.24 to 1.25: a fresh npm project with the packed tarball, its clients
 * generated from 1.24, using batch/v1beta1 CronJobs (gone in 1.25). `npx kubetyped check` against 1.25 (an
 * OpenAPI folder, and a replayed 1.25 cluster) names the file and line and the change; the same program on
 * batch/v1 passes. With the project's own TypeScript, for node16 and bundler resolution alike: the one npm
 * installs today (TypeScript 7, which has no compiler API: its tsc is driven) and 5.9 (its compiler API), with
 * the same verdicts; nothing in the project changes.
 */
const PROGRAM = `import { connect } from "kubetyped/runtime";
import { cronJobs, type CronJob } from "./k8s/batch/v1beta1.js";

const kube = await connect();
const nightly: CronJob = { metadata: { name: "nightly" }, spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: { spec: { containers: [{ name: "x", image: "busybox" }], restartPolicy: "Never" } } } } } };
await kube.resource(cronJobs).create(nightly);
await kube.close();
`;

/** Every file of the project except node_modules, hashed: "nothing in the user's tree changes". */
async function projectHashes(project: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const file of (await listTree(project)).filter((file) => !file.startsWith("node_modules/"))) {
    hashes[file] = createHash("sha256").update(await readFile(join(project, file))).digest("hex");
  }
  return hashes;
}

describeWithSharedData("openapi-v3", "npx kubetyped check --against in a fresh npm project", (folder) => {
  describe.each<{ name: string; toolchain: Toolchain; compiler: RegExp }>([
    { name: "the TypeScript npm installs today (7)", toolchain: {}, compiler: /\(TypeScript 7\.\d+\.\d+ \(its tsc: [^)]+\/typescript\/bin\/tsc\)\)/ },
    { name: `TypeScript ${installedVersion("typescript")}`, toolchain: { typescript: installedVersion("typescript") }, compiler: /\(TypeScript 5\.\d+\.\d+ \([^)]+\/typescript\/lib\/typescript\.js\)\)/ },
  ])("with $name", ({ toolchain, compiler }) => checkInFreshProject(folder, toolchain, compiler));
});

function checkInFreshProject(folder: string, toolchain: Toolchain, compiler: RegExp): void {
  let project: string;
  let env: NodeJS.ProcessEnv;
  let server: ModernTestServer;
  let kubeconfig: string;
  const v124 = join(folder, "1.24");
  const v125 = join(folder, "1.25");

  beforeAll(async () => {
    const base = await mkdtemp(join(tmpdir(), "kubetyped-check-fresh-"));
    project = join(base, "my-app");
    const home = join(base, "home");
    await mkdir(project, { recursive: true });
    await mkdir(home, { recursive: true });
    env = userEnv(home);
    await installFreshProject(project, env, toolchain);
    const generate = await sh(npx, ["kubetyped", "generate", "--from", v124, "--out", "src/k8s", "--groups", "batch,core/v1"], { cwd: project, env, timeout: 240_000 });
    if (generate.code !== 0) throw new Error(`generate failed: ${show(generate)}`);
    await writeFile(join(project, "src", "main.ts"), PROGRAM);
    await writeFile(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions: { ...TSCONFIG_BASE, module: "node16", moduleResolution: "node16", noEmit: true }, include: ["src"] }, null, 2));
    await writeFile(
      join(project, "tsconfig.bundler.json"),
      JSON.stringify({ compilerOptions: { ...TSCONFIG_BASE, module: "preserve", moduleResolution: "bundler", noEmit: true, skipLibCheck: true }, include: ["src"] }, null, 2),
    );
    server = await startModernTestServer({ version: "1.25" });
    kubeconfig = await writeKubeconfigFor(join(base, "kubeconfig"), server);
  }, 420_000);

  afterAll(async () => {
    await server?.close();
    if (project) await rm(join(project, ".."), { recursive: true, force: true });
  });

  it("compiles as it is against its own 1.24 clients", async () => {
    const tsc = await sh(npx, ["tsc", "-p", "tsconfig.json"], { cwd: project, env, timeout: 240_000 });
    expect(tsc.code, show(tsc)).toBe(0);
  }, 300_000);

  it("is reported against 1.25 with exit 3, naming src/main.ts:2 and batch/v1beta1, for node16 and bundler resolution", async () => {
    const before = await projectHashes(project);
    const folderCheck = await sh(npx, ["kubetyped", "check", "--against", v125, "--out", "src/k8s"], { cwd: project, env, timeout: 240_000 });
    expect(folderCheck.code, show(folderCheck)).toBe(3);
    expect(folderCheck.stdout).toBe(
      [
        `against ${v125}: not compatible, 1 error`,
        `src/main.ts:2: batch/v1beta1 is not served by ${v125}`,
        "    TS2307: Cannot find module './k8s/batch/v1beta1.js' or its corresponding type declarations.",
        "",
      ].join("\n"),
    );
    expect(folderCheck.stderr).toMatch(/kubetyped: type-checking .*tsconfig\.json as it is /);
    expect(folderCheck.stderr).toMatch(compiler);

    // The live cluster names itself by its version: the sentence the issue asks for.
    const live = await sh(npx, ["kubetyped", "check", "--kubeconfig", kubeconfig, "--out", "src/k8s", "--project", "tsconfig.bundler.json", "--no-cache"], {
      cwd: project,
      env,
      timeout: 240_000,
    });
    expect(live.code, show(live)).toBe(3);
    expect(live.stdout).toContain(`against v1.25.0 (${server.url}): not compatible, 1 error\nsrc/main.ts:2: batch/v1beta1 is not served by v1.25.0\n`);
    expect(await projectHashes(project)).toEqual(before);
  }, 300_000);

  it("passes (exit 0) once the program uses batch/v1, and still nothing in the project changes", async () => {
    await writeFile(join(project, "src", "main.ts"), PROGRAM.replace("./k8s/batch/v1beta1.js", "./k8s/batch/v1.js"));
    // batch/v1 CronJob exists in 1.24 too: the project compiles today.
    const generated = await readFile(join(project, "src", "k8s", "batch", "v1.ts"), "utf8");
    expect(generated).toContain("export const cronJobs");
    const before = await projectHashes(project);
    const check = await sh(npx, ["kubetyped", "check", "--against", v125, "--out", "src/k8s"], { cwd: project, env, timeout: 240_000 });
    expect(check.code, show(check)).toBe(0);
    expect(check.stdout).toMatch(/^against .*1\.25: compatible \(\d+ breaking API changes?, none that the project's code runs into\)\n$/);
    expect(await projectHashes(project)).toEqual(before);
  }, 300_000);
}

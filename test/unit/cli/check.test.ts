import { createHash } from "node:crypto";
import { cp, readFile, writeFile, mkdir, symlink } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, expect, it } from "vitest";
import { RUNTIME_PATHS } from "../../corpus/support/typecheck.js";
import { checkAgainst } from "../../../generator/check/index.js";
import { main } from "../../../generator/cli/main.js";
import { listTree } from "../../../generator/write/index.js";
import { describeWithSharedData } from "../../support/shared-data.js";
import { makeTempDir } from "../../support/tmp.js";
import { writeCheckProject } from "../../support/check-project.js";
import { captureIo } from "../../support/cli-io.js";

const repo = fileURLToPath(new URL("../../../", import.meta.url));

/** Every file of a folder (but node_modules) with its hash: what "nothing in the user's tree changes" is checked against. */
async function treeHashes(folder: string): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const file of (await listTree(folder)).filter((file) => !file.startsWith("node_modules/"))) hashes[file] = createHash("sha256").update(await readFile(path.join(folder, file))).digest("hex");
  return hashes;
}

/** Code written against modules generated from 1.24 that each run into one API change of a later version. */
const PROGRAM = `import { connect } from "kubetyped/runtime";
import { cronJobs } from "./k8s/batch/v1beta1.js";
import { jobs } from "./k8s/batch/v1.js";
import type { HostAlias, PersistentVolumeClaimStatus } from "./k8s/core/v1.js";
import type { ObjectMeta } from "./k8s/meta/v1.js";
import { networkPolicies } from "./k8s/networking.k8s.io/v1.js";

const kube = await connect();
await kube.resource(cronJobs).list();
const meta: ObjectMeta = { name: "a", clusterName: "old" };
const alias: HostAlias = { hostnames: ["db"] };
export function resizing(status: PersistentVolumeClaimStatus) {
  return status.resizeStatus;
}
await kube.resource(networkPolicies).status.get("web");
console.log(meta, alias, await kube.resource(jobs).list());
`;

function problemLines(project: string, target: { problems: Array<{ file?: string; line: number; code: number; causes: string[] }> }): string[] {
  return target.problems.map((problem) => `${path.relative(project, problem.file!)}:${problem.line} TS${problem.code} ${problem.causes.join(" | ")}`);
}

function expectedAgainst135(label: string): string[] {
  return [
    `src/main.ts:2 TS2307 batch/v1beta1 is not served by ${label}`,
    `src/main.ts:10 TS2353 ObjectMeta.clusterName (meta/v1) is not in ${label}`,
    `src/main.ts:11 TS2741 HostAlias.ip (core/v1) changed on ${label}: optional → required`,
    `src/main.ts:13 TS2339 PersistentVolumeClaimStatus.resizeStatus (core/v1) is not in ${label}`,
    `src/main.ts:15 TS2339 networkpolicies/status (networking.k8s.io/v1) is not served by ${label}`,
  ];
}

describeWithSharedData("openapi-v3", "kubetyped check --against", (folder) => {
  let project: string;
  const v = (version: string) => path.join(folder, version);

  beforeAll(async () => {
    project = await makeTempDir("check-project-");
    // kubetyped/runtime from this repository's source; no typescript installed: the checker falls back to ts-morph's.
    const { out } = await writeCheckProject(project, PROGRAM, { withRuntimeAndNode: true });
    const io = captureIo();
    const groups = "core/v1,batch,networking.k8s.io/v1";
    expect(await main(["generate", "--from", v("1.24"), "--out", out, "--groups", groups, "--quiet"], io), io.err).toBe(0);
  }, 120_000);

  it("ties each new error to the API change behind it, by file and line, and changes nothing in the project", async () => {
    const before = await treeHashes(project);
    const result = await checkAgainst({
      targets: [{ from: v("1.35") }],
      out: path.join(project, "src", "k8s"),
      project: path.join(project, "tsconfig.json"),
    });
    expect(await treeHashes(project)).toEqual(before);
    expect(result.existing).toEqual([]);
    expect(result.typescript).toMatch(/ts-morph/);
    const [target] = result.targets;
    expect(target?.compatible).toBe(false);
    expect(problemLines(project, target!)).toEqual(expectedAgainst135(v("1.35")));
  }, 240_000);

  it("with TypeScript 7 (no compiler API) drives the project's own tsc and gives the same verdict, errors and causes", async () => {
    // The same project with TypeScript 7.0.2 installed as its `typescript`, as `npm install typescript` gives today.
    const project7 = await makeTempDir("check-project-ts7-");
    await cp(project, project7, { recursive: true });
    await mkdir(path.join(project7, "node_modules"));
    await symlink(path.join(repo, "node_modules", "typescript7"), path.join(project7, "node_modules", "typescript"), "dir");
    const before = await treeHashes(project7);
    const result = await checkAgainst({ targets: [{ from: v("1.35") }], out: path.join(project7, "src", "k8s"), project: path.join(project7, "tsconfig.json") });
    expect(await treeHashes(project7)).toEqual(before);
    expect(result.typescript).toBe(`7.0.2 (its tsc: ${path.join(repo, "node_modules", "typescript7", "bin", "tsc")})`);
    expect(result.existing).toEqual([]);
    expect(result.compatible).toBe(false);
    expect(problemLines(project7, result.targets[0]!)).toEqual(expectedAgainst135(v("1.35")));
  }, 240_000);

  it("prints file:line with the change, exits 3 when incompatible and 0 when compatible", async () => {
    const cwd = process.cwd();
    process.chdir(project);
    try {
      const incompatible = captureIo();
      expect(await main(["check", "--against", v("1.25"), "--out", "src/k8s"], incompatible)).toBe(3);
      // 1.25 removed batch/v1beta1 and ObjectMeta.clusterName; the other changes came later.
      expect(incompatible.out).toContain(`against ${v("1.25")}: not compatible, 2 errors\n`);
      expect(incompatible.out).toContain(`src/main.ts:2: batch/v1beta1 is not served by ${v("1.25")}\n    TS2307: Cannot find module './k8s/batch/v1beta1.js'`);
      expect(incompatible.out).toContain(`src/main.ts:10: ObjectMeta.clusterName (meta/v1) is not in ${v("1.25")}\n    TS2353: `);

      await writeFile(path.join(project, "src", "main.ts"), PROGRAM.replace("./k8s/batch/v1beta1.js", "./k8s/batch/v1.js").replace(', clusterName: "old"', ""));
      const compatible = captureIo();
      expect(await main(["check", "--against", v("1.25"), "--out", "src/k8s"], compatible)).toBe(0);
      expect(compatible.out).toMatch(new RegExp(`^against .*1\\.25: compatible \\(\\d+ breaking API changes, none that the project's code runs into\\)\\n$`));

      const usage = captureIo();
      expect(await main(["check", "--out", "src/k8s"], usage)).toBe(2);
      expect(usage.err).toContain("check needs a target: --against DIR");
      const noManifest = captureIo();
      expect(await main(["check", "--against", v("1.25"), "--out", "src"], noManifest)).toBe(1);
      expect(noManifest.err).toContain("src holds no manifest.json: generate it first");
      const noProject = captureIo();
      expect(await main(["check", "--against", v("1.25"), "--out", "src/k8s", "--project", "nope.json"], noProject)).toBe(1);
      expect(noProject.err).toMatch(/nope\.json: no such tsconfig; pass the project's with --project FILE/);
    } finally {
      process.chdir(cwd);
      await writeFile(path.join(project, "src", "main.ts"), PROGRAM);
    }
  }, 240_000);
});

// `node dist/scripts/validate-vs-kubectl.js --kubeconfig <file>`: a folder of 1,000 manifests from the differential corpus,
// checked by `kubetyped validate` against the live cluster and by `kubectl apply --dry-run=server`: time and verdicts, file by file.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import { installCrds } from "../local-cluster/crds.js";
import { clientFromConnection } from "../runtime/index.js";
import { loadKubeconfig } from "../runtime/entries/plumbing.js";
import { celCrd } from "./differential/cel-crds.js";
import { buildCorpus, widgetTarget } from "./differential/corpus.js";
import { objectOf } from "./differential/run.js";
import { builtInTargets, crdTargets, sharedCrds } from "./differential/targets.js";

const run = promisify(execFile);
const cli = fileURLToPath(new URL("../generator/cli/main.js", import.meta.url));

/** Runs a command, answering its exit code and output whatever the code (both tools exit non-zero on a refusal). */
async function outcome(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  const result = await run(file, args, { maxBuffer: 256 * 1024 * 1024 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
  return { ...result, ms: performance.now() - started };
}

/** The files `kubetyped validate --output json` refuses. */
function refusedByKubetyped(stdout: string): Set<string> {
  const report = JSON.parse(stdout) as { problems: { file: string; badInput?: boolean }[] };
  return new Set(report.problems.map((problem) => path.basename(problem.file)));
}

/** The files `kubectl apply` names in `error when creating "<file>"`. */
function refusedByKubectl(stderr: string): Set<string> {
  return new Set([...stderr.matchAll(/error when (?:creating|applying|retrieving current configuration of)[^"]*"([^"]+)"/g)].map((match) => path.basename(match[1]!)));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kubeconfig: { type: "string" },
      shared: { type: "string", default: path.join(process.cwd(), "..", "shared", "k8s") },
      seed: { type: "string", default: "27" },
    },
  });
  if (!values.kubeconfig) throw new Error("--kubeconfig <file> is required: the cluster both tools check against (e.g. `kubetyped local-cluster up`'s)");
  const kube = clientFromConnection(await loadKubeconfig({ kubeconfig: values.kubeconfig }), { warnings: false });
  const folder = await mkdtemp(path.join(tmpdir(), "kubetyped-manifests-"));
  try {
    const shared = await sharedCrds(values.shared);
    await installCrds(kube, [celCrd, ...shared] as never);
    const targets = [widgetTarget, ...crdTargets(shared), ...builtInTargets];
    const cases = buildCorpus(targets, { widgets: 400, perOtherTarget: 67, updateShare: 0 }, Number(values.seed)).slice(0, 1000);
    const names = cases.map((_, index) => `manifest-${String(index).padStart(4, "0")}.json`);
    await Promise.all(cases.map((item, index) => writeFile(path.join(folder, names[index]!), JSON.stringify(objectOf(item.target, `m-${index}`, item.body)))));
    // The CLI as bin/kubetyped.js runs it, from this build's own dist.
    const launcher = `import { main } from ${JSON.stringify(cli)}; process.exitCode = await main(process.argv.slice(1));`;
    const ours = await outcome(process.execPath, ["--input-type=module", "-e", launcher, "validate", "-f", folder, "--kubeconfig", values.kubeconfig, "--output", "json"]);
    const theirs = await outcome("kubectl", ["--kubeconfig", values.kubeconfig, "apply", "--dry-run=server", "--validate=false", "-f", folder, "-o", "name"]);
    const [refusedOurs, refusedTheirs] = [refusedByKubetyped(ours.stdout), refusedByKubectl(theirs.stderr)];
    const differing = names.filter((name) => refusedOurs.has(name) !== refusedTheirs.has(name));
    const falseRejections = differing.filter((name) => refusedOurs.has(name));
    console.log(`${names.length} manifests; kubetyped validate --kubeconfig: ${(ours.ms / 1000).toFixed(1)} s, refused ${refusedOurs.size}; kubectl apply --dry-run=server: ${(theirs.ms / 1000).toFixed(1)} s, refused ${refusedTheirs.size}`);
    console.log(`same verdict ${(((names.length - differing.length) / names.length) * 100).toFixed(2)}%, false rejections ${falseRejections.length}`);
    for (const label of new Set(cases.map((item) => item.target.label))) {
      const mine = names.filter((_, index) => cases[index]!.target.label === label);
      const same = mine.filter((name) => refusedOurs.has(name) === refusedTheirs.has(name)).length;
      console.log(`  ${label}: ${mine.length} manifests, same verdict ${((same / mine.length) * 100).toFixed(2)}%`);
    }
    for (const name of differing.slice(0, 10)) console.log(`  ${name}: kubetyped ${refusedOurs.has(name) ? "refused" : "accepted"}, kubectl ${refusedTheirs.has(name) ? "refused" : "accepted"}`);
  } finally {
    await kube.close();
    await rm(folder, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});

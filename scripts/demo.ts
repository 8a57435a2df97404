// `npm start`: the main job on an embedded default. Starts a throwaway local control plane (real etcd +
// kube-apiserver), installs CRDs, generates typed clients into generated/ from it, then compiles and runs
// examples/quickstart.ts against it. `--keep` leaves the control plane running and prints how to reach it.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { generate } from "../generator/generate.js";
import { clientFromConnection } from "../runtime/index.js";
import { loadKubeconfig } from "../runtime/entries/plumbing.js";
import { installCrds, readCrdFile, widgetCrd } from "../local-cluster/crds.js";
import { ensureControlPlaneBinaries, findProjectRoot, startLocalCluster } from "../local-cluster/index.js";

const run = promisify(execFile);
const say = (line: string) => process.stderr.write(`» ${line}\n`);

async function main(args: string[]): Promise<void> {
  const keep = args.includes("--keep");
  const root = findProjectRoot();
  const binaries = await ensureControlPlaneBinaries({ build: true, log: say });
  say(`starting a local control plane (etcd + kube-apiserver from ${binaries.source})`);
  const cluster = await startLocalCluster({ binaries, log: say, outliveParent: keep });
  try {
    const connection = await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath });
    const kube = clientFromConnection(connection);
    const crds = [widgetCrd];
    const certManager = join(root, "..", "shared", "k8s", "crds", "cert-manager.crds.yaml");
    if (existsSync(certManager)) crds.push(...(await readCrdFile(certManager)));
    else say(`(${certManager} not found: installing only the Widget CRD)`);
    say(`installing ${crds.length} CRDs: ${(await installCrds(kube, crds)).join(", ")}`);
    await kube.close();

    const out = join(root, "generated");
    const result = await generate({ connection, out, log: { progress: say, warn: (w) => say(`warning: ${w}`) } });
    say(
      `generated ${result.groupVersions.length} group/versions (${result.resources} resources, ${result.types} types) ` +
        `into ${out} in ${result.durationMs} ms`,
    );

    say("compiling examples/quickstart.ts against the generated modules (tsc --strict)");
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    await run(process.execPath, [tsc, "-p", join(root, "examples", "tsconfig.json")], { cwd: root }).catch((error: { stdout?: string }) => {
      throw new Error(`examples did not compile:\n${error.stdout ?? error}`);
    });
    say("running the example against the local control plane\n");
    const example = await run(process.execPath, [join(root, ".tmp", "examples", "examples", "quickstart.js")], {
      cwd: root,
      env: { ...process.env, KUBECONFIG: cluster.kubeconfigPath },
    });
    process.stdout.write(example.stdout);
    if (keep) {
      say(`control plane left running; reach it with:\n  export KUBECONFIG=${cluster.kubeconfigPath}`);
      say(`stop it with: kill ${cluster.apiserver.pid} ${cluster.etcd.pid}; rm -rf ${cluster.dir}`);
    }
  } finally {
    if (!keep) await cluster.stop();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`kubetyped demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

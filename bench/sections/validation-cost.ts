// Validation cost: validate() of one object (a built-in, and a CRD with CEL rules) against one dryRun=All create round trip, on the local kube-apiserver.
import { join } from "node:path";
import { generate } from "../../generator/generate.js";
import { installCrds, uninstallCrds } from "../../local-cluster/crds.js";
import { loadKubeconfig } from "../../runtime/entries/plumbing.js";
import { connect } from "../../runtime/index.js";
import { gizmoCrd, GIZMO_GROUP, validGizmo, validPod } from "../crds/cel-crd.js";
import { NAMESPACES } from "../plan.js";
import { compileTree } from "../setup/validation-variants.js";
import { failureReason, runNode } from "../spawn.js";
import { parseResult } from "../workers/protocol.js";
import type { RunContext } from "./context.js";

const ID = "validation-cost";
const KINDS = [
  { column: "Pod (core/v1, schema only)", module: "core/v1.js", descriptor: "pods", object: validPod("bench-validated-pod") },
  { column: "Gizmo (CRD, 5 CEL rules)", module: `${GIZMO_GROUP}/v1.js`, descriptor: "gizmos", object: validGizmo("bench-validated-gizmo") },
] as const;
const ROWS = {
  warm: { scenario: "one valid object", metric: "validate(), warm (median)", unit: "µs", better: "lower" as const },
  first: { scenario: "one valid object", metric: "first validate() in a process (loads its validators)", unit: "ms", better: "lower" as const },
  trip: { scenario: "one valid object", metric: "create dryRun=All round trip (median)", unit: "ms", better: "lower" as const },
};

export async function runValidationCost(context: RunContext): Promise<void> {
  const columns = KINDS.map((kind) => kind.column);
  context.collector.table(
    ID,
    "Validating one object before sending, against one dryRun=All round trip (local kube-apiserver)",
    columns,
    "Validators generated from the local kube-apiserver; each kind in its own fresh process per round, so the first validate() loads the generated .validate.ts, the interpreter and (for the CRD) compiles its CEL rules.",
  );
  if ("unavailable" in context.apiserver) {
    for (const spec of Object.values(ROWS)) for (const column of columns) context.collector.notApplicable(ID, spec, column, `no kube-apiserver: ${context.apiserver.unavailable}`);
    return;
  }
  const kubeconfig = context.apiserver.info.kubeconfigPath;
  const admin = await connect({ kubeconfig });
  const dir = join(context.workspace.dir, "validation-cost");
  try {
    await installCrds(admin, [gizmoCrd]);
    const result = await generate({ connection: await loadKubeconfig({ kubeconfig }), out: join(dir, "generated"), groups: [GIZMO_GROUP, "core/v1"] });
    context.log(`validation cost: validators of ${result.groupVersions.join(", ")} generated from the local kube-apiserver`);
    await compileTree(dir);
    for (let round = 1; round <= context.sizes.rounds; round++) {
      for (const kind of round % 2 === 1 ? KINDS : [...KINDS].reverse()) await measureKind(context, kubeconfig, join(dir, "generated"), kind);
    }
  } finally {
    await uninstallCrds(admin, [gizmoCrd]).catch((error: unknown) => context.log(`validation cost: could not remove the Gizmo CRD: ${(error as Error).message}`));
    await admin.close();
  }
}

async function measureKind(context: RunContext, kubeconfig: string, generated: string, kind: (typeof KINDS)[number]): Promise<void> {
  const job = {
    kubeconfig,
    namespace: NAMESPACES.write,
    module: join(generated, kind.module),
    descriptor: kind.descriptor,
    object: kind.object,
    ...context.sizes.validation,
  };
  const finished = await runNode([join(context.benchDir, "workers", "validation-cost.js"), JSON.stringify(job)], { cwd: context.root, timeoutMs: 120_000 });
  try {
    if (finished.code !== 0) throw new Error(failureReason(finished));
    const result = parseResult<{ firstMs: number; validateUs: number; roundTripMs: number }>(finished.stdout, `validation cost ${kind.column}`);
    context.collector.add(ID, ROWS.warm, kind.column, result.validateUs);
    context.collector.add(ID, ROWS.first, kind.column, result.firstMs);
    context.collector.add(ID, ROWS.trip, kind.column, result.roundTripMs);
  } catch (error) {
    for (const spec of Object.values(ROWS)) context.collector.notApplicable(ID, spec, kind.column, `failed: ${(error as Error).message}`);
  }
}

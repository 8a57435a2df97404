// What only a current kube-apiserver does, asked of the live server: CRD CEL rules answered as typed 422s, the
// warnings it sends (deprecated CRD versions, ValidatingAdmissionPolicy in Warn mode), and generation from its
// aggregated discovery and OpenAPI v3.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main } from "../../generator/cli/main.js";
import { createTransportFetcher, discoverApi, type DocumentFetcher } from "../../generator/sources/index.js";
import { parseGroupSelection } from "../../generator/sources/group-selection.js";
import { installCrds, uninstallCrds } from "../../local-cluster/crds.js";
import { type ApiWarning, connect, isInvalid, type KubeClient, StatusError } from "../../runtime/index.js";
import { createTransport, defineResource, loadKubeconfig } from "../../runtime/entries/plumbing.js";
import { describeWithCluster } from "../support/cluster.js";
import { captureIo, readTree } from "../support/cli-io.js";
import { makeTempDir } from "../support/tmp.js";

/** The minor of a `v1.37.2` gitVersion. */
const minorOf = (version: string) => Number(/^v1\.(\d+)\./.exec(version)?.[1] ?? 0);

interface Gadget {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; resourceVersion?: string };
  spec?: { replicas?: number; maxReplicas?: number; mode?: string };
}

/** A CRD with CEL rules: a cross-field rule with a fieldPath, a transition rule, and a version marked deprecated. */
function gadgetCrd(group: string) {
  const spec = {
    type: "object",
    properties: {
      replicas: { type: "integer" },
      maxReplicas: { type: "integer" },
      mode: { type: "string", "x-kubernetes-validations": [{ rule: "self == oldSelf", message: "mode is immutable" }] },
    },
    "x-kubernetes-validations": [
      { rule: "self.replicas <= self.maxReplicas", message: "replicas must not exceed maxReplicas", fieldPath: ".replicas" },
      { rule: "!has(self.mode) || self.mode in ['fast', 'slow']", messageExpression: "'mode ' + self.mode + ' is neither fast nor slow'" },
    ],
  };
  const schema = { openAPIV3Schema: { type: "object", properties: { spec } } };
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `gadgets.${group}` },
    spec: {
      group,
      scope: "Namespaced",
      names: { plural: "gadgets", singular: "gadget", kind: "Gadget", listKind: "GadgetList" },
      versions: [
        { name: "v1", served: true, storage: true, schema },
        { name: "v1beta1", served: true, storage: false, schema, deprecated: true, deprecationWarning: `${group}/v1beta1 Gadget is going away; use v1` },
      ],
    },
  };
}

type Policy = { apiVersion?: string; kind?: string; metadata?: { name?: string }; spec?: object };
const policies = defineResource<Policy>()({
  group: "admissionregistration.k8s.io",
  version: "v1",
  plural: "validatingadmissionpolicies",
  kind: "ValidatingAdmissionPolicy",
  namespaced: false,
  verbs: ["create", "delete"],
});
const bindings = defineResource<Policy>()({
  group: "admissionregistration.k8s.io",
  version: "v1",
  plural: "validatingadmissionpolicybindings",
  kind: "ValidatingAdmissionPolicyBinding",
  namespaced: false,
  verbs: ["create", "delete"],
});
const configMaps = defineResource<{ metadata?: { name?: string; labels?: Record<string, string> }; data?: Record<string, string> }>()({
  group: "",
  version: "v1",
  plural: "configmaps",
  kind: "ConfigMap",
  namespaced: true,
  verbs: ["create", "delete"],
});

/** A policy in Warn mode that flags ConfigMaps holding a `password` key, bound to objects carrying `label`. */
async function installWarnPolicy(kube: KubeClient, name: string, label: string): Promise<() => Promise<void>> {
  await kube.resource(policies).create({
    metadata: { name },
    spec: {
      failurePolicy: "Fail",
      matchConstraints: { resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["configmaps"] }] },
      validations: [{ expression: "!has(object.data) || !('password' in object.data)", message: "configmaps should not hold passwords" }],
    },
  });
  await kube.resource(bindings).create({
    metadata: { name },
    spec: { policyName: name, validationActions: ["Warn"], matchResources: { objectSelector: { matchLabels: { [label]: "yes" } } } },
  });
  return async () => {
    await kube.resource(bindings).delete(name).catch(() => {});
    await kube.resource(policies).delete(name).catch(() => {});
  };
}

describeWithCluster("a current kube-apiserver, live", (cluster) => {
  const modern = minorOf(cluster.version) >= 30;
  const group = `cel${randomBytes(3).toString("hex")}.kubetyped.dev`;
  const crd = gadgetCrd(group);
  const gadgets = defineResource<Gadget>()({ group, version: "v1", plural: "gadgets", kind: "Gadget", namespaced: true, verbs: ["create", "get", "update", "delete", "list"] });
  const betaGadgets = defineResource<Gadget>()({ group, version: "v1beta1", plural: "gadgets", kind: "Gadget", namespaced: true, verbs: ["list"] });
  const warnings: ApiWarning[] = [];
  let kube: KubeClient;

  beforeAll(async () => {
    if (!modern) return;
    kube = await connect({ kubeconfig: cluster.kubeconfigPath, env: {}, warnings: (warning) => void warnings.push(warning) });
    await installCrds(kube, [crd]);
  });
  afterAll(async () => {
    if (!modern) return;
    await uninstallCrds(kube, [crd]).catch(() => {});
    await kube.close();
  });

  it.runIf(modern)("answers a CRD's CEL rules with a 422 that arrives as a StatusError (isInvalid) naming every field and message", async () => {
    const client = kube.resource(gadgets);
    const refused = await client.create({ metadata: { name: "too-many" }, spec: { replicas: 5, maxReplicas: 3, mode: "warp" } }).catch((error: unknown) => error);
    expect(refused).toSatisfy(isInvalid);
    const causes = (refused as StatusError).details?.causes ?? [];
    expect(causes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: "spec.replicas", message: expect.stringContaining("replicas must not exceed maxReplicas") }),
        expect.objectContaining({ field: "spec", message: expect.stringContaining("mode warp is neither fast nor slow") }),
      ]),
    );
    expect((refused as StatusError).message).toContain("replicas must not exceed maxReplicas");
  });

  it.runIf(modern)("checks a transition rule (oldSelf) on update, as a typed 422 at the field", async () => {
    const client = kube.resource(gadgets);
    const created = await client.create({ metadata: { name: `g-${randomBytes(2).toString("hex")}` }, spec: { replicas: 1, maxReplicas: 2, mode: "fast" } });
    const refused = await client.update({ ...created, spec: { ...created.spec, mode: "slow" } }).catch((error: unknown) => error);
    expect(refused).toSatisfy(isInvalid);
    expect((refused as StatusError).details?.causes).toEqual([expect.objectContaining({ field: "spec.mode", message: expect.stringContaining("mode is immutable") })]);
    await client.delete(created.metadata!.name!);
  });

  it.runIf(modern)("hands the deprecated CRD version's deprecationWarning to the handler", async () => {
    warnings.length = 0;
    await kube.resource(betaGadgets).list();
    await kube.resource(gadgets).list();
    expect(warnings).toEqual([{ code: 299, agent: "-", text: `${group}/v1beta1 Gadget is going away; use v1` }]);
  });

  it.runIf(modern)("hands a ValidatingAdmissionPolicy's Warn-mode message to the handler, the object still created", { timeout: 60_000 }, async () => {
    const name = `kubetyped-warn-${randomBytes(3).toString("hex")}`;
    const label = `kubetyped.dev/${name}`;
    const remove = await installWarnPolicy(kube, name, label);
    const expected = `Validation failed for ValidatingAdmissionPolicy '${name}' with binding '${name}': configmaps should not hold passwords`;
    try {
      // A new policy takes effect once the server's policy informer has it: retry (bounded) until it warns.
      const deadline = Date.now() + 30_000;
      for (let attempt = 0; ; attempt++) {
        warnings.length = 0;
        const cm = `${name}-${attempt}`;
        await kube.resource(configMaps).create({ metadata: { name: cm, labels: { [label]: "yes" } }, data: { password: "hunter2" } });
        await kube.resource(configMaps).delete(cm);
        if (warnings.some((warning) => warning.text === expected)) break;
        if (Date.now() > deadline) throw new Error(`no policy warning within 30 s; last warnings: ${JSON.stringify(warnings)}`);
        await new Promise((wake) => setTimeout(wake, 500));
      }
      expect(warnings).toEqual([{ code: 299, agent: "-", text: expected }]);
    } finally {
      await remove();
    }
  });

  it.runIf(modern)("serves the same resources, verbs and subresources by aggregated discovery as by the legacy walk", async () => {
    const transport = createTransport(await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath }));
    try {
      const live = createTransportFetcher(transport, cluster.server);
      // The same server asked as a client without aggregated discovery asks: plain JSON only.
      const legacy: DocumentFetcher = { origin: live.origin, get: (path) => live.get(path, "application/json") };
      const selection = () => parseGroupSelection(undefined);
      const [aggregated, walked] = await Promise.all([discoverApi(live, { selection: selection() }), discoverApi(legacy, { selection: selection() })]);
      expect([aggregated.aggregated, walked.aggregated]).toEqual([true, false]);
      const byKey = (result: typeof aggregated) => Object.fromEntries(result.groupVersions.map((gv) => [`${gv.group}/${gv.version}`, gv]));
      expect(byKey(aggregated)).toEqual(byKey(walked));
      expect(Object.keys(byKey(aggregated))).toContain(`${group}/v1beta1`);
    } finally {
      await transport.close();
    }
  });

  it.runIf(modern)("generates from aggregated discovery and OpenAPI v3, byte-identical twice", { timeout: 120_000 }, async () => {
    const root = await makeTempDir("current-generate-");
    const trees: Array<Record<string, string>> = [];
    for (const out of [join(root, "a"), join(root, "b")]) {
      const io = captureIo();
      expect(await main(["generate", "--kubeconfig", cluster.kubeconfigPath, "--out", out, "--quiet"], io), io.err).toBe(0);
      trees.push(await readTree(out));
    }
    expect(trees[1]).toEqual(trees[0]);
    const manifest = JSON.parse(trees[0]!["manifest.json"]!);
    expect(manifest.openapi).toBe("v3");
    expect(manifest.clusterVersion).toBe(cluster.version);
    // Resources only OpenAPI v3 and a current server have: a CRD's CEL rules do not break generation.
    expect(Object.keys(trees[0]!)).toEqual(expect.arrayContaining(["core/v1.ts", "apps/v1.ts", "resource.k8s.io/v1.ts", `${group}/v1.ts`]));
  });
});

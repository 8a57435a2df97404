// Patches checked before sending, against the live API server: the local result of each patch type equals the server's (dryRun=All), and a patch breaking the Widget CRD's rules is refused with the server's causes.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main } from "../../generator/cli/main.js";
import { installCrds, uninstallCrds } from "../../local-cluster/crds.js";
import { clientFromConnection, isInvalid, type KubeClient } from "../../runtime/index.js";
import { type ValidationModule } from "../../runtime/entries/validate.js";
import { defineResource, loadKubeconfig } from "../../runtime/entries/plumbing.js";
import { patchedObject } from "../../runtime/validate/patch/index.js";
import { celCrd, validWidgetSpec } from "../../scripts/differential/cel-crds.js";
import { captureIo } from "../support/cli-io.js";
import { createNamespace } from "../support/cluster-ops.js";
import { describeWithCluster } from "../support/cluster.js";
import { makeTempDir } from "../support/tmp.js";

// The CEL Widget CRD (rules of every library, transition rules) under a group of this file's own, so no other file's cleanup removes it.
const group = `patchcheck${randomBytes(3).toString("hex")}.kubetyped.test`;
const crd = { ...celCrd, metadata: { name: `widgets.${group}` }, spec: { ...celCrd.spec, group } };
// The same schema as a Gadget with a status subresource, whose status has an enum and a transition rule of its own.
const [widgetVersion] = celCrd.spec.versions;
const widgetSchema = widgetVersion!.schema.openAPIV3Schema;
const gadgetStatus = {
  type: "object",
  properties: {
    phase: { type: "string", enum: ["Pending", "Ready"] },
    zone: { type: "string", maxLength: 16, "x-kubernetes-validations": [{ rule: "self == oldSelf", message: "zone is immutable" }] },
  },
};
const gadgetCrd = {
  ...celCrd,
  metadata: { name: `gadgets.${group}` },
  spec: {
    ...celCrd.spec,
    group,
    names: { plural: "gadgets", singular: "gadget", kind: "Gadget", listKind: "GadgetList" },
    versions: [{ ...widgetVersion!, subresources: { status: {} }, schema: { openAPIV3Schema: { ...widgetSchema, properties: { ...widgetSchema.properties, status: gadgetStatus } } } }],
  },
};

type Json = Record<string, unknown>;
type PatchType = "merge" | "json" | "strategic";
interface Case {
  type: PatchType;
  patch: unknown;
}

describeWithCluster("patches checked before sending, against the live server", (cluster) => {
  const namespace = `patch-check-${randomBytes(4).toString("hex")}`;
  let kube: KubeClient;
  let checked: KubeClient;
  let modules: Record<string, ValidationModule>;
  let descriptors: ReturnType<typeof descriptorsOf>;

  beforeAll(async () => {
    const connection = await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath });
    kube = clientFromConnection(connection, { namespace, warnings: false });
    checked = clientFromConnection(connection, { namespace, warnings: false, validate: "before-send" });
    await createNamespace(kube, namespace);
    await installCrds(kube, [crd as never, gadgetCrd as never]);
    const out = path.join(await makeTempDir("patch-check-e2e-"), "generated");
    const io = captureIo();
    const code = await main(["generate", "--kubeconfig", cluster.kubeconfigPath, "--groups", `${group},core/v1,apps/v1`, "--out", out, "--no-cache"], io);
    expect(code, io.err).toBe(0);
    const load = (key: string) => () => import(path.join(out, key, "v1.validate.ts")) as Promise<ValidationModule>;
    descriptors = descriptorsOf(load(group), load("core"), load("apps"));
    modules = { Widget: await load(group)(), ConfigMap: await load("core")(), Deployment: await load("apps")() };
  }, 240_000);
  afterAll(async () => {
    if (kube) {
      await kube.resource(descriptors.deployments).patch("web", { metadata: { finalizers: null } } as never).catch(() => undefined);
      await uninstallCrds(kube, [crd as never, gadgetCrd as never]);
    }
    await kube?.close();
    await checked?.close();
  });

  const bothResults = (resource: Patchable, kind: string, name: string, item: Case) => serverAndLocal(resource, modules[kind]!, kind, name, item);

  it("applies merge and JSON patches to a ConfigMap and the Widget as the server does", async () => {
    const configmaps = kube.resource(descriptors.configmaps);
    await configmaps.create({ metadata: { name: "cm", labels: { x: "1", y: "2" } }, data: { a: "1", b: "2" } });
    const cases: Case[] = [
      { type: "merge", patch: { data: { a: null, c: "3" }, metadata: { labels: { x: null, z: "3" } } } },
      { type: "merge", patch: { metadata: { annotations: { note: "n", gone: null } } } },
      { type: "json", patch: [{ op: "add", path: "/data/c", value: "3" }, { op: "remove", path: "/data/a" }, { op: "move", from: "/data/b", path: "/data/d" }] },
      { type: "json", patch: [{ op: "copy", from: "/metadata/labels", path: "/metadata/annotations" }, { op: "replace", path: "/metadata/labels/x", value: "9" }, { op: "test", path: "/data/a", value: "1" }] },
    ];
    for (const item of cases) {
      const { server, ours } = await bothResults(configmaps as never, "ConfigMap", "cm", item);
      expect(pick(ours, ["data", "metadata.labels", "metadata.annotations"]), JSON.stringify(item)).toEqual(pick(server, ["data", "metadata.labels", "metadata.annotations"]));
    }
    const widgets = kube.resource(descriptors.widgets);
    await widgets.create({ metadata: { name: "base" }, spec: validWidgetSpec } as never);
    const widgetCases: Case[] = [
      // The objects in a list the patch puts in place lose their null members on the server (evanphx/json-patch).
      { type: "merge", patch: { spec: { ports: [22], labels: { app: null, tier: "web" }, ranges: [{ from: 1, to: null }] } } },
      { type: "json", patch: [{ op: "add", path: "/spec/tags/1", value: "api" }, { op: "remove", path: "/spec/ports/0" }, { op: "replace", path: "/spec/ratio", value: 0.25 }] },
    ];
    for (const item of widgetCases) {
      const { server, ours } = await bothResults(widgets as never, "Widget", "base", item);
      expect(ours?.["spec"], JSON.stringify(item)).toEqual(server["spec"]);
    }
  }, 60_000);

  it("applies strategic merge patches to a Deployment as the server does: merge keys, order and every directive", async () => {
    const deployments = kube.resource(descriptors.deployments);
    await deployments.create(baseDeployment() as never);
    await expectStrategicAsServer(deployments as never, modules["Deployment"]!);
  }, 60_000);

  it("refuses a patch breaking the Widget's CEL and schema rules before sending, with the causes the server gives; sends a valid one", async () => {
    const widgets = kube.resource(descriptors.widgets);
    const guarded = checked.resource(descriptors.widgets);
    await widgets.create({ metadata: { name: "guarded" }, spec: validWidgetSpec } as never);
    const old = await widgets.get("guarded");
    const refused: Case[] = [
      { type: "merge", patch: { spec: { name: "Shop" } } },
      { type: "merge", patch: { spec: { maxReplicas: 4 } } },
      { type: "json", patch: [{ op: "replace", path: "/spec/mode", value: "slow" }] },
      { type: "merge", patch: { spec: { name: "x".repeat(33) } } },
      { type: "json", patch: [{ op: "add", path: "/spec/ports/-", value: 70000 }, { op: "add", path: "/spec/tags/-", value: "t".repeat(17) }] },
    ];
    for (const { type, patch } of refused) {
      const server = await widgets.patch("guarded", patch as never, { type, dryRun: "All" } as never).catch((caught: unknown) => caught);
      const ours = await guarded.patch("guarded", patch as never, { type, old } as never).catch((caught: unknown) => caught);
      expect(isInvalid(server) && isInvalid(ours), JSON.stringify(patch)).toBe(true);
      expect((ours as Error).message).toContain("(checked before sending)");
      expect(causes(ours), JSON.stringify(patch)).toEqual(causes(server));
    }
    // Without the object it applies to, a patch goes to the server, which refuses it itself.
    const unchecked = await guarded.patch("guarded", { spec: { name: "Shop" } } as never).catch((caught: unknown) => caught);
    expect(isInvalid(unchecked) && !(unchecked as Error).message.includes("(checked before sending)")).toBe(true);
    const sent = await guarded.patch("guarded", { spec: { maxReplicas: 6 } } as never, { old } as never);
    expect(sent.spec?.["maxReplicas"]).toBe(6);
  }, 60_000);

  it("refuses an update breaking a transition rule before sending, with the causes the server gives to the same update sent unchecked", async () => {
    const widgets = kube.resource(descriptors.widgets);
    const guarded = checked.resource(descriptors.widgets);
    await widgets.create({ metadata: { name: "updated" }, spec: validWidgetSpec } as never);
    const old = await widgets.get("updated");
    const changed = (spec: Json) => ({ ...old, spec: { ...old.spec, ...spec } });
    for (const spec of [{ mode: "slow" }, { maxReplicas: 4 }, { mode: "slow", name: "Shop" }]) {
      const server = await widgets.update(changed(spec) as never, { dryRun: "All" }).catch((caught: unknown) => caught);
      const ours = await guarded.update(changed(spec) as never, { old, dryRun: "All" }).catch((caught: unknown) => caught);
      expect(isInvalid(server) && !(server as Error).message.includes("(checked before sending)"), JSON.stringify(spec)).toBe(true);
      expect((ours as Error).message).toContain("(checked before sending)");
      expect(causes(ours), JSON.stringify(spec)).toEqual(causes(server));
      expect(causes(ours).length).toBeGreaterThan(0);
    }
    // Without old the transition rules are the server's: the update is sent, and refused there.
    const unchecked = await guarded.update(changed({ mode: "slow" }) as never, { dryRun: "All" }).catch((caught: unknown) => caught);
    expect(isInvalid(unchecked) && !(unchecked as Error).message.includes("(checked before sending)")).toBe(true);
    const sent = await guarded.update(changed({ maxReplicas: 6 }) as never, { old, dryRun: "All" });
    expect(sent.spec?.["maxReplicas"]).toBe(6);
    // An apply with old: the transition rule on the scalar it sets, as the server judges the merged object.
    const configuration = { metadata: { name: "updated" }, spec: { mode: "slow" } };
    const applyOptions = { fieldManager: "e2e", force: true, dryRun: "All" } as const;
    const serverApply = await widgets.apply(configuration as never, applyOptions).catch((caught: unknown) => caught);
    const ourApply = await guarded.apply(configuration as never, { ...applyOptions, old }).catch((caught: unknown) => caught);
    expect(isInvalid(serverApply) && (ourApply as Error).message.includes("(checked before sending)")).toBe(true);
    expect(causes(ourApply)).toEqual(causes(serverApply));
  }, 60_000);

  it("takes a status write as the server does (spec changes dropped) and refuses one breaking the status schema or its transition rule with the server's causes", async () => {
    const gadgets = kube.resource(descriptors.gadgets);
    const guarded = checked.resource(descriptors.gadgets);
    await gadgets.create({ metadata: { name: "g" }, spec: validWidgetSpec } as never);
    const created = await gadgets.get("g");
    await gadgets.status.update({ ...created, status: { phase: "Pending", zone: "a" } } as never);
    const old = await gadgets.get("g");
    // What the server does with a status write that also changes spec (breaking spec's transition rule): it keeps the stored spec, and accepts.
    const specToo = { ...old, spec: { ...old.spec, mode: "slow" }, status: { phase: "Ready", zone: "a" } };
    const kept = await gadgets.status.update(specToo as never, { dryRun: "All" });
    expect(kept.spec).toEqual(old.spec);
    expect(kept.status).toEqual({ phase: "Ready", zone: "a" });
    expect((await guarded.status.update(specToo as never, { old, dryRun: "All" })).spec).toEqual(old.spec);
    const refused: Array<[string, (client: typeof gadgets, options: Json) => Promise<unknown>]> = [
      ["update zone", (client, options) => client.status.update({ ...old, status: { phase: "Ready", zone: "b" } } as never, options)],
      ["update phase", (client, options) => client.status.update({ ...old, status: { phase: "Gone", zone: "a" } } as never, options)],
      ["merge patch", (client, options) => client.status.patch("g", { status: { zone: "b" } } as never, options)],
      ["json patch", (client, options) => client.status.patch("g", [{ op: "replace", path: "/status/phase", value: "Gone" }] as never, { ...options, type: "json" })],
    ];
    for (const [what, write] of refused) {
      const server = await write(gadgets, { dryRun: "All" }).catch((caught: unknown) => caught);
      const ours = await write(guarded, { old }).catch((caught: unknown) => caught);
      expect(isInvalid(server) && isInvalid(ours), what).toBe(true);
      expect((ours as Error).message, what).toContain("(checked before sending)");
      expect(causes(ours), what).toEqual(causes(server));
    }
  }, 60_000);

  it("costs less than a round trip (measured, printed, not asserted)", async () => {
    const deployments = checked.resource(descriptors.deployments);
    const old = await kube.resource(descriptors.deployments).get("web");
    const patch = { spec: { template: { spec: { containers: [{ name: "b", image: "b:3" }] } } } };
    const median = (samples: number[]) => samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
    const timed = async (count: number, run: () => Promise<unknown>) => {
      const samples: number[] = [];
      for (let index = 0; index < count; index++) {
        const started = performance.now();
        await run();
        samples.push(performance.now() - started);
      }
      return median(samples);
    };
    const apply = { old, type: "strategic", dryRun: "All" };
    await deployments.patch("web", patch as never, apply as never);
    const checkedMs = await timed(30, () => deployments.patch("web", patch as never, apply as never));
    const plainMs = await timed(30, () => kube.resource(descriptors.deployments).patch("web", patch as never, { type: "strategic", dryRun: "All" } as never));
    const localMs = await timed(200, async () => patchedObject(modules["Deployment"]!, "Deployment", "strategic", old, patch));
    const validateMs = await timed(50, () => deployments.validate(old as never, { old }));
    console.log(
      `strategic patch of a Deployment: applied locally ${(localMs * 1000).toFixed(0)} µs, validate() of the result ${validateMs.toFixed(2)} ms (medians); dryRun=All patch ${plainMs.toFixed(2)} ms unchecked, ${checkedMs.toFixed(2)} ms checked before sending`,
    );
    expect(localMs).toBeGreaterThan(0);
  }, 60_000);

  it("refuses a strategic patch whose result breaks a built-in's schema, at the path the server's merge puts the item", async () => {
    const deployments = kube.resource(descriptors.deployments);
    const old = await deployments.get("web");
    const patch = { spec: { template: { spec: { containers: [{ name: "c", image: "c:1", ports: [{ containerPort: 80, protocol: "SCTPX" }] }] } } } };
    const server = await deployments.patch("web", patch as never, { type: "strategic", dryRun: "All" } as never).catch((caught: unknown) => caught);
    const ours = await checked.resource(descriptors.deployments).patch("web", patch as never, { type: "strategic", old } as never).catch((caught: unknown) => caught);
    expect(isInvalid(ours) && (ours as Error).message.includes("(checked before sending)")).toBe(true);
    // A built-in's server-side checks are partly Go, not schema: ours are a subset, never one the server does not give.
    const serverCauses = causes(server).map((cause) => `${cause.field} ${cause.reason}`);
    expect(causes(ours).length).toBeGreaterThan(0);
    for (const cause of causes(ours)) expect(serverCauses).toContain(`${cause.field} ${cause.reason}`);
  }, 60_000);
});

/** A Deployment's stored object patched by every strategic merge case, on the server (dryRun=All) and here: the same result. */
async function expectStrategicAsServer(deployments: Patchable, module: ValidationModule): Promise<void> {
    const spec = (containers: unknown[], more: Json = {}) => ({ spec: { template: { spec: { containers, ...more } } } });
    const cases: Case[] = [
      { type: "strategic", patch: spec([{ name: "b", image: "b:2", args: ["x"] }]) },
      { type: "strategic", patch: spec([{ name: "c", image: "c:1" }]) },
      { type: "strategic", patch: spec([{ name: "c", image: "c:1" }, { name: "a", env: [{ name: "E2", value: "2" }, { name: "E1", $patch: "delete" }] }]) },
      { type: "strategic", patch: spec([{ name: "a", $patch: "delete" }]) },
      { type: "strategic", patch: spec([{ name: "z", image: "z:1" }, { $patch: "replace" }]) },
      { type: "strategic", patch: spec([{ name: "c", image: "c:1" }], { "$setElementOrder/containers": [{ name: "b" }, { name: "c" }, { name: "a" }] }) },
      { type: "strategic", patch: { spec: { template: { spec: { volumes: [{ name: "v", $retainKeys: ["name", "configMap"], configMap: { name: "cm" } }] } } } } },
      { type: "strategic", patch: { spec: { strategy: { $retainKeys: ["type"], type: "Recreate" } } } },
      { type: "strategic", patch: { metadata: { finalizers: ["example.com/new", "example.com/keep"], labels: { app: null, tier: "web" } } } },
      { type: "strategic", patch: { metadata: { "$deleteFromPrimitiveList/finalizers": ["example.com/keep"] } } },
    ];
    const fields = ["metadata.labels", "metadata.finalizers", "spec.strategy", "spec.template.spec.containers", "spec.template.spec.volumes"];
    for (const item of cases) {
      const { server, ours } = await serverAndLocal(deployments, module, "Deployment", "web", item);
      expect(ours, `certain: ${JSON.stringify(item.patch)}`).toBeDefined();
      expect(comparable(pick(ours, fields)), JSON.stringify(item.patch)).toEqual(comparable(pick(server, fields)));
    }
}

interface Patchable {
  get(name: string): Promise<unknown>;
  patch(...args: never[]): Promise<unknown>;
}

/** The server's result of `patch` (dryRun=All) beside ours from the object it holds. */
async function serverAndLocal(resource: Patchable, module: ValidationModule, kind: string, name: string, { type, patch }: Case) {
  const old = (await resource.get(name)) as Json;
  const server = (await resource.patch(...([name, patch, { type, dryRun: "All" }] as never[]))) as Json;
  const ours = patchedObject(module, kind, type, old, patch) as Json | undefined;
  return { server, ours };
}

// The same strategic merge cases on v1.20.2, whose schemas come from OpenAPI v2 (patch keywords beside `$ref`).
describeWithCluster(
  "strategic merge patches on the oldest server",
  (cluster) => {
    it("are applied as v1.20.2 applies them", async () => {
      const namespace = `patch-old-${randomBytes(4).toString("hex")}`;
      const kube = clientFromConnection(await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath }), { namespace, warnings: false });
      try {
        await createNamespace(kube, namespace);
        const out = path.join(await makeTempDir("patch-check-old-"), "generated");
        const io = captureIo();
        expect(await main(["generate", "--kubeconfig", cluster.kubeconfigPath, "--groups", "core/v1,apps/v1", "--out", out, "--no-cache"], io), io.err).toBe(0);
        const apps = () => import(path.join(out, "apps", "v1.validate.ts")) as Promise<ValidationModule>;
        const deployments = kube.resource(descriptorsOf(unused, unused, apps).deployments);
        await deployments.create(baseDeployment() as never);
        await expectStrategicAsServer(deployments as never, await apps());
        await deployments.patch("web", { metadata: { finalizers: null } } as never);
      } finally {
        await kube.close();
      }
    }, 240_000);
  },
  "oldestCluster",
);

function descriptorsOf(widgets: () => Promise<ValidationModule>, core: () => Promise<ValidationModule>, apps: () => Promise<ValidationModule>) {
  const verbs = ["create", "get", "patch"] as const;
  const written = ["create", "get", "update", "patch"] as const;
  return {
    widgets: defineResource<{ metadata: { name: string }; spec?: Json }>()({ group, version: "v1", plural: "widgets", kind: "Widget", namespaced: true, verbs: written, validation: { load: widgets, type: "Widget" } }),
    gadgets: defineResource<{ metadata: { name: string }; spec?: Json; status?: Json }>()({
      group,
      version: "v1",
      plural: "gadgets",
      kind: "Gadget",
      namespaced: true,
      verbs: written,
      subresources: { status: { verbs: ["get", "update", "patch"] } },
      validation: { load: widgets, type: "Gadget" },
    }),
    configmaps: defineResource<{ metadata: { name: string; labels?: Record<string, string> }; data?: Record<string, string> }>()({
      group: "",
      version: "v1",
      plural: "configmaps",
      kind: "ConfigMap",
      namespaced: true,
      verbs,
      validation: { load: core, type: "ConfigMap" },
    }),
    deployments: defineResource<{ metadata: { name: string } }>()({
      group: "apps",
      version: "v1",
      plural: "deployments",
      kind: "Deployment",
      namespaced: true,
      verbs,
      subresources: { status: { verbs: ["get"] } },
      validation: { load: apps, type: "Deployment" },
    }),
  };
}

function baseDeployment() {
  const labels = { app: "web" };
  const container = (name: string) => ({ name, image: `${name}:1`, args: ["run"], env: [{ name: "E1", value: "1" }] });
  return {
    metadata: { name: "web", labels, finalizers: ["example.com/keep"] },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: { metadata: { labels }, spec: { containers: [container("a"), container("b")], volumes: [{ name: "v", emptyDir: {} }] } },
    },
  };
}

/** The fields at `paths` (dotted), for comparing what a patch touches and not what the server fills in. */
function pick(object: Json | undefined, paths: readonly string[]): Json {
  const picked: Json = {};
  for (const dotted of paths) {
    const value = dotted.split(".").reduce<unknown>((parent, key) => (parent as Json | undefined)?.[key], object);
    // The server's answer leaves out an empty list (omitempty), which the merge itself makes.
    picked[dotted] = Array.isArray(value) && value.length === 0 ? undefined : value;
  }
  return picked;
}

/** Containers and volumes as the patch wrote them: the server's defaults (pull policy, termination paths, volume defaults) left out. */
function comparable(picked: Json): Json {
  const containers = picked["spec.template.spec.containers"] as Json[] | undefined;
  const volumes = picked["spec.template.spec.volumes"] as Json[] | undefined;
  return {
    ...picked,
    "spec.template.spec.containers": containers?.map(({ name, image, args, env }) => ({ name, image, args, env })),
    "spec.template.spec.volumes": volumes?.map(({ name, emptyDir, configMap }) => ({ name, emptyDir: emptyDir !== undefined, configMap: (configMap as Json | undefined)?.["name"] })),
  };
}

function causes(error: unknown): Array<{ field: string | undefined; reason: string | undefined; message: string | undefined }> {
  const found = (error as { status?: { details?: { causes?: Array<{ field?: string; reason?: string; message?: string }> } } }).status?.details?.causes ?? [];
  return found.map(({ field, reason, message }) => ({ field, reason, message })).sort((a, b) => `${a.field}${a.message}`.localeCompare(`${b.field}${b.message}`));
}

// Why a merge patch with a null list item is sent unchecked: the servers themselves disagree on it.
for (const [role, kept] of [["cluster", true], ["oldestCluster", false]] as const) {
  describeWithCluster(
    `a merge patch's null list item on ${role}`,
    (cluster) => {
      it(`is ${kept ? "kept (decoded as the zero value)" : "dropped"}`, async () => {
        const namespace = `patch-null-${randomBytes(4).toString("hex")}`;
        const kube = clientFromConnection(await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath }), { namespace, warnings: false });
        try {
          await createNamespace(kube, namespace);
          const deployments = kube.resource(descriptorsOf(unused, unused, unused).deployments);
          const { metadata, spec } = baseDeployment();
          await deployments.create({ metadata: { name: metadata.name, labels: metadata.labels }, spec } as never);
          const patch = { spec: { template: { spec: { containers: [{ name: "a", image: "a:1", args: ["x", null] }] } } } };
          const result = (await deployments.patch("web", patch as never, { dryRun: "All" } as never)) as unknown as { spec: { template: { spec: { containers: Array<{ args: string[] }> } } } };
          expect(result.spec.template.spec.containers[0]!.args).toEqual(kept ? ["x", ""] : ["x"]);
        } finally {
          await kube.close();
        }
      }, 60_000);
    },
    role,
  );
}

async function unused(): Promise<ValidationModule> {
  throw new Error("not validated here");
}

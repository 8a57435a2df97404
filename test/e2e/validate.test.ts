// Generated validators against the live API server: the same causes as its 422 (dryRun=All), before-send refusals that never reach it, and `kubetyped validate`.
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main } from "../../generator/cli/main.js";
import { installCrds, uninstallCrds } from "../../local-cluster/crds.js";
import { clientFromConnection, isInvalid, isNotFound, type KubeClient } from "../../runtime/index.js";
import { type ValidationModule } from "../../runtime/entries/validate.js";
import { defineResource, loadKubeconfig } from "../../runtime/entries/plumbing.js";
import { captureIo } from "../support/cli-io.js";
import { createNamespace, namespacedCrd } from "../support/cluster-ops.js";
import { describeWithCluster } from "../support/cluster.js";
import { makeTempDir } from "../support/tmp.js";

const group = `checked${randomBytes(4).toString("hex")}.kubetyped.test`;
const widgetSchema = {
  type: "object",
  properties: {
    spec: {
      type: "object",
      required: ["size"],
      properties: {
        size: { type: "integer", minimum: 0, maximum: 10 },
        ratio: { type: "number", minimum: 0, exclusiveMinimum: true, multipleOf: 0.5 },
        name: { type: "string", minLength: 2, maxLength: 5, pattern: "^[a-z]+$" },
        mode: { type: "string", enum: ["fast", "slow"] },
        when: { type: "string", format: "date-time" },
        data: { type: "string", format: "byte" },
        port: { "x-kubernetes-int-or-string": true },
        tags: { type: "array", maxItems: 2, minItems: 1, items: { type: "string" }, "x-kubernetes-list-type": "set" },
        ports: {
          type: "array",
          "x-kubernetes-list-type": "map",
          "x-kubernetes-list-map-keys": ["name"],
          items: { type: "object", required: ["name"], properties: { name: { type: "string" }, port: { type: "integer" } } },
        },
        labels: { type: "object", minProperties: 1, maxProperties: 2, additionalProperties: { type: "string", maxLength: 3 } },
        nested: { type: "object", properties: { level: { type: "integer", maximum: 1000000 } } },
        template: { type: "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true },
        ruled: { type: "integer", "x-kubernetes-validations": [{ rule: "self % 2 == 0", message: "must be even" }] },
      },
    },
    status: { type: "object", properties: { phase: { type: "integer" } } },
  },
};
const crd = namespacedCrd(group, { plural: "widgets", kind: "Widget" }, widgetSchema);
(crd.spec.versions[0] as Record<string, unknown>)["subresources"] = { status: {} };

/** Mutations of a valid widget's spec the server refuses, each alone (plus one with several errors). */
const INVALID_SPECS: Array<Record<string, unknown>> = [
  { size: -1 }, { size: 11 }, { size: "3" }, { size: 1.5 }, { size: null }, { ratio: 0 }, { ratio: 0.7 },
  { name: "a" }, { name: "abcdef" }, { name: "ABC" }, { mode: "medium" }, { when: "yesterday" }, { data: "aGk" },
  { port: true }, { tags: [] }, { tags: ["a", "b", "c"] }, { tags: ["a", "a"] }, { ports: [{ name: "a" }, { name: "a", port: 1 }] },
  { labels: {} }, { labels: { a: "1", b: "2", c: "3" } }, { labels: { a: "long" } }, { nested: { level: 1000001 } },
  { template: { metadata: {} } }, { size: -1, mode: "x", name: "A" }, { size: 2, ratio: 2 },
];
const VALID_SPECS: Array<Record<string, unknown>> = [
  { ratio: 1.5, name: "abc", mode: "fast", when: "2024-01-02T03:04:05Z", data: "aGk=", port: "http", tags: ["a", "b"] },
  { port: 80, ports: [{ name: "a" }, { name: "b" }], labels: { a: "x" }, nested: { level: 3 }, template: { apiVersion: "v1", kind: "Pod" }, ruled: 4 },
];

describeWithCluster("generated validators answer what the API server answers", (cluster) => {
  const namespace = `validate-e2e-${randomBytes(4).toString("hex")}`;
  let kube: KubeClient;
  let checked: KubeClient;
  let out: string;
  let widgets: ReturnType<typeof widgetDescriptor>;
  let pods: ReturnType<typeof podDescriptor>;

  beforeAll(async () => {
    const connection = await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath });
    kube = clientFromConnection(connection, { namespace });
    checked = clientFromConnection(connection, { namespace, validate: "before-send" });
    await createNamespace(kube, namespace);
    await installCrds(kube, [crd as never]);
    out = path.join(await makeTempDir("validate-e2e-"), "generated");
    const io = captureIo();
    const code = await main(["generate", "--kubeconfig", cluster.kubeconfigPath, "--groups", `${group},core/v1`, "--out", out, "--no-cache"], io);
    expect(code, io.err).toBe(0);
    widgets = widgetDescriptor(() => import(path.join(out, group, "v1.validate.ts")) as Promise<ValidationModule>);
    pods = podDescriptor(() => import(path.join(out, "core", "v1.validate.ts")) as Promise<ValidationModule>);
  }, 180_000);
  afterAll(async () => {
    if (kube) await uninstallCrds(kube, [crd as never]);
    await kube?.close();
    await checked?.close();
  });

  const widget = (spec: Record<string, unknown>, name = `w${randomBytes(3).toString("hex")}`) => ({
    apiVersion: `${group}/v1`,
    kind: "Widget",
    metadata: { name },
    spec: { size: 1, ...spec },
  });

  /** The server's causes for `object` under dryRun=All (none: it accepts it). */
  async function serverCauses(create: (object: never, options: never) => Promise<unknown>, object: unknown): Promise<Array<{ reason?: string; field?: string; message?: string }>> {
    try {
      await create(object as never, { dryRun: "All" } as never);
      return [];
    } catch (error) {
      if (!isInvalid(error)) throw error;
      return error.details?.causes ?? [];
    }
  }
  const sorted = <T extends { field?: string; message?: string }>(causes: T[]) =>
    causes.map((cause) => ({ reason: (cause as { reason?: string }).reason ?? (cause as { type?: string }).type, field: cause.field, message: cause.message })).sort((a, b) => `${a.field}${a.message}`.localeCompare(`${b.field}${b.message}`));

  it("gives a custom resource's invalid objects the server's causes, field by field", async () => {
    const client = kube.resource(widgets);
    const mismatches: string[] = [];
    for (const spec of INVALID_SPECS) {
      const object = widget(spec);
      const server = sorted(await serverCauses(client.create as never, object));
      const ours = sorted(await client.validate(object as never));
      expect(server.length, JSON.stringify(spec)).toBeGreaterThan(0);
      if (JSON.stringify(server) !== JSON.stringify(ours)) mismatches.push(`${JSON.stringify(spec)}\n  server: ${JSON.stringify(server)}\n  ours:   ${JSON.stringify(ours)}`);
    }
    expect(mismatches.join("\n")).toBe("");
  }, 120_000);

  it("accepts what the server accepts", async () => {
    const client = kube.resource(widgets);
    for (const spec of VALID_SPECS) {
      const object = widget(spec);
      expect(await serverCauses(client.create as never, object)).toEqual([]);
      expect(await client.validate(object as never)).toEqual([]);
    }
  }, 60_000);

  it("finds in built-in objects a subset of the server's causes, never one it does not give", async () => {
    const client = kube.resource(pods);
    const cases = [
      { spec: { containers: [{ image: "nginx" }] } },
      { spec: { restartPolicy: "Sometimes", containers: [{ name: "a", image: "nginx" }] } },
      { spec: {} },
      { spec: { containers: [{ name: "a", image: "nginx", ports: [{ name: "http" }] }] } },
    ];
    for (const [index, body] of cases.entries()) {
      const object = { apiVersion: "v1", kind: "Pod", metadata: { name: `p${index}` }, ...body };
      const server = sorted(await serverCauses(client.create as never, object));
      const ours = sorted(await client.validate(object as never));
      expect(server.length).toBeGreaterThan(0);
      for (const cause of ours) expect(server.map((s) => `${s.field} ${s.reason}`), JSON.stringify(ours)).toContain(`${cause.field} ${cause.reason}`);
    }
    const valid = { apiVersion: "v1", kind: "Pod", metadata: { name: "ok" }, spec: { containers: [{ name: "a", image: "nginx" }] } };
    expect(await serverCauses(client.create as never, valid)).toEqual([]);
    expect(await client.validate(valid as never)).toEqual([]);
  }, 60_000);

  it("refuses an invalid create before sending with the StatusError (isInvalid) a 422 is, and sends a valid one", async () => {
    const client = checked.resource(widgets);
    const error = await client.create(widget({ size: -1 }, "refused") as never).catch((caught: unknown) => caught);
    expect(isInvalid(error)).toBe(true);
    const server = await kube.resource(widgets).create(widget({ size: -1 }, "refused") as never, { dryRun: "All" } as never).catch((caught: unknown) => caught);
    expect((error as { status: unknown }).status).toMatchObject({ code: 422, reason: "Invalid", details: (server as { status: { details: unknown } }).status.details });
    expect((error as Error).message).toContain("(checked before sending)");
    expect(await kube.resource(widgets).get("refused").catch((caught: unknown) => (isNotFound(caught) ? "not found" : caught))).toBe("not found");
    await client.create(widget({ size: 2 }, "sent") as never);
    expect((await kube.resource(widgets).get("sent")).metadata.name).toBe("sent");
    const applied = await client.apply(widget({ mode: "slow" }, "sent") as never, { fieldManager: "e2e", force: true } as never);
    expect((applied as unknown as { spec: { mode: string } }).spec.mode).toBe("slow");
    await expect(client.apply(widget({ mode: "medium" }, "sent") as never, { fieldManager: "e2e", force: true } as never)).rejects.toSatisfy(isInvalid);
  }, 60_000);

  it("costs less than a round trip (measured, printed, not asserted)", async () => {
    const client = kube.resource(widgets);
    const object = widget({ size: -1, name: "abc", tags: ["a"], ports: [{ name: "a" }] });
    await client.validate(object as never);
    const median = (samples: number[]) => samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
    const timed = async (count: number, run: () => Promise<unknown>) => {
      const samples: number[] = [];
      for (let index = 0; index < count; index++) {
        const started = performance.now();
        await run().catch(() => undefined);
        samples.push(performance.now() - started);
      }
      return median(samples);
    };
    const validateMs = await timed(500, () => client.validate(object as never));
    const roundTripMs = await timed(50, () => client.create(object as never, { dryRun: "All" } as never));
    console.log(`validate one Widget: ${(validateMs * 1000).toFixed(0)} µs median; dryRun=All create round trip: ${roundTripMs.toFixed(2)} ms median`);
    expect(validateMs).toBeGreaterThan(0);
  }, 60_000);

  it("kubetyped validate: one line per problem, against the output folder and the live cluster", async () => {
    const folder = path.join(path.dirname(out), "manifests");
    await mkdir(folder, { recursive: true });
    const documents = [widget({ size: -1 }, "a"), widget({}, "b"), { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ image: "x" }] } }];
    await writeFile(path.join(folder, "all.yaml"), documents.map((document) => JSON.stringify(document)).join("\n---\n"));
    for (const target of [["--out", out], ["--kubeconfig", cluster.kubeconfigPath]]) {
      const io = captureIo();
      expect(await main(["validate", "-f", folder, ...target], io), io.err).toBe(3);
      expect(io.out).toBe(
        [
          `${path.join(folder, "all.yaml")}:1:spec.size: Invalid value: -1: spec.size in body should be greater than or equal to 0`,
          `${path.join(folder, "all.yaml")}:3:spec.containers[0].name: Required value`,
          "",
        ].join("\n"),
      );
    }
    await writeFile(path.join(folder, "broken.yaml"), "kind: [unclosed\n---\nmetadata: {}\n");
    const io = captureIo();
    expect(await main(["validate", "-f", path.join(folder, "broken.yaml"), "--out", out, "--output", "json"], io)).toBe(1);
    const report = JSON.parse(io.out) as { valid: boolean; problems: Array<{ document: number; message: string }> };
    expect(report.valid).toBe(false);
    expect(report.problems.map((problem) => problem.document)).toEqual([1, 2]);
    expect(report.problems[1]!.message).toContain("no apiVersion/kind");
  }, 120_000);
});

function widgetDescriptor(load: () => Promise<ValidationModule>) {
  return defineResource<{ metadata: { name: string } }>()({
    group,
    version: "v1",
    plural: "widgets",
    kind: "Widget",
    namespaced: true,
    verbs: ["create", "get", "patch"],
    subresources: { status: { verbs: ["get", "patch"] } },
    validation: { load, type: "Widget" },
  });
}

function podDescriptor(load: () => Promise<ValidationModule>) {
  return defineResource<{ metadata: { name: string } }>()({
    group: "",
    version: "v1",
    plural: "pods",
    kind: "Pod",
    namespaced: true,
    verbs: ["create"],
    subresources: { status: { verbs: ["get"] } },
    validation: { load, type: "Pod" },
  });
}

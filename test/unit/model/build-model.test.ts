import type { OpenAPIV3 } from "openapi-types";
import { describe, expect, it } from "vitest";
import { typeText } from "../../../generator/emit/type-text.js";
import { buildModel, ModelError, summarizeModel } from "../../../generator/model/index.js";
import type { ApiModel, NamedType, ObjectSchema } from "../../../generator/model/index.js";
import { deriveDiscoveryFromOpenApiV3 } from "../../../generator/sources/derive-discovery.js";
import type { SourceSet } from "../../../generator/sources/types.js";

type Schemas = Record<string, unknown>;

const gvk = (group: string, version: string, kind: string) => ({ "x-kubernetes-group-version-kind": [{ group, version, kind }] });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const META = "io.k8s.apimachinery.pkg.apis.meta.v1";

/** A namespaced resource's item path, enough for discovery to list it with get/create. */
function resourcePaths(group: string, version: string, plural: string, kind: string) {
  const base = group === "" ? `/api/${version}` : `/apis/${group}/${version}`;
  const op = (action: string) => ({ "x-kubernetes-action": action, "x-kubernetes-group-version-kind": { group, version, kind }, responses: {} });
  return { [`${base}/namespaces/{namespace}/${plural}/{name}`]: { get: op("get") }, [`${base}/namespaces/{namespace}/${plural}`]: { post: op("post") } };
}

function sources(documents: Record<string, { paths?: Record<string, unknown>; schemas: Schemas }>): SourceSet {
  const map = new Map<string, OpenAPIV3.Document>();
  for (const [key, doc] of Object.entries(documents)) {
    map.set(key, { openapi: "3.0.0", info: { title: "t", version: "v" }, paths: (doc.paths ?? {}) as OpenAPIV3.PathsObject, components: { schemas: doc.schemas as never } });
  }
  return { origin: "test", groupVersions: deriveDiscoveryFromOpenApiV3(map), openapi: { kind: "v3", documents: map }, hashes: new Map(), skipped: [], warnings: [] };
}

function findType(model: ApiModel, module: string, name: string): NamedType {
  const found = model.modules.find((m) => m.key === module)?.types.find((t) => t.name === name);
  if (!found) throw new Error(`no type ${name} in ${module}: ${model.modules.map((m) => `${m.key}[${m.types.map((t) => t.name)}]`).join(" ")}`);
  return found;
}

/** TypeScript text of each property of an object type, with references by plain name. */
function propertyTexts(type: NamedType): Record<string, string> {
  const object = type.type as ObjectSchema;
  return Object.fromEntries(object.properties.map((p) => [p.name, `${p.required ? "" : "?"}${typeText(p.type, (r) => r.name)}`]));
}

const apimachinery: Schemas = {
  [`${META}.ObjectMeta`]: { type: "object", properties: { name: { type: "string" }, creationTimestamp: { allOf: [ref(`${META}.Time`)], description: "when" } } },
  [`${META}.ListMeta`]: { type: "object", properties: { continue: { type: "string" } } },
  [`${META}.Time`]: { type: "string", format: "date-time" },
  [`${META}.MicroTime`]: { type: "string", format: "date-time" },
  [`${META}.DeleteOptions`]: {
    type: "object",
    properties: { kind: { type: "string" }, apiVersion: { type: "string" } },
    "x-kubernetes-group-version-kind": [
      { group: "", version: "v1", kind: "DeleteOptions" },
      { group: "batch", version: "v1", kind: "DeleteOptions" },
    ],
  },
  "io.k8s.apimachinery.pkg.api.resource.Quantity": { oneOf: [{ type: "string" }, { type: "number" }] },
  "io.k8s.apimachinery.pkg.util.intstr.IntOrString": { type: "string", format: "int-or-string" },
  "io.k8s.apimachinery.pkg.runtime.RawExtension": { type: "object", description: "anything" },
};

describe("type mapping", () => {
  const widgetSchemas: Schemas = {
    ...apimachinery,
    "io.k8s.api.demo.v1.Widget": {
      type: "object",
      required: ["spec"],
      properties: {
        apiVersion: { type: "string" },
        kind: { type: "string" },
        metadata: { allOf: [ref(`${META}.ObjectMeta`)], default: {} },
        spec: { allOf: [ref("io.k8s.api.demo.v1.WidgetSpec")] },
      },
      ...gvk("demo.example.com", "v1", "Widget"),
    },
    "io.k8s.api.demo.v1.WidgetSpec": {
      type: "object",
      required: ["mode"],
      properties: {
        port: ref("io.k8s.apimachinery.pkg.util.intstr.IntOrString"),
        inlinePort: { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] },
        memory: ref("io.k8s.apimachinery.pkg.api.resource.Quantity"),
        seenAt: ref(`${META}.MicroTime`),
        data: { type: "string", format: "byte" },
        big: { type: "integer", format: "int64" },
        small: { type: "integer", format: "int32" },
        ratio: { type: "number", format: "double" },
        mode: { type: "string", enum: ["B", "A"] },
        limits: { type: "object", additionalProperties: ref("io.k8s.apimachinery.pkg.api.resource.Quantity") },
        free: { type: "object", "x-kubernetes-preserve-unknown-fields": true, properties: { known: { type: "boolean" } } },
        anyValue: { "x-kubernetes-preserve-unknown-fields": true },
        embedded: { type: "object", "x-kubernetes-embedded-resource": true },
        embeddedOpen: { type: "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true },
        raw: ref("io.k8s.apimachinery.pkg.runtime.RawExtension"),
        maybe: { type: "string", nullable: true },
        tags: { type: "array", items: { type: "string" }, "x-kubernetes-list-type": "set" },
      },
    },
    "io.k8s.api.demo.v1.Props": {
      type: "object",
      properties: { items: ref("io.k8s.api.demo.v1.Props"), properties: { type: "object", additionalProperties: ref("io.k8s.api.demo.v1.Props") } },
    },
  };
  const model = buildModel(sources({ "demo.example.com/v1": { paths: resourcePaths("demo.example.com", "v1", "widgets", "Widget"), schemas: widgetSchemas } }));

  it("maps Kubernetes formats and extensions to TypeScript types", () => {
    const spec = findType(model, "demo.example.com/v1", "WidgetSpec");
    expect(propertyTexts(spec)).toEqual({
      anyValue: "?unknown",
      big: "?number",
      data: "?string",
      embedded: "?{ apiVersion?: string; kind?: string; metadata?: ObjectMeta }",
      embeddedOpen: "?{ apiVersion?: string; kind?: string; metadata?: ObjectMeta; [key: string]: unknown }",
      free: "?WidgetSpecFree",
      inlinePort: "?number | string",
      limits: "?{ [key: string]: Quantity }",
      maybe: "?string | null",
      memory: "?Quantity",
      mode: '"A" | "B"',
      port: "?IntOrString",
      ratio: "?number",
      raw: "?RawExtension",
      seenAt: "?MicroTime",
      small: "?number",
      tags: "?string[]",
    });
    expect((spec.type as ObjectSchema).properties.find((p) => p.name === "tags")?.type).toMatchObject({ kind: "array", listType: "set" });
    // preserve-unknown-fields with known properties: the known ones typed, any others allowed.
    const free = findType(model, "demo.example.com/v1", "WidgetSpecFree");
    expect(typeText(free.type, (r) => r.name)).toBe("{ known?: boolean; [key: string]: unknown }");
    expect(free.type).toMatchObject({ preserveUnknownFields: true });
  });

  it("turns the apimachinery aliases into string, number | string and unknown", () => {
    const text = (name: string) => typeText(findType(model, "meta/v1", name).type, (r) => r.name);
    expect(text("Quantity")).toBe("string | number");
    expect(text("IntOrString")).toBe("number | string");
    expect(text("MicroTime")).toBe("string");
    expect(text("RawExtension")).toBe("unknown");
  });

  it("gives a kind with exactly one group/version/kind literal apiVersion and kind, and typed metadata", () => {
    expect(propertyTexts(findType(model, "demo.example.com/v1", "Widget"))).toEqual({
      apiVersion: '?"demo.example.com/v1"',
      kind: '?"Widget"',
      metadata: "?ObjectMeta",
      spec: "WidgetSpec",
    });
  });

  it("keeps recursive schemas as references", () => {
    expect(propertyTexts(findType(model, "demo.example.com/v1", "Props"))).toEqual({ items: "?Props", properties: "?{ [key: string]: Props }" });
  });

  it("keeps apiVersion and kind as strings on types with several kinds (DeleteOptions)", () => {
    const full = buildModel(
      sources({ "demo.example.com/v1": { paths: resourcePaths("demo.example.com", "v1", "widgets", "Widget"), schemas: { ...widgetSchemas, "io.k8s.api.demo.v1.Uses": { type: "object", properties: { options: ref(`${META}.DeleteOptions`) } } } } }),
    );
    expect(propertyTexts(findType(full, "meta/v1", "DeleteOptions"))).toEqual({ apiVersion: "?string", kind: "?string" });
  });
});

describe("inline CRD schemas", () => {
  const certificate = {
    type: "object",
    properties: {
      apiVersion: { type: "string" },
      kind: { type: "string" },
      metadata: { type: "object" },
      spec: {
        type: "object",
        properties: {
          keystores: { type: "object", properties: { jks: { type: "object", properties: { create: { type: "boolean" } } } } },
          dnsNames: { type: "array", items: { type: "string" } },
          usages: { type: "array", items: { type: "object", properties: { name: { type: "string" } } } },
          "x-y": { type: "object", properties: { z: { type: "string" } } },
        },
      },
    },
    ...gvk("cert-manager.io", "v1", "Certificate"),
  };
  const crdSources = (extra: Schemas = {}) =>
    sources({
      "cert-manager.io/v1": {
        paths: resourcePaths("cert-manager.io", "v1", "certificates", "Certificate"),
        schemas: { ...apimachinery, "io.cert-manager.v1.Certificate": certificate, ...extra },
      },
    });

  it("names nested objects from kind and path, array items with Item", () => {
    const model = buildModel(crdSources());
    const names = model.modules.find((m) => m.key === "cert-manager.io/v1")!.types.map((t) => t.name);
    expect(names).toEqual(["Certificate", "CertificateSpec", "CertificateSpecKeystores", "CertificateSpecKeystoresJks", "CertificateSpecUsagesItem", "CertificateSpecXY"]);
    expect(findType(model, "cert-manager.io/v1", "CertificateSpecKeystoresJks").source).toBe(
      "io.cert-manager.v1.Certificate/properties/spec/properties/keystores/properties/jks",
    );
    expect(propertyTexts(findType(model, "cert-manager.io/v1", "CertificateSpec"))).toMatchObject({ dnsNames: "?string[]", usages: "?CertificateSpecUsagesItem[]" });
  });

  it("never takes a definition's name: the inline object gets a number", () => {
    const model = buildModel(crdSources({ "io.cert-manager.v1.CertificateSpec": { type: "object", properties: { other: { type: "string" } } } }));
    expect(propertyTexts(findType(model, "cert-manager.io/v1", "Certificate")).spec).toBe("?CertificateSpec2");
    expect(propertyTexts(findType(model, "cert-manager.io/v1", "CertificateSpec"))).toEqual({ other: "?string" });
  });

  it("is deterministic whatever order the documents list schemas in", () => {
    const reversed = crdSources();
    const document = (reversed.openapi as { documents: Map<string, OpenAPIV3.Document> }).documents.get("cert-manager.io/v1")!;
    document.components!.schemas = Object.fromEntries(Object.entries(document.components!.schemas!).reverse());
    expect(JSON.stringify(buildModel(reversed))).toBe(JSON.stringify(buildModel(crdSources())));
  });
});

describe("ownership", () => {
  const documents = {
    "batch/v1": {
      paths: resourcePaths("batch", "v1", "jobs", "Job"),
      schemas: {
        ...apimachinery,
        "io.k8s.api.batch.v1.Job": { type: "object", properties: { metadata: ref(`${META}.ObjectMeta`), spec: ref("io.k8s.api.batch.v1.JobSpec") }, ...gvk("batch", "v1", "Job") },
        "io.k8s.api.batch.v1.JobSpec": { type: "object", properties: { template: ref("io.k8s.api.core.v1.PodTemplateSpec"), rule: ref("io.k8s.api.rbac.v1.PolicyRule") } },
        "io.k8s.api.core.v1.PodTemplateSpec": { type: "object", properties: { name: { type: "string" } } },
        "io.k8s.api.rbac.v1.PolicyRule": { type: "object", properties: { verbs: { type: "array", items: { type: "string" } } } },
      },
    },
    "core/v1": {
      paths: resourcePaths("", "v1", "pods", "Pod"),
      schemas: { ...apimachinery, "io.k8s.api.core.v1.Pod": { type: "object", properties: {}, ...gvk("", "v1", "Pod") } },
    },
    "rbac.authorization.k8s.io/v1": { paths: resourcePaths("rbac.authorization.k8s.io", "v1", "roles", "Role"), schemas: {} },
  };

  it("puts each definition in the module of its package's kinds, apimachinery in meta/v1", () => {
    const model = buildModel(sources(documents), { groups: ["batch"] });
    const where = Object.fromEntries(model.modules.flatMap((m) => m.types.map((t) => [t.source, m.key])));
    expect(where).toMatchObject({
      "io.k8s.api.batch.v1.Job": "batch/v1",
      "io.k8s.api.batch.v1.JobSpec": "batch/v1",
      "io.k8s.api.core.v1.PodTemplateSpec": "core/v1",
      // No kind of io.k8s.api.rbac.v1 is in the documents: matched to the served group by name.
      "io.k8s.api.rbac.v1.PolicyRule": "rbac.authorization.k8s.io/v1",
      [`${META}.ObjectMeta`]: "meta/v1",
      [`${META}.Time`]: "meta/v1",
    });
    // Only what the selection reaches: Pod belongs to core/v1, which is not selected and not referenced.
    expect(where["io.k8s.api.core.v1.Pod"]).toBeUndefined();
    expect(model.groups.map((g) => g.name)).toEqual(["batch"]);
  });

  it("puts io.k8s.api.core types in core/v1 when discovery was already narrowed to the selection (OpenAPI v3, --groups batch)", () => {
    const narrowed = sources({ "batch/v1": documents["batch/v1"] });
    expect(narrowed.groupVersions.map((gv) => `${gv.group}/${gv.version}`)).toEqual(["batch/v1"]);
    const model = buildModel(narrowed, { groups: ["batch"] });
    const where = Object.fromEntries(model.modules.flatMap((m) => m.types.map((t) => [t.source, m.key])));
    expect(where["io.k8s.api.core.v1.PodTemplateSpec"]).toBe("core/v1");
  });

  it("selects the core group by `v1`, `core` or `core/v1`", () => {
    for (const entry of ["v1", "core", "core/v1"]) {
      expect(buildModel(sources(documents), { groups: [entry] }).groups.map((g) => g.versions.map((v) => v.key))).toEqual([["core/v1"]]);
    }
  });
});

describe("errors name the document and JSON pointer", () => {
  it("reports a dangling $ref", () => {
    const broken = sources({ "batch/v1": { schemas: { "io.k8s.api.batch.v1.Job": { type: "object", properties: { spec: { allOf: [ref("io.k8s.api.batch.v1.Missing")] } } } } } });
    expect(() => buildModel(broken)).toThrow(ModelError);
    expect(() => buildModel(broken)).toThrow(
      'openapi/v3 batch/v1: schema #/components/schemas/io.k8s.api.batch.v1.Job/properties/spec/allOf/0/$ref is a dangling reference "#/components/schemas/io.k8s.api.batch.v1.Missing"',
    );
  });

  it("reports a schema that is not an object, and an unknown type", () => {
    const notObject = sources({ "batch/v1": { schemas: { "io.k8s.api.batch.v1.Job": { type: "object", properties: { spec: "oops" } } } } });
    expect(() => buildModel(notObject)).toThrow(/openapi\/v3 batch\/v1: schema #\/components\/schemas\/io\.k8s\.api\.batch\.v1\.Job\/properties\/spec is a string, expected a schema object/);
    const badType = sources({ "batch/v1": { schemas: { "io.k8s.api.batch.v1.Job": { type: "thing" } } } });
    expect(() => buildModel(badType)).toThrow(/has type "thing"/);
  });

  it("reports a resource whose kind is not an object schema", () => {
    const notObject = sources({
      "batch/v1": { paths: resourcePaths("batch", "v1", "jobs", "Job"), schemas: { "io.k8s.api.batch.v1.Job": { type: "string", ...gvk("batch", "v1", "Job") } } },
    });
    expect(() => buildModel(notObject)).toThrow(
      "openapi/v3 batch/v1: schema #/components/schemas/io.k8s.api.batch.v1.Job declares kind Job of resource batch/v1 jobs but is not an object schema",
    );
  });

  it("reports a --groups entry that matches nothing, listing what is served", () => {
    const served = sources({ "batch/v1": { paths: resourcePaths("batch", "v1", "jobs", "Job"), schemas: {} } });
    expect(() => buildModel(served, { groups: ["apps/v1"] })).toThrow('groups entry "apps/v1" matches no served group/version; served: batch/v1');
  });
});

describe("summarizeModel", () => {
  it("is JSON-serializable, deterministic and lists resources, verbs and property types", () => {
    const model = buildModel(
      sources({
        "batch/v1": {
          paths: resourcePaths("batch", "v1", "jobs", "Job"),
          schemas: { ...apimachinery, "io.k8s.api.batch.v1.Job": { type: "object", required: ["kind"], properties: { kind: { type: "string" }, metadata: ref(`${META}.ObjectMeta`) }, ...gvk("batch", "v1", "Job") } },
        },
      }),
    );
    const summary = summarizeModel(model);
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
    expect(JSON.stringify(summarizeModel(model))).toBe(JSON.stringify(summary));
    expect(summary.groupVersions["batch/v1"]).toEqual({
      preferred: true,
      resources: { jobs: { kind: "Job", namespaced: true, verbs: ["create", "get"], subresources: {} } },
      types: { Job: { kind: { type: '"Job"', required: true }, metadata: { type: "ObjectMeta", required: false } } },
    });
    expect(Object.keys(summary.groupVersions)).toEqual(["batch/v1", "meta/v1"]);
    expect(summary.groupVersions["meta/v1"]!.types["Time"]).toEqual({ "": { type: "string", required: true } });
  });
});

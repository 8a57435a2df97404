// Writes the golden cases' input documents (test/golden/<case>/input/...): small OpenAPI v3 documents
// shaped like the API server's, with hostile names and descriptions where a case needs them.
// Usage: node test/golden/make-inputs.mjs test/golden   (then UPDATE_GOLDEN=1 to refresh expected output)
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
const root = process.argv[2];

const ref = (name) => ({ $ref: `#/components/schemas/${name}` });
const wrap = (name, extra = {}) => ({ allOf: [ref(name)], ...extra });
const json = (schema) => ({ content: { "application/json": { schema } }, description: "OK" });

/** Paths for one resource as the API server publishes them (actions + GVK on each operation). */
function resourcePaths({ group, version, plural, kind, namespaced, verbs, schema, subresources = {}, watchPaths = true }) {
  const base = group === "" ? `/api/${version}` : `/apis/${group}/${version}`;
  const scope = namespaced ? `${base}/namespaces/{namespace}` : base;
  const gvk = { group, version, kind };
  const op = (action, extra = {}) => ({ operationId: `${action}${kind}`, "x-kubernetes-action": action, "x-kubernetes-group-version-kind": gvk, responses: { 200: json(ref(schema)) }, ...extra });
  const paths = {};
  const collection = {};
  if (verbs.includes("list")) collection.get = op("list");
  if (verbs.includes("create")) collection.post = op("post");
  if (verbs.includes("deletecollection")) collection.delete = op("deletecollection");
  if (Object.keys(collection).length) paths[`${scope}/${plural}`] = collection;
  const item = {};
  if (verbs.includes("get")) item.get = op("get");
  if (verbs.includes("update")) item.put = op("put");
  if (verbs.includes("patch")) item.patch = op("patch");
  if (verbs.includes("delete")) item.delete = op("delete");
  if (Object.keys(item).length) paths[`${scope}/${plural}/{name}`] = item;
  if (verbs.includes("watch") && watchPaths) {
    paths[`${base}/watch${namespaced ? "/namespaces/{namespace}" : ""}/${plural}`] = { get: op("watchlist") };
  }
  for (const [sub, def] of Object.entries(subresources)) {
    const subGvk = def.gvk ?? gvk;
    const subOp = (action) => ({ operationId: `${action}${kind}${sub}`, "x-kubernetes-action": action, "x-kubernetes-group-version-kind": subGvk, responses: { 200: json(ref(def.schema ?? schema)) } });
    const entry = {};
    if (def.verbs.includes("get")) entry.get = subOp("get");
    if (def.verbs.includes("create")) entry.post = subOp("post");
    if (def.verbs.includes("update")) entry.put = subOp("put");
    if (def.verbs.includes("patch")) entry.patch = subOp("patch");
    paths[`${scope}/${plural}/{name}/${sub}`] = entry;
  }
  return paths;
}

const meta = {
  "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta": {
    description: "ObjectMeta is metadata that all persisted resources must have.",
    type: "object",
    properties: {
      name: { type: "string", description: "Name must be unique within a namespace." },
      namespace: { type: "string" },
      labels: { type: "object", additionalProperties: { type: "string", default: "" } },
      creationTimestamp: wrap("io.k8s.apimachinery.pkg.apis.meta.v1.Time", { description: "When it was created." }),
    },
  },
  "io.k8s.apimachinery.pkg.apis.meta.v1.Time": { description: "Time is a wrapper around time.Time.", type: "string", format: "date-time" },
  "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta": { type: "object", properties: { continue: { type: "string" }, resourceVersion: { type: "string" } } },
};
const typeMeta = (group, version) => ({
  apiVersion: { type: "string", description: "APIVersion defines the versioned schema of this representation of an object." },
  kind: { type: "string", description: "Kind is a string value representing the REST resource this object represents." },
  metadata: wrap("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", { default: {} }),
});
const gvkOf = (group, version, kind) => ({ "x-kubernetes-group-version-kind": [{ group, version, kind }] });

function write(dir, file, doc) {
  const target = path.join(root, dir, "input", file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, JSON.stringify(doc, null, 2) + "\n");
}
const doc = (paths, schemas) => ({ openapi: "3.0.0", info: { title: "Kubernetes", version: "unversioned" }, paths, components: { schemas } });
const all = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

// --- crd-two-versions: a CRD served at v1 and v1beta1, inline schemas, status+scale, plus a cluster-scoped CRD.
{
  const scale = {
    "io.k8s.api.autoscaling.v1.Scale": {
      description: "Scale represents a scaling request for a resource.",
      type: "object",
      properties: { ...typeMeta(), spec: { type: "object", properties: { replicas: { type: "integer", format: "int32" } } } },
      ...gvkOf("autoscaling", "v1", "Scale"),
    },
  };
  const widgetV1 = {
    type: "object",
    description: "Widget is an example custom resource.",
    properties: {
      ...Object.fromEntries(Object.entries(typeMeta()).map(([k, v]) => [k, k === "metadata" ? { type: "object" } : v])),
      spec: {
        type: "object",
        description: "Desired state.",
        required: ["size"],
        properties: {
          size: { type: "string", enum: ["small", "medium", "large"], description: "How big." },
          replicas: { type: "integer", format: "int32", minimum: 0 },
          port: { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] },
          memory: { anyOf: [{ type: "integer" }, { type: "string" }], "x-kubernetes-int-or-string": true, pattern: "^[0-9]+$" },
          ratio: { type: "number", format: "double" },
          caBundle: { type: "string", format: "byte", description: "PEM bundle." },
          timeout: { type: "string", format: "duration" },
          startAt: { type: "string", format: "date-time", nullable: true },
          labels: { type: "object", additionalProperties: { type: "string" } },
          config: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
          anything: { "x-kubernetes-preserve-unknown-fields": true },
          template: { type: "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true },
          keystores: {
            type: "object",
            properties: {
              jks: { type: "object", required: ["create"], properties: { create: { type: "boolean" }, passwordSecretRef: { type: "object", properties: { name: { type: "string" }, key: { type: "string" } } } } },
            },
          },
          ports: {
            type: "array",
            "x-kubernetes-list-type": "map",
            "x-kubernetes-list-map-keys": ["name"],
            items: { type: "object", required: ["name"], properties: { name: { type: "string" }, number: { type: "integer", format: "int64" } } },
          },
          matrix: { type: "array", items: { type: "array", items: { type: "string", enum: ["a", "b"] } } },
        },
      },
      status: {
        type: "object",
        properties: {
          replicas: { type: "integer", format: "int32" },
          conditions: { type: "array", items: { type: "object", properties: { type: { type: "string" }, status: { type: "string", enum: ["True", "False", "Unknown"] } } } },
        },
      },
    },
    ...gvkOf("example.com", "v1", "Widget"),
  };
  const widgetV1beta1 = JSON.parse(JSON.stringify(widgetV1));
  widgetV1beta1["x-kubernetes-group-version-kind"] = [{ group: "example.com", version: "v1beta1", kind: "Widget" }];
  delete widgetV1beta1.properties.spec.properties.keystores;
  widgetV1beta1.properties.spec.properties.legacyMode = { type: "boolean", description: "Only in v1beta1." };
  const list = (group, version, kind) => ({ type: "object", required: ["items"], properties: { ...typeMeta(), items: { type: "array", items: ref(`com.example.${version}.${kind}`) }, metadata: wrap("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta") }, ...gvkOf(group, version, `${kind}List`) });
  const gadget = {
    type: "object",
    description: "Gadget is cluster-scoped.",
    properties: { ...Object.fromEntries(Object.entries(typeMeta()).map(([k, v]) => [k, k === "metadata" ? { type: "object" } : v])), spec: { type: "object", properties: { owner: { type: "string" } } } },
    ...gvkOf("example.com", "v1", "Gadget"),
  };
  for (const [version, widget] of [["v1", widgetV1], ["v1beta1", widgetV1beta1]]) {
    const paths = {
      ...resourcePaths({ group: "example.com", version, plural: "widgets", kind: "Widget", namespaced: true, verbs: all, schema: `com.example.${version}.Widget`, watchPaths: false,
        subresources: { status: { verbs: ["get", "patch", "update"] }, scale: { verbs: ["get", "patch", "update"], gvk: { group: "autoscaling", version: "v1", kind: "Scale" }, schema: "io.k8s.api.autoscaling.v1.Scale" } } }),
      ...(version === "v1" ? resourcePaths({ group: "example.com", version, plural: "gadgets", kind: "Gadget", namespaced: false, verbs: all, schema: "com.example.v1.Gadget", watchPaths: false }) : {}),
    };
    const schemas = { ...meta, ...scale, [`com.example.${version}.Widget`]: widget, [`com.example.${version}.WidgetList`]: list("example.com", version, "Widget") };
    if (version === "v1") schemas["com.example.v1.Gadget"] = gadget;
    write("crd-two-versions", `apis/example.com/${version}.json`, doc(paths, schemas));
  }
  // The scale body lives in autoscaling/v1, which the server serves too (types only here: no resources).
  write("crd-two-versions", "apis/autoscaling/v1.json", doc({}, { ...meta, ...scale }));
}

// --- subresource-verbs: create-only resources, cluster-scoped resources, subresources with their own verbs.
{
  const obj = (group, version, kind, props = {}) => ({ type: "object", description: `${kind} object.`, properties: { ...typeMeta(), ...props }, ...gvkOf(group, version, kind) });
  const core = {
    ...meta,
    "io.k8s.api.core.v1.Binding": obj("", "v1", "Binding", { target: { type: "object", properties: { name: { type: "string" } } } }),
    "io.k8s.api.core.v1.Namespace": obj("", "v1", "Namespace", { spec: wrap("io.k8s.api.core.v1.NamespaceSpec") }),
    "io.k8s.api.core.v1.NamespaceSpec": { type: "object", properties: { finalizers: { type: "array", items: { type: "string" }, "x-kubernetes-list-type": "atomic" } } },
    "io.k8s.api.core.v1.Pod": obj("", "v1", "Pod", { spec: { type: "object", properties: { nodeName: { type: "string" } } } }),
    "io.k8s.api.core.v1.ServiceAccount": obj("", "v1", "ServiceAccount"),
    "io.k8s.api.authentication.v1.TokenRequest": obj("authentication.k8s.io", "v1", "TokenRequest", { spec: { type: "object", properties: { audiences: { type: "array", items: { type: "string" } } } } }),
    "io.k8s.api.policy.v1.Eviction": obj("policy", "v1", "Eviction"),
  };
  const paths = {
    ...resourcePaths({ group: "", version: "v1", plural: "bindings", kind: "Binding", namespaced: true, verbs: ["create"], schema: "io.k8s.api.core.v1.Binding" }),
    ...resourcePaths({ group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false, verbs: ["create", "delete", "get", "list", "patch", "update", "watch"], schema: "io.k8s.api.core.v1.Namespace",
      subresources: { finalize: { verbs: ["update"] }, status: { verbs: ["get", "patch", "update"] } } }),
    ...resourcePaths({ group: "", version: "v1", plural: "pods", kind: "Pod", namespaced: true, verbs: all, schema: "io.k8s.api.core.v1.Pod",
      subresources: {
        eviction: { verbs: ["create"], gvk: { group: "policy", version: "v1", kind: "Eviction" }, schema: "io.k8s.api.policy.v1.Eviction" },
        binding: { verbs: ["create"], gvk: { group: "", version: "v1", kind: "Binding" }, schema: "io.k8s.api.core.v1.Binding" },
        status: { verbs: ["get", "patch", "update"] },
      } }),
    ...resourcePaths({ group: "", version: "v1", plural: "serviceaccounts", kind: "ServiceAccount", namespaced: true, verbs: all, schema: "io.k8s.api.core.v1.ServiceAccount",
      subresources: { token: { verbs: ["create"], gvk: { group: "authentication.k8s.io", version: "v1", kind: "TokenRequest" }, schema: "io.k8s.api.authentication.v1.TokenRequest" } } }),
  };
  // connect subresources (exec) publish one operation per HTTP method with action "connect".
  paths["/api/v1/namespaces/{namespace}/pods/{name}/exec"] = {
    get: { "x-kubernetes-action": "connect", "x-kubernetes-group-version-kind": { group: "", version: "v1", kind: "PodExecOptions" }, responses: { 200: json({ type: "string" }) } },
    post: { "x-kubernetes-action": "connect", "x-kubernetes-group-version-kind": { group: "", version: "v1", kind: "PodExecOptions" }, responses: { 200: json({ type: "string" }) } },
  };
  write("subresource-verbs", "api/v1.json", doc(paths, core));
  const review = { ...meta, "io.k8s.api.authentication.v1.TokenReview": obj("authentication.k8s.io", "v1", "TokenReview", { spec: { type: "object", properties: { token: { type: "string" } } } }), "io.k8s.api.authentication.v1.TokenRequest": core["io.k8s.api.authentication.v1.TokenRequest"] };
  write("subresource-verbs", "apis/authentication.k8s.io/v1.json", doc(
    resourcePaths({ group: "authentication.k8s.io", version: "v1", plural: "tokenreviews", kind: "TokenReview", namespaced: false, verbs: ["create"], schema: "io.k8s.api.authentication.v1.TokenReview" }),
    review,
  ));
  write("subresource-verbs", "apis/policy/v1.json", doc({}, { ...meta, "io.k8s.api.policy.v1.Eviction": core["io.k8s.api.policy.v1.Eviction"] }));
}

// --- name-collisions: the same kind in two groups, a cross-group reference that needs an import alias.
{
  const thing = (group, version, pkg, extra = {}) => ({
    [`${pkg}.Thing`]: { type: "object", description: `Thing of ${group}.`, properties: { ...typeMeta(), spec: wrap(`${pkg}.ThingSpec`), ...extra }, ...gvkOf(group, version, "Thing") },
    [`${pkg}.ThingSpec`]: { type: "object", properties: { color: { type: "string" }, item: { type: "object", properties: { id: { type: "string" } } } } },
    // A definition named like the inline object above would be: the definition keeps the name.
    [`${pkg}.ThingSpecItem`]: { type: "object", description: "A definition, not the inline item.", properties: { weight: { type: "integer" } } },
  });
  const a = thing("a.example.com", "v1", "com.example.a.v1");
  const b = thing("b.example.com", "v1", "com.example.b.v1", { mirror: wrap("com.example.a.v1.Thing", { description: "The Thing of group a this one mirrors." }) });
  b["com.example.b.v1.ThingSpec"].properties.extra = wrap("com.example.b.v1.ThingSpecItem");
  write("name-collisions", "apis/a.example.com/v1.json", doc(resourcePaths({ group: "a.example.com", version: "v1", plural: "things", kind: "Thing", namespaced: true, verbs: all, schema: "com.example.a.v1.Thing" }), { ...meta, ...a }));
  write("name-collisions", "apis/b.example.com/v1.json", doc(resourcePaths({ group: "b.example.com", version: "v1", plural: "things", kind: "Thing", namespaced: true, verbs: all, schema: "com.example.b.v1.Thing" }), { ...meta, ...a, ...b }));
}

// --- hostile: descriptions and names that would break naive generated code.
{
  const nasty = "Ends a comment */ here; line\u2028separator and paragraph\u2029separator; NUL \u0000 byte; `backticks` and ${template} and \\ backslash; \"quotes\"; @param tag";
  const object = {
    type: "object",
    description: nasty,
    properties: {
      ...typeMeta(),
      spec: {
        type: "object",
        description: "/* nested */ comment opener and closer */",
        properties: {
          __proto__x: { type: "string" },
          ["__proto__"]: { type: "string", description: "The prototype key." },
          constructor: { type: "string" },
          delete: { type: "boolean" },
          "x-y": { type: "string" },
          "$ref": { type: "string" },
          "1abc": { type: "integer" },
          "": { type: "string", description: "The empty key." },
          "with space": { type: "string" },
          "quote\"d": { type: "string", enum: ["a\"b", "${x}", "`tick`", "line\u2028sep"] },
          weird: { type: "object", properties: { "x-y": { type: "object", properties: { z: { type: "string" } } } } },
        },
      },
    },
    ...gvkOf("hostile.example.com", "v1", "Object"),
  };
  const fn = { type: "object", description: "Function kind: its type name must not shadow the global.", properties: { ...typeMeta(), body: { type: "string" } }, ...gvkOf("hostile.example.com", "v1", "Function") };
  const del = { type: "object", properties: { ...typeMeta(), when: { type: "string" } }, ...gvkOf("hostile.example.com", "v1", "Delete") };
  const paths = {
    ...resourcePaths({ group: "hostile.example.com", version: "v1", plural: "objects", kind: "Object", namespaced: true, verbs: all, schema: "com.example.hostile.v1.Object" }),
    ...resourcePaths({ group: "hostile.example.com", version: "v1", plural: "functions", kind: "Function", namespaced: false, verbs: ["get", "list"], schema: "com.example.hostile.v1.Function" }),
    ...resourcePaths({ group: "hostile.example.com", version: "v1", plural: "delete", kind: "Delete", namespaced: true, verbs: ["create"], schema: "com.example.hostile.v1.Delete" }),
  };
  write("hostile", "apis/hostile.example.com/v1.json", doc(paths, { ...meta, "com.example.hostile.v1.Object": object, "com.example.hostile.v1.Function": fn, "com.example.hostile.v1.Delete": del }));
}

import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { emitModules } from "../../../generator/emit/index.js";
import {
  buildModel,
  commonType,
  describeOmissions,
  describeType,
  intersectModels,
  summarizeModel,
  type ApiModel,
  type NamedType,
  type ResourceModel,
  type SchemaType,
} from "../../../generator/model/index.js";
import { loadOpenApiV3Folder } from "../../../generator/sources/openapi-folder.js";
import { describeWithSharedData } from "../../support/shared-data.js";
import { makeTempDir } from "../../support/tmp.js";
import { typecheckFolder, writeFiles } from "../../corpus/support/typecheck.js";

const text = (type: SchemaType | undefined) => (type === undefined ? "none" : describeType(type));
const str = (values?: string[]): SchemaType => (values === undefined ? { kind: "string" } : { kind: "string", enum: values });
const ref = (module: string, name: string): SchemaType => ({ kind: "ref", target: { module, name } });
const object = (properties: Array<[string, SchemaType, boolean?]>): SchemaType => ({
  kind: "object",
  properties: properties.map(([name, type, required]) => ({ name, type, required: required === true })),
});

/** commonType both ways round: the rules are symmetric. */
function both(a: SchemaType, b: SchemaType): string {
  const forth = text(commonType(a, b));
  expect(text(commonType(b, a)), `${text(a)} ∩ ${text(b)}`).toBe(forth);
  return forth;
}

describe("commonType: the form both targets accept", () => {
  it("narrows enums and scalars to what both accept", () => {
    expect(both(str(["A", "B", "C"]), str(["A", "B"]))).toBe('"A" | "B"');
    expect(both(str(), str(["A", "B"]))).toBe('"A" | "B"');
    expect(both(str(["A"]), str(["B"]))).toBe("none");
    expect(both({ kind: "intOrString" }, str())).toBe("string");
    expect(both({ kind: "intOrString" }, { kind: "number", integer: true })).toBe("number");
    expect(both(str(), { kind: "number", integer: false })).toBe("none");
    expect(both({ kind: "literal", value: "v1" }, str())).toBe('"v1"');
    expect(both({ kind: "literal", value: "v1" }, str(["v2"]))).toBe("none");
    expect(both({ kind: "unknown" }, ref("core/v1", "Pod"))).toBe("Pod");
    expect(both({ kind: "union", variants: [str(), { kind: "number", integer: false }] }, str())).toBe("string");
    expect(both({ ...str(), nullable: true }, { ...str(), nullable: true })).toBe("string | null");
    expect(both({ ...str(), nullable: true }, str())).toBe("string");
    expect(both({ kind: "array", items: str(["A", "B"]) }, { kind: "array", items: str(["B"]) })).toBe('Array<"B">');
  });

  it("keeps fields both have, required when either requires them", () => {
    const a = object([["name", str(), true], ["old", str()], ["mode", str(["x", "y"])]]);
    const b = object([["name", str()], ["new", str()], ["mode", str(["y", "z"])]]);
    expect(both(a, b)).toBe('{ "name": string; "mode"?: "y" }');
    expect(both(object([["n", str()]]), object([["n", { kind: "boolean" }]]))).toBe("{  }");
  });

  it("meets two differently named types in their common fields, given the types", () => {
    const types: Record<string, NamedType> = {
      "A/Old": { name: "Old", source: "a", groupVersionKinds: [], type: object([["limits", str()], ["claims", str()]]) },
      "B/New": { name: "New", source: "b", groupVersionKinds: [], type: object([["limits", str()], ["requests", str()]]) },
    };
    const context = { typeOfA: (r: { module: string; name: string }) => types[`${r.module}/${r.name}`], typeOfB: (r: { module: string; name: string }) => types[`${r.module}/${r.name}`] };
    expect(text(commonType(ref("A", "Old"), ref("B", "New")))).toBe("none");
    expect(text(commonType(ref("A", "Old"), ref("B", "New"), context))).toBe('{ "limits"?: string }');
    expect(text(commonType(ref("A", "Old"), ref("A", "Old"), context))).toBe("Old");
  });
});

/** A tiny model: one group/version with the given resources and types. */
function model(origin: string, key: string, resources: ResourceModel[], types: NamedType[]): ApiModel {
  const [group, version] = key.split("/") as [string, string];
  return {
    origin,
    groups: [{ name: group, versions: [{ group, version, key, preferred: true, resources }] }],
    modules: [{ key, group, version, types }],
    warnings: [],
  };
}

const resource = (plural: string, verbs: ResourceModel["verbs"], extra: Partial<ResourceModel> = {}): ResourceModel => ({
  plural,
  singular: plural.slice(0, -1),
  kind: plural[0]!.toUpperCase() + plural.slice(1, -1),
  namespaced: true,
  verbs,
  shortNames: [],
  categories: [],
  subresources: [],
  ...extra,
});
const named = (name: string, type: SchemaType, extra: Partial<NamedType> = {}): NamedType => ({ name, source: name, groupVersionKinds: [], type, ...extra });

describe("intersectModels on small models", () => {
  const old = model("old", "x.io/v1", [
    resource("widgets", ["get", "list", "watch"], { objectType: { module: "x.io/v1", name: "Widget" }, subresources: [{ name: "status", kind: "Widget", verbs: ["get", "patch"] }] }),
    resource("gadgets", ["get"]),
  ], [
    named("Widget", object([["spec", ref("x.io/v1", "Spec")], ["size", { kind: "number", integer: true }]]), { description: "old words" }),
    named("Spec", object([["a", str()]])),
    named("Gone", { kind: "array", items: ref("x.io/v1", "OnlyOld") }),
    named("OnlyOld", object([])),
  ]);
  const next = model("new", "x.io/v1", [
    resource("widgets", ["get", "list", "create"], { objectType: { module: "x.io/v1", name: "Widget" }, subresources: [{ name: "status", kind: "Widget", verbs: ["get"] }, { name: "scale", kind: "Scale", verbs: ["get"] }] }),
  ], [
    named("Widget", object([["spec", ref("x.io/v1", "Spec")], ["size", str()], ["added", str()]]), { description: "new words", deprecated: "use gadgets" }),
    named("Spec", object([["a", str()], ["b", str()]])),
    named("Gone", { kind: "array", items: ref("x.io/v1", "OnlyOld") }),
  ]);

  it("keeps resources, verbs, subresources and fields every model has", () => {
    const common = intersectModels([old, next]);
    const version = common.groups[0]!.versions[0]!;
    expect(version.resources.map((r) => `${r.plural}: ${r.verbs.join(",")} [${r.subresources.map((s) => `${s.name}:${s.verbs.join(",")}`).join(" ")}]`)).toEqual([
      "widgets: get,list [status:get]",
    ]);
    const types = Object.fromEntries(common.modules[0]!.types.map((type) => [type.name, describeType(type.type)]));
    // size is a number on one side and a string on the other: no common form, left out. Gone's items type
    // exists on one side only: the alias goes with it.
    expect(types).toEqual({ Spec: '{ "a"?: string }', Widget: '{ "spec"?: Spec }' });
    const widget = common.modules[0]!.types.find((type) => type.name === "Widget")!;
    expect([widget.description, widget.deprecated]).toEqual(["new words", "use gadgets"]);
    expect(common.origin).toBe("old + new");
  });

  it("keeps the selectable fields every target lists; a target listing none leaves fields() open", () => {
    const widgets = (selectableFields?: string[]) => resource("widgets", ["list"], selectableFields ? { selectableFields } : {});
    const fieldsOf = (...lists: Array<string[] | undefined>) =>
      intersectModels(lists.map((list, index) => model(`t${index}`, "x.io/v1", [widgets(list)], []))).groups[0]!.versions[0]!.resources[0]!.selectableFields;
    expect(fieldsOf(["spec.color", "spec.size"], ["spec.color", "spec.shape"])).toEqual(["spec.color"]);
    expect(fieldsOf(["spec.color"], undefined)).toBeUndefined();
    expect(fieldsOf(undefined, ["spec.color"])).toBeUndefined();
    expect(fieldsOf(["spec.size"], ["spec.color"])).toBeUndefined();
  });

  it("says per target what was left out and why", () => {
    const common = intersectModels([old, next]);
    const omitted = describeOmissions(
      [
        { label: "v1.1", summary: summarizeModel(old) },
        { label: "v1.2", summary: summarizeModel(next) },
      ],
      summarizeModel(common),
    );
    const lines = omitted.map((entry) => `${entry.kind} ${entry.subject} ${entry.path}: ${entry.detail} [${entry.targets.join(",")}]`);
    expect(lines).toEqual([
      "conflict type x.io/v1 Gone: every target has it, but it uses or is only used by what was left out (v1.1: Array<OnlyOld> (required); v1.2: Array<OnlyOld> (required)) [v1.1,v1.2]",
      "missing type x.io/v1 OnlyOld: not in v1.2 [v1.2]",
      "missing field x.io/v1 Spec.b: not in v1.1 [v1.1]",
      "missing field x.io/v1 Widget.added: not in v1.1 [v1.1]",
      "conflict field x.io/v1 Widget.size: no form all targets accept (v1.1: number; v1.2: string) [v1.1,v1.2]",
      "missing resource x.io/v1 gadgets: not served by v1.2 [v1.2]",
      "missing verb x.io/v1 widgets verb create: not served by v1.1 [v1.1]",
      "missing verb x.io/v1 widgets verb watch: not served by v1.2 [v1.2]",
      "missing subresource x.io/v1 widgets/scale: not served by v1.1 [v1.1]",
      "missing verb x.io/v1 widgets/status verb patch: not served by v1.2 [v1.2]",
    ]);
  });
});

const projectRoot = fileURLToPath(new URL("../../../", import.meta.url));

describeWithSharedData("openapi-v3", "what Kubernetes 1.25 and 1.35 both serve", (folder) => {
  let v125: ApiModel;
  let v135: ApiModel;
  let common: ApiModel;
  beforeAll(async () => {
    v125 = buildModel(await loadOpenApiV3Folder(path.join(folder, "1.25")));
    v135 = buildModel(await loadOpenApiV3Folder(path.join(folder, "1.35")));
    common = intersectModels([v125, v135]);
  }, 120_000);

  const keys = (m: ApiModel) => m.groups.flatMap((group) => group.versions.map((version) => version.key));
  const propertiesOf = (m: ApiModel, module: string, name: string) => {
    const type = m.modules.find((entry) => entry.key === module)?.types.find((entry) => entry.name === name)?.type;
    return type?.kind === "object" ? type.properties.map((property) => property.name) : [];
  };

  it("leaves out flowcontrol v1beta2 (1.25 only) and PodSpec.schedulingGates (1.35 only), keeps batch/v1", () => {
    expect(keys(v125)).toContain("flowcontrol.apiserver.k8s.io/v1beta2");
    expect(keys(common)).not.toContain("flowcontrol.apiserver.k8s.io/v1beta2");
    expect(keys(common)).not.toContain("resource.k8s.io/v1");
    expect(propertiesOf(v135, "core/v1", "PodSpec")).toContain("schedulingGates");
    expect(propertiesOf(common, "core/v1", "PodSpec")).not.toContain("schedulingGates");
    expect(propertiesOf(common, "core/v1", "PodSpec")).toEqual(expect.arrayContaining(["containers", "volumes", "nodeSelector"]));
    const batch = common.groups.find((group) => group.name === "batch")!.versions.map((version) => version.key);
    expect(batch).toEqual(["batch/v1"]);
    const jobs = common.groups.find((group) => group.name === "batch")!.versions[0]!.resources.map((r) => r.plural);
    expect(jobs).toEqual(["cronjobs", "jobs"]);
    // Renamed between the releases (ResourceRequirements → VolumeResourceRequirements): kept, as the fields both have.
    const pvc = common.modules.find((m) => m.key === "core/v1")!.types.find((t) => t.name === "PersistentVolumeClaimSpec")!;
    const resources = pvc.type.kind === "object" ? pvc.type.properties.find((p) => p.name === "resources") : undefined;
    expect(describeType(resources!.type)).toBe('{ "limits"?: { [key: string]: Quantity }; "requests"?: { [key: string]: Quantity } }');
  });

  it("records what it left out of each, and why", () => {
    const omitted = describeOmissions(
      [
        { label: "v1.25", summary: summarizeModel(v125) },
        { label: "v1.35", summary: summarizeModel(v135) },
      ],
      summarizeModel(common),
    );
    const find = (path: string) => omitted.find((entry) => entry.path === path);
    expect(find("flowcontrol.apiserver.k8s.io/v1beta2")).toEqual({ subject: "groupVersion", path: "flowcontrol.apiserver.k8s.io/v1beta2", kind: "missing", targets: ["v1.35"], detail: "not served by v1.35" });
    expect(find("core/v1 PodSpec.schedulingGates")).toEqual({ subject: "field", path: "core/v1 PodSpec.schedulingGates", kind: "missing", targets: ["v1.25"], detail: "not in v1.25" });
    expect(find("core/v1 PersistentVolumeClaimSpec.resources")?.kind).toBe("narrowed");
    expect(omitted.some((entry) => entry.path.startsWith("batch/v1 ") && entry.subject === "resource")).toBe(false);
    // Only the group/version: its resources and types are not listed one by one.
    expect(omitted.filter((entry) => entry.path.startsWith("flowcontrol.apiserver.k8s.io/v1beta2 "))).toEqual([]);
  });

  it("gives a model whose every value each target accepts: common types are assignable to each target's", async () => {
    const dir = await makeTempDir("intersect-assignable-");
    const runtimeImport = "kubetyped/runtime";
    for (const [name, m] of [["common", common], ["v125", v125], ["v135", v135]] as const) {
      await writeFiles(path.join(dir, name), emitModules(m, { runtimeImport }));
    }
    const checks: string[] = [];
    for (const module of ["core/v1", "apps/v1", "batch/v1"]) {
      const alias = module.replace(/\W/g, "_");
      checks.push(`import type * as c_${alias} from "./common/${module}.js";`);
      for (const target of ["v125", "v135"]) checks.push(`import type * as ${target}_${alias} from "./${target}/${module}.js";`);
      for (const type of common.modules.find((entry) => entry.key === module)!.types) {
        for (const target of ["v125", "v135"]) {
          checks.push(`export const ${target}_${alias}_${type.name} = (value: c_${alias}.${type.name}): ${target}_${alias}.${type.name} => value;`);
        }
      }
    }
    await import("node:fs/promises").then((fs) => fs.writeFile(path.join(dir, "assignable.ts"), `${checks.join("\n")}\n`));
    expect(checks.length).toBeGreaterThan(400);
    expect(await typecheckFolder(dir)).toBe("");
    expect(projectRoot).toBeTruthy();
  }, 240_000);
});

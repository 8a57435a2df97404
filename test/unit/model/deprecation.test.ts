import { readdirSync } from "node:fs";
import path from "node:path";
import { Project, ts } from "ts-morph";
import { beforeAll, describe, expect, it } from "vitest";
import { emitModules } from "../../../generator/emit/index.js";
import { deprecationOf } from "../../../generator/model/deprecation.js";
import { buildModel, type ApiModel, type NamedType } from "../../../generator/model/index.js";
import { loadOpenApiV3Folder } from "../../../generator/sources/openapi-folder.js";
import { loadSources } from "../../../generator/sources/index.js";
import { describeWithSharedData } from "../../support/shared-data.js";
import { makeTempDir } from "../../support/tmp.js";
import { RUNTIME_PATHS, writeFiles } from "../../corpus/support/typecheck.js";


describe("deprecationOf: the wordings of the Kubernetes documents", () => {
  it("finds the deprecating sentence and drops its label", () => {
    // The label wins over other wordings: its sentence says what to do instead.
    expect(deprecationOf("DeprecatedServiceAccount is a deprecated alias for ServiceAccountName. Deprecated: Use serviceAccountName instead.")).toBe(
      "Use serviceAccountName instead.",
    );
    expect(deprecationOf("DeprecatedServiceAccount is a depreciated alias for ServiceAccountName.")).toBe(
      "DeprecatedServiceAccount is a depreciated alias for ServiceAccountName.",
    );
    expect(deprecationOf("Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.")).toBe(
      "selfLink is a legacy read-only field that is no longer populated by the system.",
    );
    expect(deprecationOf("Represents a git repository.  DEPRECATED: GitRepo is deprecated. To provision a container ...")).toBe("GitRepo is deprecated.");
    expect(deprecationOf("Deprecated. Not all kubelets will set this field. Remove field after 1.13.")).toBe("Not all kubelets will set this field.");
    expect(deprecationOf("Binding ties one object to another. Deprecated in 1.7, please use the bindings subresource of pods instead.")).toBe(
      "Deprecated in 1.7, please use the bindings subresource of pods instead.",
    );
    expect(deprecationOf("holds the cluster validation info. Deprecated: This API is deprecated in v1.19+")).toBe("This API is deprecated in v1.19+");
    expect(deprecationOf("A source. This API is deprecated since 1.22: https://git.k8s.io/enhancements")).toBe(
      "This API is deprecated since 1.22: https://git.k8s.io/enhancements",
    );
    expect(deprecationOf("deprecatedCount is the deprecated field assuring backward compatibility with core.v1 Event type.")).toBe(
      "deprecatedCount is the deprecated field assuring backward compatibility with core.v1 Event type.",
    );
    expect(deprecationOf("phase. The field is never populated, and now is deprecated.")).toBe("The field is never populated, and now is deprecated.");
  });

  it("ignores mentions of something else being deprecated", () => {
    for (const description of [
      "Valid options are Retain (default), Delete, and Recycle (deprecated). Recycle must be supported by the plugin.",
      "* FQDN: Represents a Fully Qualified Domain Name. (Deprecated) The EndpointSlice controller only generates IPv4.",
      "This replaces the deprecated `kubernetes.io/ingress.class` annotation. the annotation is officially deprecated, for backwards compatibility",
      "deprecated indicates this version of the custom resource API is deprecated. When set to true, API requests receive a warning header.",
      "The \"kubernetes.io/enforce-mountable-secrets\" annotation is deprecated since v1.32.",
      "Name must be unique.",
    ]) {
      expect(deprecationOf(description), description).toBeUndefined();
    }
  });
});

function typeOf(model: ApiModel, module: string, name: string): NamedType {
  const found = model.modules.find((entry) => entry.key === module)?.types.find((type) => type.name === name);
  if (found === undefined) throw new Error(`${module} ${name} not in the model`);
  return found;
}

function propertyNote(model: ApiModel, module: string, name: string, property: string): string | undefined {
  const type = typeOf(model, module, name).type;
  if (type.kind !== "object") throw new Error(`${module} ${name} is not an object`);
  return type.properties.find((entry) => entry.name === property)?.deprecated;
}

describeWithSharedData("openapi-v3", "deprecations in the real 1.23–1.35 documents", (folder) => {
  const models = new Map<string, ApiModel>();
  beforeAll(async () => {
    for (const version of ["1.23", "1.35"]) models.set(version, buildModel(await loadOpenApiV3Folder(path.join(folder, version))));
  }, 120_000);

  it("marks the deprecated fields, types and resources of 1.35 and leaves their neighbours alone", () => {
    const model = models.get("1.35")!;
    expect(propertyNote(model, "core/v1", "PodSpec", "serviceAccount")).toBe("Use serviceAccountName instead.");
    expect(propertyNote(model, "core/v1", "PodSpec", "serviceAccountName")).toBeUndefined();
    expect(propertyNote(model, "meta/v1", "ObjectMeta", "selfLink")).toMatch(/^selfLink is a legacy read-only field/);
    expect(propertyNote(model, "core/v1", "Volume", "gitRepo")).toMatch(/^GitRepo is deprecated/);
    expect(propertyNote(model, "core/v1", "LifecycleHandler", "tcpSocket")).toMatch(/^TCPSocket is NOT supported/);
    expect(propertyNote(model, "core/v1", "NodeSpec", "externalID")).toBe("Not all kubelets will set this field.");
    expect(propertyNote(model, "events.k8s.io/v1", "Event", "deprecatedCount")).toMatch(/is the deprecated field/);
    expect(propertyNote(model, "meta/v1", "DeleteOptions", "orphanDependents")).toMatch(/^please use the PropagationPolicy/);
    for (const [module, type, property] of [
      ["core/v1", "PersistentVolumeSpec", "persistentVolumeReclaimPolicy"],
      ["discovery.k8s.io/v1", "EndpointSlice", "addressType"],
      ["networking.k8s.io/v1", "IngressSpec", "ingressClassName"],
      ["core/v1", "ServiceAccount", "secrets"],
      ["apiextensions.k8s.io/v1", "CustomResourceDefinitionVersion", "deprecated"],
    ] as const) {
      expect(propertyNote(model, module, type, property), `${type}.${property}`).toBeUndefined();
    }
    expect(typeOf(model, "core/v1", "ComponentStatus").deprecated).toBe("This API is deprecated in v1.19+");
    expect(typeOf(model, "core/v1", "Endpoints").deprecated).toMatch(/deprecated in v1\.33\+/);
    const core = model.groups.find((group) => group.name === "")!.versions[0]!;
    expect(core.resources.find((resource) => resource.plural === "componentstatuses")?.deprecated).toBe("This API is deprecated in v1.19+");
    expect(core.resources.find((resource) => resource.plural === "pods")?.deprecated).toBeUndefined();
  });

  it("marks what older documents deprecate in their own words (1.23)", () => {
    const model = models.get("1.23")!;
    expect(typeOf(model, "core/v1", "Binding").deprecated).toBe("Deprecated in 1.7, please use the bindings subresource of pods instead.");
    expect(typeOf(model, "policy/v1beta1", "PodSecurityPolicy").deprecated).toBe("Deprecated in 1.21.");
    expect(propertyNote(model, "core/v1", "NodeSpec", "configSource")).toBeDefined();
    expect(propertyNote(model, "discovery.k8s.io/v1beta1", "Endpoint", "topology")).toMatch(/^This field is deprecated and will be removed/);
  });

  it("finds deprecations in every version, and only in descriptions that say deprecated", async () => {
    for (const version of readdirSync(folder).sort()) {
      const model = models.get(version) ?? buildModel(await loadOpenApiV3Folder(path.join(folder, version)));
      const notes = model.modules.flatMap((module) =>
        module.types.flatMap((type) => [
          ...(type.deprecated ? [{ at: `${module.key} ${type.name}`, description: type.description ?? "" }] : []),
          ...(type.type.kind === "object" ? type.type.properties.filter((p) => p.deprecated).map((p) => ({ at: `${module.key} ${type.name}.${p.name}`, description: p.description ?? "" })) : []),
        ]),
      );
      expect(notes.length, version).toBeGreaterThan(20);
      for (const note of notes) expect(note.description, note.at).toMatch(/deprecat|depreciat/i);
    }
  }, 240_000);
});

describeWithSharedData("live/v1.20.2-with-crds", "deprecations in the recorded 1.20.2 server (OpenAPI v2)", (folder) => {
  it("marks the same fields from /openapi/v2", async () => {
    const model = buildModel(await loadSources({ from: folder, groups: ["core/v1"] }), { groups: ["core/v1"] });
    expect(propertyNote(model, "core/v1", "PodSpec", "serviceAccount")).toBe("Use serviceAccountName instead.");
    expect(propertyNote(model, "meta/v1", "ObjectMeta", "selfLink")).toBe("Kubernetes will stop propagating this field in 1.20 release and the field is planned to be removed in 1.21 release.");
  });

  it("reads the 1.20 wordings of deprecated group/versions' types", async () => {
    const model = buildModel(await loadSources({ from: folder }));
    expect(typeOf(model, "storage.k8s.io/v1beta1", "CSINode").deprecated).toMatch(/^This group version of CSINode is deprecated by storage\/v1\/CSINode\./);
    expect(typeOf(model, "rbac.authorization.k8s.io/v1beta1", "Role").deprecated).toMatch(/^Deprecated in v1\.17 in favor of rbac\.authorization\.k8s\.io\/v1 Role/);
    expect(typeOf(model, "apiextensions.k8s.io/v1beta1", "CustomResourceDefinition").deprecated).toMatch(/^Deprecated in v1\.16, planned for removal in v1\.22\./);
    expect(typeOf(model, "rbac.authorization.k8s.io/v1", "Role").deprecated).toBeUndefined();
  });
});

describeWithSharedData("openapi-v3/1.35", "what an editor shows for deprecated generated members", (folder) => {
  it("emits @deprecated, which TypeScript reports as deprecated (struck through) where user code uses it", async () => {
    const model = buildModel(await loadOpenApiV3Folder(folder), { groups: ["core/v1"] });
    const files = emitModules(model);
    const core = files.find((file) => file.path === "core/v1.ts")!.content;
    expect(core).toMatch(/@deprecated Use serviceAccountName instead\.\s*\*\/\s*serviceAccount\?: string;/);
    expect(core).toMatch(/@deprecated This API is deprecated in v1\.19\+\s*\*\/\s*export const componentStatuses = /);

    const dir = await makeTempDir("deprecated-");
    await writeFiles(path.join(dir, "k8s"), files);
    const project = new Project({
      compilerOptions: { strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, skipLibCheck: true, noEmit: true, paths: RUNTIME_PATHS },
    });
    project.addSourceFilesAtPaths(path.join(dir, "k8s", "**", "*.ts"));
    const user = project.createSourceFile(
      path.join(dir, "main.ts"),
      [
        'import { componentStatuses, type PodSpec } from "./k8s/core/v1.js";',
        'const spec: PodSpec = { containers: [], serviceAccount: "old" };',
        "console.log(spec.serviceAccount, spec.serviceAccountName, componentStatuses.plural);",
      ].join("\n"),
    );
    const service = project.getLanguageService().compilerObject;
    const deprecated = service
      .getSuggestionDiagnostics(user.getFilePath())
      .filter((diagnostic) => diagnostic.reportsDeprecated)
      .map((diagnostic) => `${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")} @${user.getText().slice(diagnostic.start!, diagnostic.start! + diagnostic.length!)}`);
    expect(deprecated.sort()).toEqual([
      "'componentStatuses' is deprecated. @componentStatuses",
      "'componentStatuses' is deprecated. @componentStatuses",
      // Reading it (`spec.serviceAccount`); TypeScript does not flag keys of object literals.
      "'serviceAccount' is deprecated. @serviceAccount",
    ]);
  }, 120_000);
});

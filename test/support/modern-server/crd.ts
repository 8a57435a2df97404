import { readFile } from "node:fs/promises";
import { parseAllDocuments } from "yaml";
import type { ServedResource } from "./served-api.js";

/** The parts of an `apiextensions.k8s.io/v1` CustomResourceDefinition that discovery and OpenAPI use. */
export interface CustomResourceDefinition {
  /** Where it was read from, for messages (`crds/jobset.yaml#2`). */
  source: string;
  group: string;
  scope: "Namespaced" | "Cluster";
  names: { plural: string; singular: string; kind: string; listKind: string; shortNames: string[]; categories: string[] };
  versions: Array<{
    name: string;
    served: boolean;
    schema?: Record<string, unknown>;
    status: boolean;
    scale: boolean;
  }>;
}

/** The CRD handler lists verbs in this order (apiextensions-apiserver), not sorted like built-in groups. */
const CRD_VERBS = ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"];
const SUBRESOURCE_VERBS = ["get", "patch", "update"];

/** Reads every CustomResourceDefinition of a (multi-document) YAML file; other kinds are an error. */
export async function readCustomResourceDefinitions(file: string): Promise<CustomResourceDefinition[]> {
  const text = await readFile(file, "utf8");
  const documents = parseAllDocuments(text);
  const crds: CustomResourceDefinition[] = [];
  documents.forEach((document, index) => {
    const source = `${file}#${index + 1}`;
    if (document.errors.length > 0) throw new Error(`${source} is not valid YAML: ${document.errors[0]!.message}`);
    const value = document.toJS() as Record<string, unknown> | null;
    if (value === null) return; // an empty document between `---` separators
    crds.push(toCustomResourceDefinition(value, source));
  });
  if (crds.length === 0) throw new Error(`${file} holds no CustomResourceDefinition; pass a file from ../shared/k8s/crds`);
  return crds;
}

function toCustomResourceDefinition(value: Record<string, unknown>, source: string): CustomResourceDefinition {
  if (value["kind"] !== "CustomResourceDefinition" || value["apiVersion"] !== "apiextensions.k8s.io/v1") {
    throw new Error(
      `${source}: expected apiVersion apiextensions.k8s.io/v1, kind CustomResourceDefinition (got ${String(value["apiVersion"])} ${String(value["kind"])})`,
    );
  }
  const spec = value["spec"] as Record<string, unknown> | undefined;
  const names = spec?.["names"] as Record<string, unknown> | undefined;
  const required = (field: string, found: unknown): string => {
    if (typeof found !== "string" || found === "") throw new Error(`${source}: /spec/${field} must be a non-empty string`);
    return found;
  };
  const kind = required("names/kind", names?.["kind"]);
  const plural = required("names/plural", names?.["plural"]);
  const versions = spec?.["versions"];
  if (!Array.isArray(versions) || versions.length === 0) throw new Error(`${source}: /spec/versions must list at least one version`);
  return {
    source,
    group: required("group", spec?.["group"]),
    scope: required("scope", spec?.["scope"]) === "Cluster" ? "Cluster" : "Namespaced",
    names: {
      plural,
      kind,
      singular: typeof names?.["singular"] === "string" ? (names["singular"] as string) : kind.toLowerCase(),
      listKind: typeof names?.["listKind"] === "string" ? (names["listKind"] as string) : `${kind}List`,
      shortNames: stringList(names?.["shortNames"]),
      categories: stringList(names?.["categories"]),
    },
    versions: versions.map((entry: Record<string, unknown>, index) => {
      const subresources = (entry["subresources"] ?? {}) as Record<string, unknown>;
      const schema = (entry["schema"] as { openAPIV3Schema?: Record<string, unknown> } | undefined)?.openAPIV3Schema;
      return {
        name: required(`versions/${index}/name`, entry["name"]),
        served: entry["served"] === true,
        ...(schema === undefined ? {} : { schema }),
        status: subresources["status"] !== undefined,
        scale: subresources["scale"] !== undefined,
      };
    }),
  };
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/** The discovery entry of one CRD version, as the apiextensions-apiserver publishes it. */
export function crdResource(crd: CustomResourceDefinition, version: CustomResourceDefinition["versions"][number]): ServedResource {
  return {
    plural: crd.names.plural,
    singular: crd.names.singular,
    kind: crd.names.kind,
    namespaced: crd.scope === "Namespaced",
    verbs: [...CRD_VERBS],
    shortNames: [...crd.names.shortNames],
    categories: [...crd.names.categories],
    subresources: [
      ...(version.scale ? [{ name: "scale", kind: "Scale", group: "autoscaling", version: "v1", verbs: [...SUBRESOURCE_VERBS] }] : []),
      ...(version.status ? [{ name: "status", kind: crd.names.kind, verbs: [...SUBRESOURCE_VERBS] }] : []),
    ],
  };
}

/** `cert-manager.io` → `io.cert-manager`: the reversed-domain prefix of a CRD's schema names. */
export function reversedGroup(group: string): string {
  return group.split(".").reverse().join(".");
}

/** `cert-manager.io`, `v1` → `CertManagerIoV1`: the group/version part of operation IDs. */
export function operationGroupVersion(group: string, version: string): string {
  const words = [...group.split(/[.-]/), version].filter((word) => word !== "");
  return words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join("");
}

import { groupVersionKey } from "../sources/types.js";
import type { DiscoveredGroupVersion } from "../sources/types.js";
import { compareStrings } from "./definitions.js";
import type { Definition } from "./definitions.js";
import { META_MODULE } from "./ir.js";

export interface ModuleIdentity {
  key: string;
  group: string;
  version: string;
}

export interface Ownership {
  /** Definition key → module identity. */
  ownerOf: Map<string, ModuleIdentity>;
  warnings: string[];
}

const APIMACHINERY = "io.k8s.apimachinery.";
const VERSION_PATTERN = /^v\d+((alpha|beta)\d+)?$/;

/**
 * Decides which module owns each definition. A package (`io.k8s.api.batch.v1`) belongs to the group/version
 * that its kinds declare in `x-kubernetes-group-version-kind`; apimachinery goes to `meta/v1`; a package
 * without kinds is matched against discovery by name (`io.k8s.api.rbac.v1` → `rbac.authorization.k8s.io/v1`).
 */
export function assignOwners(definitions: Map<string, Definition>, discovered: readonly DiscoveredGroupVersion[]): Ownership {
  const warnings: string[] = [];
  const votes = new Map<string, Map<string, ModuleIdentity & { count: number }>>();
  for (const definition of definitions.values()) {
    const pkg = packageOf(definition.key);
    if (pkg.startsWith(APIMACHINERY) || definition.key.startsWith(APIMACHINERY)) continue;
    const gvs = new Set(definition.groupVersionKinds.map((gvk) => groupVersionKey(gvk.group, gvk.version)));
    if (gvs.size !== 1) continue;
    const { group, version } = definition.groupVersionKinds[0]!;
    const key = groupVersionKey(group, version);
    const forPackage = votes.get(pkg) ?? new Map();
    votes.set(pkg, forPackage);
    const vote = forPackage.get(key) ?? { key, group, version, count: 0 };
    vote.count += 1;
    forPackage.set(key, vote);
  }
  const packageOwner = new Map<string, ModuleIdentity>();
  for (const [pkg, candidates] of [...votes.entries()].sort(([a], [b]) => compareStrings(a, b))) {
    const ranked = [...candidates.values()].sort((a, b) => b.count - a.count || compareStrings(a.key, b.key));
    const winner = ranked[0]!;
    if (ranked.length > 1) {
      warnings.push(`package ${pkg} declares kinds of ${ranked.map((c) => c.key).join(", ")}; its types go to ${winner.key}`);
    }
    packageOwner.set(pkg, { key: winner.key, group: winner.group, version: winner.version });
  }

  const ownerOf = new Map<string, ModuleIdentity>();
  for (const definition of definitions.values()) {
    const pkg = packageOf(definition.key);
    if (definition.key.startsWith(APIMACHINERY)) {
      ownerOf.set(definition.key, { key: META_MODULE, group: "", version: "v1" });
      continue;
    }
    let owner = packageOwner.get(pkg);
    if (owner === undefined) {
      owner = guessOwner(pkg, discovered);
      packageOwner.set(pkg, owner);
    }
    ownerOf.set(definition.key, owner);
  }
  return { ownerOf, warnings };
}

/** `io.k8s.api.batch.v1.Job` → `io.k8s.api.batch.v1`. */
export function packageOf(definitionKey: string): string {
  const dot = definitionKey.lastIndexOf(".");
  return dot < 0 ? "" : definitionKey.slice(0, dot);
}

function guessOwner(pkg: string, discovered: readonly DiscoveredGroupVersion[]): ModuleIdentity {
  const segments = pkg.split(".");
  const version = segments.at(-1) ?? "";
  const groupSegment = segments.at(-2) ?? "";
  // The legacy core group is served by every server, whether or not `--groups` kept it: a batch/v1 document alone
  // (OpenAPI v3 with `--groups batch`) references io.k8s.api.core.v1 types without any kind of theirs.
  if (pkg === `io.k8s.api.core.${version}` && VERSION_PATTERN.test(version)) return { key: groupVersionKey("", version), group: "", version };
  if (VERSION_PATTERN.test(version)) {
    const group = groupSegment === "core" ? "" : groupSegment;
    const matches = discovered.filter(
      (gv) => gv.version === version && (gv.group === group || gv.group.startsWith(`${groupSegment}.`)),
    );
    const groups = [...new Set(matches.map((gv) => gv.group))];
    if (groups.length === 1) return { key: groupVersionKey(groups[0]!, version), group: groups[0]!, version };
    return { key: `${segments.slice(0, -1).join(".")}/${version}`, group: segments.slice(0, -1).join("."), version };
  }
  return { key: `${pkg || "unversioned"}/types`, group: pkg, version: "types" };
}

/**
 * What a kube-apiserver of each minor version serves to a generator with its default feature gates,
 * from the Kubernetes release history:
 * - aggregated discovery (`AggregatedDiscoveryEndpoint`): alpha in 1.26 (off), beta in 1.27 (on, serving
 *   `apidiscovery.k8s.io/v2beta1`), GA in 1.30 (adds `v2`); `v2beta1` stops being served in 1.33
 *   (`AggregatedDiscoveryRemoveBetaType`, beta and on in 1.33–1.34, locked on in 1.35).
 * - `/openapi/v3` (`OpenAPIV3`): alpha in 1.23, beta (on) in 1.24, GA in 1.27. The index lists
 *   `serverRelativeURL`s with a `?hash=` from 1.24 (kube-openapi "cache busting", March 2022); the 1.23
 *   index is `{"Paths": ["api/v1", ...]}`.
 */
export const KUBERNETES_VERSIONS = [
  "1.23", "1.24", "1.25", "1.26", "1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33", "1.34", "1.35",
] as const;

export type KubernetesVersion = (typeof KUBERNETES_VERSIONS)[number];

/** Feature gates that change what discovery and OpenAPI serve. Unset means the release's default. */
export interface DiscoveryFeatureGates {
  AggregatedDiscoveryEndpoint?: boolean;
  AggregatedDiscoveryRemoveBetaType?: boolean;
  /**
   * Default on for every version here, 1.23 included: a real 1.23 server needs `--feature-gates=OpenAPIV3=true`
   * for this, but without it would serve only `/openapi/v2`, which shared data has no document for.
   */
  OpenAPIV3?: boolean;
}

export type AggregatedDiscoveryVersion = "v2" | "v2beta1";

export interface ServedBehaviour {
  version: KubernetesVersion;
  gitVersion: string;
  /** Aggregated discovery versions the server accepts in `Accept`, empty when it serves legacy only. */
  aggregatedDiscovery: AggregatedDiscoveryVersion[];
  /** `hashed`: `{paths: {gv: {serverRelativeURL}}}`; `names`: the 1.23 `{Paths: [gv...]}`; `none`: 404. */
  openApiV3Index: "hashed" | "names" | "none";
}

export function isKubernetesVersion(value: string): value is KubernetesVersion {
  return (KUBERNETES_VERSIONS as readonly string[]).includes(value);
}

export function servedBehaviour(version: KubernetesVersion, gates: DiscoveryFeatureGates = {}): ServedBehaviour {
  const minor = Number(version.split(".")[1]);
  const aggregatedOn = gateValue("AggregatedDiscoveryEndpoint", gates, minor, { introduced: 26, defaultOnFrom: 27, lockedFrom: 30 });
  const removeBeta = gateValue("AggregatedDiscoveryRemoveBetaType", gates, minor, { introduced: 33, defaultOnFrom: 33, lockedFrom: 35 });
  const openApiV3 = gateValue("OpenAPIV3", gates, minor, { introduced: 23, defaultOnFrom: 23, lockedFrom: 27 });
  const aggregatedDiscovery: AggregatedDiscoveryVersion[] = [];
  if (aggregatedOn) {
    if (minor >= 30) aggregatedDiscovery.push("v2");
    if (!removeBeta) aggregatedDiscovery.push("v2beta1");
  }
  return {
    version,
    gitVersion: `v${version}.0`,
    aggregatedDiscovery,
    openApiV3Index: !openApiV3 ? "none" : minor >= 24 ? "hashed" : "names",
  };
}

/** A gate's value: the explicit setting where the version has the gate and allows it, else the default. */
function gateValue(
  name: keyof DiscoveryFeatureGates,
  gates: DiscoveryFeatureGates,
  minor: number,
  history: { introduced: number; defaultOnFrom: number; lockedFrom: number },
): boolean {
  const explicit = gates[name];
  const defaultValue = minor >= history.defaultOnFrom;
  if (explicit === undefined) return defaultValue;
  if (minor < history.introduced) {
    throw new Error(`feature gate ${name} does not exist in Kubernetes 1.${minor} (added in 1.${history.introduced}); remove it from featureGates`);
  }
  if (minor >= history.lockedFrom && explicit !== defaultValue) {
    throw new Error(`feature gate ${name} is locked to ${defaultValue} in Kubernetes 1.${minor}; remove it from featureGates`);
  }
  return explicit;
}

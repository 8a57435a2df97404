// The control planes local-cluster can build and run: one table that the CLI, the cache and the tests all read.
import { join } from "node:path";

/** How a release is built: from Go modules (kube-apiserver and etcd), or the oldest from Debian's source package. */
export type BuildRecipe = { kind: "go-modules"; etcd: string } | { kind: "debian-source" };

export interface ControlPlaneRelease {
  /** What `--version` takes and tests name, e.g. `1.37`. */
  readonly minor: string;
  /** The tagged Kubernetes release built, e.g. `v1.37.2`; `/version` reports it. */
  readonly kubernetes: string;
  readonly recipe: BuildRecipe;
}

/** Newest first. Bump the `kubetyped.N` suffix in `releaseCacheDir` when a recipe changes what it builds. */
export const CONTROL_PLANE_RELEASES: readonly ControlPlaneRelease[] = [
  { minor: "1.37", kubernetes: "v1.37.2", recipe: { kind: "go-modules", etcd: "v3.6.16" } },
  { minor: "1.35", kubernetes: "v1.35.4", recipe: { kind: "go-modules", etcd: "v3.6.16" } },
  { minor: "1.20", kubernetes: "v1.20.2", recipe: { kind: "debian-source" } },
];

export const NEWEST_RELEASE: ControlPlaneRelease = CONTROL_PLANE_RELEASES[0]!;
export const OLDEST_RELEASE: ControlPlaneRelease = CONTROL_PLANE_RELEASES[CONTROL_PLANE_RELEASES.length - 1]!;

/** `--version` named a release this table lacks; the message lists the ones it has. */
export class UnknownControlPlaneVersionError extends Error {
  override name = "UnknownControlPlaneVersionError";
}

/** The release for `1.37`, `v1.37`, `1.37.2` or `v1.37.2`; a patch other than the built one is refused. */
export function findRelease(version: string): ControlPlaneRelease {
  const wanted = version.trim().replace(/^v/, "");
  const release = CONTROL_PLANE_RELEASES.find((candidate) => candidate.minor === wanted || candidate.kubernetes === `v${wanted}`);
  if (release) return release;
  throw new UnknownControlPlaneVersionError(
    `no control plane ${JSON.stringify(version)} can be built here; choose one of ${describeReleases()} ` +
      "(or set KUBEBUILDER_ASSETS to a folder with the kube-apiserver and etcd of the version you need)",
  );
}

/** `1.37 (v1.37.2), 1.35 (v1.35.4), 1.20 (v1.20.2)`. */
export function describeReleases(): string {
  return CONTROL_PLANE_RELEASES.map((release) => `${release.minor} (${release.kubernetes})`).join(", ");
}

/**
 * Where a release's build lives under the cache root. The 1.20 path is the one earlier versions of kubetyped
 * used, so a machine's existing build is kept.
 */
export function releaseCacheDir(cacheRoot: string, release: ControlPlaneRelease): string {
  const { recipe } = release;
  if (recipe.kind === "debian-source") return join(cacheRoot, "kube-apiserver", `${release.kubernetes}+kubetyped.1`);
  return join(cacheRoot, "control-plane", `${release.kubernetes}+etcd-${recipe.etcd}+kubetyped.1`);
}

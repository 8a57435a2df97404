import type { LocalClusterAvailability } from "../../local-cluster/types.js";

// What test/support/global-setup.ts provides; read it with inject() from "vitest".
declare module "vitest" {
  export interface ProvidedContext {
    /** The run's local control plane (the newest release, or KUBEBUILDER_ASSETS'), or why there is none (see test/support/cluster.ts). */
    cluster: LocalClusterAvailability;
    /** The oldest supported release (v1.20.2), for the parts whose behaviour differs by version. */
    oldestCluster: LocalClusterAvailability;
    /** Folder under the OS temp dir for makeTempDir(); removed after the run. */
    kubetypedTmpRoot: string;
  }
}

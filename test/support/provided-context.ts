import type { LocalClusterAvailability } from "../../local-cluster/types.js";

// What test/support/global-setup.ts provides; read it with inject() from "vitest".
declare module "vitest" {
  export interface ProvidedContext {
    /** The run's local control plane, or why there is none (see test/support/cluster.ts). */
    cluster: LocalClusterAvailability;
    /** Folder under the OS temp dir for makeTempDir(); removed after the run. */
    kubetypedTmpRoot: string;
  }
}

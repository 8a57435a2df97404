// Public entry of the local control plane (etcd + kube-apiserver v1.20.2) used by tests and the CLI.
export {
  buildScriptPath,
  canBuildControlPlane,
  ControlPlaneBinariesNotFoundError,
  ControlPlaneBuildError,
  ensureControlPlaneBinaries,
  findControlPlaneBinaries,
  type ControlPlaneBinaries,
  type EnsureControlPlaneOptions,
} from "./binaries.js";
export { runLocalClusterCommand, type LocalClusterCommandIo } from "./cli.js";
export { mergeFlags, startLocalCluster, stopLocalClusterProcesses, type StartLocalClusterOptions } from "./cluster.js";
export { freeLoopbackPorts, probe, type ProbeCredentials, type ProbeResponse } from "./http.js";
export { cachedApiserverPath, findProjectRoot, KUBE_APISERVER_VERSION, kubetypedCacheDir } from "./paths.js";
export { createLocalPki, issueClientCertificate, NAME_NOT_IN_SERVING_CERT, SERVING_DNS_NAMES, type CertificateFiles, type LocalPki } from "./pki.js";
export { isProcessAlive, terminateProcess } from "./processes.js";
export type { LocalCluster, LocalClusterAvailability, LocalClusterInfo } from "./types.js";

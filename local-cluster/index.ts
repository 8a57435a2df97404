// Public entry of the local control plane (etcd + kube-apiserver, newest release or v1.20.2) used by tests and the CLI.
export {
  buildScriptPath,
  canBuildControlPlane,
  ControlPlaneBinariesNotFoundError,
  ControlPlaneBuildError,
  ensureControlPlaneBinaries,
  findControlPlaneBinaries,
  readApiserverVersion,
  type ControlPlaneBinaries,
  type EnsureControlPlaneOptions,
} from "./binaries.js";
export { runLocalClusterCommand, type LocalClusterCommandIo } from "./cli.js";
export { mergeFlags, startLocalCluster, stopLocalClusterProcesses, type StartLocalClusterOptions } from "./cluster.js";
export { freeLoopbackPorts, probe, type ProbeCredentials, type ProbeResponse } from "./http.js";
export { findProjectRoot, kubetypedCacheDir } from "./paths.js";
export {
  canHaveKubeletStandIn,
  createRunningPod,
  ensureKubeletStandIn,
  registerStandInNode,
  startKubeletStandIn,
  type EnsureKubeletStandInOptions,
  type KubeletStandIn,
} from "./kubelet-standin.js";
export {
  CONTROL_PLANE_RELEASES,
  describeReleases,
  findRelease,
  NEWEST_RELEASE,
  OLDEST_RELEASE,
  releaseCacheDir,
  UnknownControlPlaneVersionError,
  type ControlPlaneRelease,
} from "./releases.js";
export { createLocalPki, issueClientCertificate, NAME_NOT_IN_SERVING_CERT, SERVING_DNS_NAMES, type CertificateFiles, type LocalPki } from "./pki.js";
export { isProcessAlive, terminateProcess } from "./processes.js";
export type { LocalCluster, LocalClusterAvailability, LocalClusterInfo } from "./types.js";

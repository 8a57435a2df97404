/**
 * How to get a cluster when none is configured, for an installed project (the CLI ships the local control plane):
 * `up` starts it, `env` prints the `export KUBECONFIG=...` that points at it. The runtime's configuration errors
 * end with it, and the generator's CLI recognises them by it.
 */
export const LOCAL_CLUSTER_HINT = "start a local one with `npx kubetyped local-cluster up`";

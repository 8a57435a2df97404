// The connection types live in the kernel (runtime/core/connection.ts), which the generator shares; named here for the config room's importers.
export type { ClusterConnection, Credentials, ExecCredentialConfig, TlsSettings } from "../core/connection.js";

// `Secret` lives in the kernel (runtime/core/secret.ts), beside the connection that holds it; named here for the config room's importers.
export { Secret } from "../core/secret.js";

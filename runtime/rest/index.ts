export { createRestClient } from "./rest-client.js";
export type { CallOptions, RequestTransport, ResponseBody, RestClient } from "./types.js";
export * from "./status-errors.js";

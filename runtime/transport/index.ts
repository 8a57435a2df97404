export { createTransport } from "./transport.js";
export type { Transport, TransportRequest, TransportResponse, TransportOptions, HttpMethod, UpgradeContext } from "./types.js";
export { NetworkError, TlsError, TimeoutError, toTransportError } from "./errors.js";
export { parseRetryAfter, warningLayer } from "./transport.js";
export { parseWarningHeaders, warningPrinter, type ApiWarning, type WarningContext, type WarningHandler } from "./warnings.js";

import { RequestValidationError } from "../request/validation.js";

/** The API server could not be reached or the connection failed. `code` is the underlying error code. */
export class NetworkError extends Error {
  override name = "NetworkError";
  readonly server: string;
  readonly code?: string;
  constructor(message: string, options: { server: string; code?: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.server = options.server;
    if (options.code !== undefined) this.code = options.code;
  }
}

/** The TLS handshake failed: untrusted CA, wrong host name, expired certificate, not TLS at all. */
export class TlsError extends NetworkError {
  override name = "TlsError";
}

/** No answer within the timeout. */
export class TimeoutError extends NetworkError {
  override name = "TimeoutError";
  readonly timeoutMs: number;
  constructor(message: string, options: { server: string; timeoutMs: number; code?: string; cause?: unknown }) {
    super(message, options);
    this.timeoutMs = options.timeoutMs;
  }
}

const UNTRUSTED_CA = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
]);
const EXPIRED = new Set(["CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID"]);

/** Codes of failures before or while the request was on the wire; the retry layer may retry these. */
export const CONNECTION_FAILURE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_CLOSED",
]);

/** Where a request was when it failed: the server, the proxy, the timeout, and whether the headers had arrived. */
export interface TransportErrorContext {
  server: string;
  proxyUrl?: string;
  timeoutMs?: number;
  /** "headers" while waiting for the answer's headers, "body" once they arrived. */
  phase?: "headers" | "body";
}

/** The largest answer headers accepted (undici's default is 16 KiB, which one long `Warning` exceeds; Go's is 10 MiB). */
export const MAX_RESPONSE_HEADER_BYTES = 1024 * 1024;

/** What llhttp's reasons for refusing a header mean. */
const PARSER_REASONS: ReadonlyArray<[RegExp, string]> = [
  [/Invalid header value char/, "a response header's value holds a control character (below 0x20 other than tab, or DEL)"],
  [/Invalid header token/, "a response header's name holds a character HTTP forbids"],
  [/Missing expected LF/, "a response header holds a bare CR"],
  [/Missing expected CR/, "a response header holds a bare LF"],
];

/**
 * Answers that are not HTTP: a control character or bare CR/LF in a header, or headers beyond the limit. undici
 * reports a bad header after `Content-Length` as a body-length mismatch (its parser checks the length first),
 * though no body byte was read: before the headers arrived, that mismatch is the header's fault.
 */
function malformedAnswer(error: unknown, context: TransportErrorContext): NetworkError | undefined {
  const code = codeOf(error);
  const where = `the answer from ${context.server}${context.proxyUrl ? ` (through proxy ${redactUrl(context.proxyUrl)})` : ""}`;
  const make = (message: string) => new NetworkError(`${where} ${message}`, { server: context.server, cause: error, ...(code ? { code } : {}) });
  if (code === "UND_ERR_HEADERS_OVERFLOW") return make(`has more than ${MAX_RESPONSE_HEADER_BYTES / 1024} KiB of headers (${code}); a proxy or the server sent oversized headers`);
  const headerFault = (error as { name?: unknown } | null)?.name === "HTTPParserError" || (code === "UND_ERR_RES_CONTENT_LENGTH_MISMATCH" && context.phase === "headers");
  if (!headerFault) return undefined;
  const data = (error as { data?: unknown }).data;
  const near = typeof data === "string" && data !== "" ? ` (at ${JSON.stringify(data.slice(0, 24))})` : "";
  const reason = String((error as Error).message);
  const what =
    PARSER_REASONS.find(([pattern]) => pattern.test(reason))?.[1] ??
    (code === "UND_ERR_RES_CONTENT_LENGTH_MISMATCH" ? "a response header after Content-Length holds a character HTTP forbids (a control character, or a bare CR or LF)" : reason);
  return make(`is not valid HTTP/1.1: ${what}${near}; a proxy or the server corrupted the answer`);
}

/**
 * Turns an undici/Node error into a NetworkError, TlsError or TimeoutError that names the server and the
 * likely fix. Errors that are already ours, and aborts by the caller, pass through unchanged.
 */
export function toTransportError(error: unknown, context: TransportErrorContext): unknown {
  if (error instanceof NetworkError) return error;
  const malformed = malformedAnswer(error, context);
  if (malformed !== undefined) return malformed;
  if (error instanceof Error && error.name === "AbortError" && !codeOf(error)?.startsWith("UND_ERR_")) return error;
  const { server } = context;
  const found = findCode(error);
  const code = found?.code;
  const via = context.proxyUrl ? ` (through proxy ${redactUrl(context.proxyUrl)})` : "";
  const make = (message: string) => new NetworkError(message, { server, cause: error, ...(code ? { code } : {}) });
  const tls = (message: string) => new TlsError(`TLS to ${server} failed: ${message}`, { server, cause: error, ...(code ? { code } : {}) });

  if (code && UNTRUSTED_CA.has(code)) {
    return tls(`the server's certificate is not signed by a trusted CA (${code}); set certificate-authority (or certificate-authority-data) of the cluster to the cluster's CA`);
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    const names = (found?.error as { cert?: { subjectaltname?: string } } | undefined)?.cert?.subjectaltname;
    const reason = (found?.error as { reason?: string } | undefined)?.reason;
    return tls(`the server's certificate does not match the name we checked (${reason ?? code})${names ? `; it is valid for ${names}` : ""}; connect using one of those names or set tls-server-name in the cluster entry`);
  }
  if (code && EXPIRED.has(code)) return tls(`the server's certificate is expired or not yet valid (${code}); check the system clock or renew the certificate`);
  if (code?.startsWith("ERR_SSL_") || code?.startsWith("ERR_TLS_") || code === "EPROTO") {
    const hint = /WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG/.test(code) ? "; the server does not seem to speak TLS (use http:// for a plain HTTP endpoint such as kubectl proxy)" : "";
    return tls(`${code}${hint}`);
  }
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
    return new TimeoutError(`no answer from ${server}${via} within ${context.timeoutMs ?? "the"} ms; the API server may be overloaded, or raise the timeout`, {
      server,
      timeoutMs: context.timeoutMs ?? 0,
      code,
      cause: error,
    });
  }
  switch (code) {
    case "ECONNREFUSED":
      return make(`connection refused by ${server}${via} — is the API server running at ${server}? check the server field of your kubeconfig`);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return make(`cannot resolve the host of ${server}${via} (${code}); check the server field of your kubeconfig and your DNS`);
    case "ECONNRESET":
    case "EPIPE":
    case "UND_ERR_SOCKET":
    case "UND_ERR_CLOSED":
      return make(`connection to ${server}${via} was closed unexpectedly (${code}); the server or a proxy dropped it`);
    case "UND_ERR_CONNECT_TIMEOUT":
    case "ETIMEDOUT":
      return make(`connecting to ${server}${via} timed out (${code}); is the host reachable from here (VPN, firewall)?`);
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return make(`${server}${via} is unreachable (${code}); check your network, VPN or the server field`);
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/Proxy response \((\d+)\)/.test(message)) {
    return make(`proxy ${redactUrl(context.proxyUrl ?? "")} refused to tunnel to ${server}: ${message}; check proxy-url and the proxy's credentials`);
  }
  if (code === "UND_ERR_INVALID_ARG") return new RequestValidationError("request", `${message} (undici refused to send it to ${server})`);
  if (code?.startsWith("UND_ERR_") || (code && CONNECTION_FAILURE_CODES.has(code))) return make(`request to ${server}${via} failed: ${message} (${code})`);
  return error;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** The most specific error code in a cause chain or an AggregateError (happy-eyeballs tries several addresses). */
function findCode(error: unknown, depth = 0): { code: string; error: unknown } | undefined {
  if (depth > 5 || typeof error !== "object" || error === null) return undefined;
  const nested = (error as { cause?: unknown }).cause;
  const inner = findCode(nested, depth + 1);
  if (inner && !inner.code.startsWith("UND_ERR_")) return inner;
  const errors = (error as { errors?: unknown }).errors;
  if (Array.isArray(errors)) {
    for (const item of errors) {
      const found = findCode(item, depth + 1);
      if (found) return found;
    }
  }
  const code = codeOf(error);
  return code ? { code, error } : inner;
}

/** Proxy URLs may carry user:password. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "redacted";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return "(invalid URL)";
  }
}

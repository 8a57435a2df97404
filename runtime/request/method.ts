// Which HTTP methods a request may use and which of them are safe to resend: facts about requests, not transports.

/** The HTTP methods the Kubernetes API uses. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD";

/** Methods that may be resent after a connection failure (a POST may have been processed; a PATCH may not be repeatable). */
export const IDEMPOTENT_METHODS: ReadonlySet<HttpMethod> = new Set(["GET", "HEAD", "PUT", "DELETE"]);

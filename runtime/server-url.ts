// Where a server URL meets a request path: the server's trailing slashes are dropped here and nowhere else.

/** `server` without trailing slashes, so that an absolute request path can follow it as it is. */
export function serverBase(server: string): string {
  return server.replace(/\/+$/, "");
}

import type { AuthProvider } from "../auth/provider.js";
import type { Layer } from "./layers.js";
import type { TransportRequest } from "./types.js";

/** Adds credentials; after a 401 asks the provider once for fresh ones and resends once. */
export function authLayer(auth: AuthProvider): Layer {
  const withAuth = async (request: TransportRequest) => {
    const headers = await auth.headers();
    return { headers, request: { ...request, headers: { ...headers, ...request.headers } } };
  };
  return (next) => async (request) => {
    // A caller's own Authorization header wins; the provider's credential is neither used nor refreshed.
    if (callerSetAuthorization(request)) return next(request);
    const first = await withAuth(request);
    const response = await next(first.request);
    if (response.statusCode !== 401) return response;
    if (!(await auth.refreshAfterUnauthorized(first.headers))) return response;
    await response.body.dump().catch(() => {});
    return next((await withAuth(request)).request);
  };
}

function callerSetAuthorization(request: TransportRequest): boolean {
  return Object.keys(request.headers ?? {}).some((name) => name.toLowerCase() === "authorization");
}

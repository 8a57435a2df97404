import { join } from "node:path";
import { SourceError } from "./errors.js";

/**
 * Snapshot layout, shared by the recorder and the replayer so they stay symmetric:
 * a URL path maps to `<path>.json` (query dropped: `/openapi/v3/apis/batch/v1?hash=X` → `openapi/v3/apis/batch/v1.json`),
 * and an aggregated discovery answer (`APIGroupDiscoveryList`) to `<path>.aggregated.json`, so one snapshot
 * can hold both forms of `/api` and `/apis` without one shadowing the other.
 */
export function snapshotFile(root: string, urlPath: string, aggregated: boolean): string {
  const pathOnly = urlPath.split("?")[0] ?? "";
  const segments = pathOnly.split("/").filter((segment) => segment !== "");
  if (segments.length === 0 || segments.some((segment) => segment === "." || segment === ".." || segment.includes("\\"))) {
    throw new SourceError("cannot map this URL path to a snapshot file (empty or has `.`/`..` segments)", { url: urlPath });
  }
  const last = segments.pop() as string;
  return join(root, ...segments, `${last}${aggregated ? ".aggregated" : ""}.json`);
}

/** Content type a replayed aggregated discovery answer carries (the version is read from the body itself). */
export const AGGREGATED_CONTENT_TYPE = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

import type { AggregatedDiscoveryVersion } from "./versions.js";

interface AcceptClause {
  type: string;
  subtype: string;
  q: number;
  params: Record<string, string>;
}

/**
 * `Accept` parsed as the API server's goautoneg does: clauses ordered by `q` (highest first), then by
 * specificity (`*` last), otherwise in the client's order.
 */
export function parseAccept(header: string | undefined): AcceptClause[] {
  const clauses = (header === undefined || header.trim() === "" ? "*/*" : header)
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map((part) => {
      const [mediaRange, ...rawParams] = part.split(";").map((piece) => piece.trim());
      const [type = "", subtype = ""] = (mediaRange ?? "").toLowerCase().split("/");
      const params: Record<string, string> = {};
      let q = 1;
      for (const raw of rawParams) {
        const [key, value = ""] = raw.split("=").map((piece) => piece.trim());
        if (key === undefined || key === "") continue;
        if (key === "q") q = Number.isFinite(Number(value)) ? Number(value) : 0;
        else params[key] = value;
      }
      return { type, subtype, q, params };
    });
  const specificity = (clause: AcceptClause) => (clause.type === "*" ? 0 : clause.subtype === "*" ? 1 : 2);
  return clauses
    .map((clause, index) => ({ clause, index }))
    .sort((a, b) => b.clause.q - a.clause.q || specificity(b.clause) - specificity(a.clause) || a.index - b.index)
    .map((entry) => entry.clause)
    .filter((clause) => clause.q > 0);
}

export type DiscoveryForm = { form: "aggregated"; version: AggregatedDiscoveryVersion } | { form: "legacy" } | { form: "not-acceptable" };

/**
 * Which form of `/api` or `/apis` to answer with: the first acceptable clause wins. A clause naming
 * `as=APIGroupDiscoveryList` is acceptable only for an aggregated version this server serves; a clause
 * with any other `as=` is not acceptable here; plain JSON (or a wildcard) means the legacy document.
 */
export function negotiateDiscovery(accept: string | undefined, served: readonly AggregatedDiscoveryVersion[]): DiscoveryForm {
  for (const clause of parseAccept(accept)) {
    if (!matchesJson(clause)) continue;
    const as = clause.params["as"];
    if (as === undefined) return { form: "legacy" };
    const version = clause.params["v"];
    if (as === "APIGroupDiscoveryList" && clause.params["g"] === "apidiscovery.k8s.io" && served.includes(version as AggregatedDiscoveryVersion)) {
      return { form: "aggregated", version: version as AggregatedDiscoveryVersion };
    }
  }
  return { form: "not-acceptable" };
}

/** Whether the client accepts plain JSON (OpenAPI documents, `/version`). */
export function acceptsJson(accept: string | undefined): boolean {
  return parseAccept(accept).some((clause) => matchesJson(clause) && clause.params["as"] === undefined);
}

function matchesJson(clause: AcceptClause): boolean {
  return (clause.type === "application" || clause.type === "*") && (clause.subtype === "json" || clause.subtype === "*");
}

/** The Content-Type a real server answers aggregated discovery with. */
export function aggregatedContentType(version: AggregatedDiscoveryVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

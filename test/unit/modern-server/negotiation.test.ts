import { describe, expect, it } from "vitest";
import { DISCOVERY_ACCEPT } from "../../../generator/sources/fetcher.js";
import { negotiateDiscovery, parseAccept } from "../../support/modern-server/negotiation.js";
import { KUBERNETES_VERSIONS, servedBehaviour } from "../../support/modern-server/versions.js";

const V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
const V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

describe("what each version serves by default", () => {
  it("follows the release history of aggregated discovery and OpenAPI v3", () => {
    const table = Object.fromEntries(
      KUBERNETES_VERSIONS.map((version) => {
        const behaviour = servedBehaviour(version);
        return [version, `${behaviour.aggregatedDiscovery.join("+") || "legacy"} ${behaviour.openApiV3Index}`];
      }),
    );
    expect(table).toEqual({
      "1.23": "legacy names",
      "1.24": "legacy hashed",
      "1.25": "legacy hashed",
      "1.26": "legacy hashed",
      "1.27": "v2beta1 hashed",
      "1.28": "v2beta1 hashed",
      "1.29": "v2beta1 hashed",
      "1.30": "v2+v2beta1 hashed",
      "1.31": "v2+v2beta1 hashed",
      "1.32": "v2+v2beta1 hashed",
      "1.33": "v2 hashed",
      "1.34": "v2 hashed",
      "1.35": "v2 hashed",
    });
  });

  it("honours feature gates where the version allows them and names the gate where it does not", () => {
    expect(servedBehaviour("1.26", { AggregatedDiscoveryEndpoint: true }).aggregatedDiscovery).toEqual(["v2beta1"]);
    expect(servedBehaviour("1.34", { AggregatedDiscoveryRemoveBetaType: false }).aggregatedDiscovery).toEqual(["v2", "v2beta1"]);
    expect(servedBehaviour("1.23", { OpenAPIV3: false }).openApiV3Index).toBe("none");
    expect(() => servedBehaviour("1.35", { AggregatedDiscoveryRemoveBetaType: false })).toThrow(/AggregatedDiscoveryRemoveBetaType is locked/);
    expect(() => servedBehaviour("1.25", { AggregatedDiscoveryEndpoint: true })).toThrow(/does not exist in Kubernetes 1.25/);
  });
});

describe("Accept negotiation for /api and /apis", () => {
  it("orders clauses by q, then specificity, then the client's order", () => {
    expect(parseAccept("text/*;q=0.5, */*;q=0.5, application/json;q=0.9, text/html").map((c) => `${c.type}/${c.subtype}`)).toEqual([
      "text/html",
      "application/json",
      "text/*",
      "*/*",
    ]);
  });

  it("takes the first version the server serves, in the client's order of preference", () => {
    expect(negotiateDiscovery(DISCOVERY_ACCEPT, ["v2", "v2beta1"])).toEqual({ form: "aggregated", version: "v2" });
    expect(negotiateDiscovery(DISCOVERY_ACCEPT, ["v2beta1"])).toEqual({ form: "aggregated", version: "v2beta1" });
    expect(negotiateDiscovery(DISCOVERY_ACCEPT, [])).toEqual({ form: "legacy" });
    expect(negotiateDiscovery(`${V2BETA1},${V2}`, ["v2", "v2beta1"])).toEqual({ form: "aggregated", version: "v2beta1" });
    expect(negotiateDiscovery(`${V2};q=0.5,${V2BETA1}`, ["v2", "v2beta1"])).toEqual({ form: "aggregated", version: "v2beta1" });
  });

  it("answers legacy JSON for plain or missing Accept, and refuses an aggregated-only Accept it cannot serve", () => {
    expect(negotiateDiscovery("application/json", ["v2"])).toEqual({ form: "legacy" });
    expect(negotiateDiscovery(undefined, ["v2"])).toEqual({ form: "legacy" });
    expect(negotiateDiscovery(V2BETA1, ["v2"])).toEqual({ form: "not-acceptable" });
    expect(negotiateDiscovery("application/json;as=Table;v=v1;g=meta.k8s.io", ["v2"])).toEqual({ form: "not-acceptable" });
  });
});

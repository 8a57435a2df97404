import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { generate } from "../../generator/generate.js";
import { snapshot } from "../../generator/snapshot.js";
import { startModernTestServer, type ModernTestServer } from "../support/modern-server/index.js";
import { connectionTo } from "../support/modern-server/client-config.js";
import { describeWithSharedData, sharedK8sPath } from "../support/shared-data.js";
import { makeTempDir } from "../support/tmp.js";
import { typecheckFolder } from "../corpus/support/typecheck.js";
import { readTree } from "../support/cli-io.js";
import { CRD_LIST_PATH } from "../../generator/sources/selectable-fields.js";

/**
 * Generation against a server whose `/apis` is the Kubernetes project's own recorded aggregated discovery
 * (1.31-era, served byte for byte), with the 1.31 OpenAPI documents. The recording names three
 * resource.k8s.io/v1alpha3 resources that the 1.31 document has no schema for (they were replaced before
 * 1.31 shipped): they are generated with an unknown object type and a warning, not dropped and not fatal.
 */
describeWithSharedData("discovery-upstream", "kubetyped generate against recorded upstream aggregated discovery", () => {
  let server: ModernTestServer;
  let root: string;
  beforeAll(async () => {
    server = await startModernTestServer({ version: "1.31", discovery: "upstream" });
    root = await makeTempDir("modern-upstream-");
  });
  afterAll(async () => {
    await server?.close();
  });

  it("reads /apis in one aggregated round trip and generates every recorded group/version, which type-checks", async () => {
    const out = path.join(root, "live");
    // The recording lists three kinds its document has no schema for: generated untyped, as asked.
    const result = await generate({ connection: connectionTo(server), out, allowUntyped: true });
    // The CRD list (read for selectableFields) is no discovery request.
    const discoveryRequests = [...server.requestCounts.keys()].filter((url) => url.startsWith("/api") && url !== CRD_LIST_PATH).sort();
    expect(discoveryRequests).toEqual(["/api", "/apis"]);
    const recorded = JSON.parse(await readFile(sharedK8sPath("discovery-upstream", "aggregated_v2.json"), "utf8")) as {
      items: Array<{ metadata: { name: string }; versions: Array<{ version: string }> }>;
    };
    const expected = ["core/v1", ...recorded.items.flatMap((item) => item.versions.map((entry) => `${item.metadata.name}/${entry.version}`))].sort();
    expect(result.groupVersions).toEqual(expected);
    expect(result.groupVersions).toHaveLength(32);
    for (const [plural, kind] of [["resourceclaimparameters", "ResourceClaimParameters"], ["resourceclasses", "ResourceClass"], ["resourceclassparameters", "ResourceClassParameters"]]) {
      expect(result.warnings).toContain(`resource.k8s.io/v1alpha3 ${plural}: no schema declares kind ${kind}; its object type is unknown`);
    }
    const dra = await readFile(path.join(out, "resource.k8s.io", "v1alpha3.ts"), "utf8");
    expect(dra).toMatch(/export const resourceClasses = defineResource<\{ \[key: string\]: unknown \}>\(\)\(\{/);
    expect(dra).toMatch(/export const resourceClaims = defineResource<\s*ResourceClaim,/);
    expect(await typecheckFolder(out)).toBe("");
  }, 240_000);

  it("records a snapshot holding the recorded answer, which replays to the same bytes", async () => {
    const recordedDir = path.join(root, "snapshot");
    await snapshot({ connection: connectionTo(server), out: recordedDir });
    const stored = JSON.parse(await readFile(path.join(recordedDir, "apis.aggregated.json"), "utf8"));
    expect(stored).toEqual(JSON.parse(await readFile(sharedK8sPath("discovery-upstream", "aggregated_v2.json"), "utf8")));
    const replayed = path.join(root, "replayed");
    await generate({ from: recordedDir, out: replayed, allowUntyped: true });
    const live = path.join(root, "live-again");
    await generate({ connection: connectionTo(server), out: live, allowUntyped: true });
    expect(await readTree(replayed)).toEqual(await readTree(live));
  }, 240_000);
});

// A resource no schema describes is waited for (a live source) and then refused: never an untyped client in silence.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkAgainst } from "../../../generator/check/index.js";
import { generate } from "../../../generator/generate.js";
import { snapshot } from "../../../generator/snapshot.js";
import { main } from "../../../generator/cli/main.js";
import type { DocumentFetcher } from "../../../generator/sources/index.js";
import { writeCheckProject } from "../../support/check-project.js";
import { captureIo } from "../../support/cli-io.js";
import { makeTempDir } from "../../support/tmp.js";
import { groupVersionDocument, kindSchema, type ResourceSpec } from "../../hardening/support/documents.js";
import { writeSnapshotFolder } from "../../hardening/support/snapshot-folder.js";

const widget: ResourceSpec = { group: "example.com", version: "v1", kind: "Widget", plural: "widgets" };
const typed = { "com.example.v1.Widget": kindSchema(widget, { spec: { type: "object", properties: { size: { type: "integer" } } } }) };

/**
 * A server that serves the widgets' schema only from its `publishedAfter`-th read of the document on, as 1.20
 * does after a CRD is created; and lists their group/version in /openapi/v3 only from its `listedAfter`-th read
 * of the index on, as later versions do.
 */
function serverPublishingLate(publishedAfter: number, listedAfter = 0): DocumentFetcher & { documentReads: number } {
  const discovery = {
    kind: "APIGroupDiscoveryList",
    apiVersion: "apidiscovery.k8s.io/v2",
    items: [{ metadata: { name: "example.com" }, versions: [{ version: "v1", resources: [{ resource: "widgets", responseKind: { group: "example.com", version: "v1", kind: "Widget" }, scope: "Namespaced", verbs: ["get", "list"] }] }] }],
  };
  const aggregated = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
  const json = (body: unknown, contentType = "application/json") => ({ status: 200, contentType, body: JSON.stringify(body) });
  const server = {
    origin: "https://late.example",
    documentReads: 0,
    indexReads: 0,
    async get(urlPath: string) {
      const published = server.documentReads >= publishedAfter;
      if (urlPath === "/version") return json({ major: "1", minor: "30", gitVersion: "v1.30.0" });
      if (urlPath === "/api") return json({ ...discovery, items: [] }, aggregated);
      if (urlPath === "/apis") return json(discovery, aggregated);
      if (urlPath === "/openapi/v3") {
        if (server.indexReads++ < listedAfter) return json({ paths: {} });
        return json({ paths: { "apis/example.com/v1": { serverRelativeURL: `/openapi/v3/apis/example.com/v1?hash=${published ? "TYPED" : "EARLY"}` } } });
      }
      if (urlPath.startsWith("/openapi/v3/apis/example.com/v1")) {
        server.documentReads++;
        // Before publication the document has neither the kind's schema nor its paths.
        return json(urlPath.endsWith("TYPED") ? groupVersionDocument([widget], typed) : groupVersionDocument([], {}));
      }
      return { status: 404, body: "not found" };
    },
  };
  return server;
}

describe("resources whose schema is not (yet) published", () => {
  it("a live source is read again until the schema appears, with a progress line, and the client is typed", async () => {
    const out = path.join(await makeTempDir("untyped-"), "out");
    const server = serverPublishingLate(3);
    const progress: string[] = [];
    const result = await generate({ fetcher: server, out, log: { progress: (line) => progress.push(line) } });
    expect(result.warnings.filter((warning) => warning.includes("no schema declares"))).toEqual([]);
    expect(progress.filter((line) => line.startsWith("waiting for the OpenAPI schema of example.com/v1 widgets (kind Widget)"))).toHaveLength(3);
    expect(result.types).toBeGreaterThan(1);
  });

  it("a group/version the /openapi/v3 index does not list yet is waited for too; one never listed stays skipped", async () => {
    const root = await makeTempDir("untyped-");
    const progress: string[] = [];
    const result = await generate({ fetcher: serverPublishingLate(0, 2), out: path.join(root, "out"), log: { progress: (line) => progress.push(line) } });
    expect(result.groupVersions).toEqual(["example.com/v1"]);
    expect(progress.filter((line) => line.startsWith("waiting for the OpenAPI schema of example.com/v1 (not in /openapi/v3)"))).toHaveLength(2);
    await expect(generate({ fetcher: serverPublishingLate(0, Number.POSITIVE_INFINITY), out: path.join(root, "never"), schemaWaitMs: 1_500 })).rejects.toThrow(
      /serves no group\/version to generate \(skipped example\.com\/v1: \/openapi\/v3 does not list apis\/example\.com\/v1\)/,
    );
  });

  it("a schema that never appears: refused after the bound, nothing written; --allow-untyped generates it with a warning", async () => {
    const root = await makeTempDir("untyped-");
    const server = serverPublishingLate(Number.POSITIVE_INFINITY);
    await expect(generate({ fetcher: server, out: path.join(root, "never"), schemaWaitMs: 1_500 })).rejects.toThrow(
      /^https:\/\/late\.example: no OpenAPI schema declares example\.com\/v1 widgets \(kind Widget\): still none after waiting 2s .*; nothing was written\. Pass --allow-untyped/,
    );
    expect(existsSync(path.join(root, "never"))).toBe(false);
    const allowed = await generate({ fetcher: server, out: path.join(root, "untyped"), allowUntyped: true });
    expect(allowed.warnings).toContain("example.com/v1 widgets: no schema declares kind Widget; its object type is unknown");
  });

  it("a snapshot cannot change: refused at once, naming the fix", async () => {
    const root = await makeTempDir("untyped-");
    const snapshot = path.join(root, "snapshot");
    await writeSnapshotFolder(snapshot, { gitVersion: "v1.20.2", groupVersions: [{ resources: [widget], schemas: {}, rawDocument: JSON.stringify(groupVersionDocument([], {})) }] });
    const io = captureIo();
    const started = performance.now();
    expect(await main(["generate", "--from", snapshot, "--out", path.join(root, "out")], io)).toBe(1);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(io.err).toMatch(/no OpenAPI schema declares example\.com\/v1 widgets \(kind Widget\): the recording has no schema for them .*--allow-untyped/);
    expect(await main(["generate", "--from", snapshot, "--out", path.join(root, "out"), "--allow-untyped"], captureIo())).toBe(0);
  });
});

describe("snapshot and check right after a CRD is created wait for its schema as generate does", () => {
  it("snapshot records the source again until the schema appears: the recording generates a typed client", async () => {
    const root = await makeTempDir("untyped-");
    const progress: string[] = [];
    const recorded = await snapshot({ fetcher: serverPublishingLate(3), out: path.join(root, "snapshot"), log: { progress: (line) => progress.push(line) } });
    expect(recorded.groupVersions).toEqual(["example.com/v1"]);
    expect(progress.filter((line) => line.startsWith("waiting for the OpenAPI schema of example.com/v1 widgets (kind Widget)"))).toHaveLength(3);
    // A snapshot without the schema is refused at once by generate --from (see "a snapshot cannot change").
    const replayed = await generate({ from: path.join(root, "snapshot"), out: path.join(root, "out") });
    expect(replayed.warnings.filter((warning) => warning.includes("no schema declares"))).toEqual([]);
    expect(await readFile(path.join(root, "out", "example.com", "v1.ts"), "utf8")).toMatch(/export interface Widget \{/);
  });

  it("snapshot of a group/version the /openapi/v3 index does not list yet waits for it too", async () => {
    const root = await makeTempDir("untyped-");
    const recorded = await snapshot({ fetcher: serverPublishingLate(0, 2), out: path.join(root, "snapshot") });
    expect(recorded.skipped).toEqual([]);
    expect(recorded.groupVersions).toEqual(["example.com/v1"]);
  });

  it("check against a live source waits for the schema: a project using the kind stays compatible", async () => {
    const program = `import type { Widget } from "./k8s/example.com/v1.js";\nexport const size = (widget: Widget): number | undefined => widget.spec?.size;\n`;
    const { tsconfig, out } = await writeCheckProject(await makeTempDir("untyped-check-"), program);
    // Without validators: the project maps only kubetyped/runtime/plumbing (see writeCheckProject), not the validate entry.
    await generate({ fetcher: serverPublishingLate(0), out, validators: false });
    const progress: string[] = [];
    const result = await checkAgainst({ targets: [{ fetcher: serverPublishingLate(3) }], out, project: tsconfig, log: { progress: (line) => progress.push(line) } });
    expect(result.existing).toEqual([]);
    expect(result.targets[0]!.problems).toEqual([]);
    expect(result.compatible).toBe(true);
    expect(progress.filter((line) => line.startsWith("waiting for the OpenAPI schema of example.com/v1 widgets (kind Widget)"))).toHaveLength(3);
  }, 120_000);
});

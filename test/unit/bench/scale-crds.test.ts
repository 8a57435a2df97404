import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { readTemplateCrds, scaleCrds, withOneChange, type Crd } from "../../../bench/crds/scale-crds.js";
import { readBuiltins, rewriteGroupOf, writeScaleSnapshot } from "../../../bench/crds/snapshot.js";
import type { Schema } from "../../../bench/crds/vary-schema.js";
import { generate } from "../../../generator/generate.js";
import { describeWithSharedData } from "../../support/shared-data.js";
import { makeTempDir } from "../../support/tmp.js";

/** Every `required` entry names a property that exists, at every level a copy was varied at. */
function requiredExist(schema: Schema, at: string, problems: string[]): void {
  for (const name of schema.required ?? []) if (!schema.properties?.[name]) problems.push(`${at}: required ${name} is missing`);
  for (const [name, child] of Object.entries(schema.properties ?? {})) requiredExist(child, `${at}/${name}`, problems);
}

describeWithSharedData("crds", "the scale section's CRD cluster", (folder) => {
  it("is deterministic, grows by appending (the first 100 of 300 are the 100), and names every CRD uniquely in its group", async () => {
    const templates = await readTemplateCrds(folder);
    expect(templates).toHaveLength(7);
    const big = scaleCrds(templates, 300);
    expect(JSON.stringify(scaleCrds(templates, 300))).toBe(JSON.stringify(big));
    expect(JSON.stringify(scaleCrds(templates, 100))).toBe(JSON.stringify(big.slice(0, 100)));
    const names = big.map((crd) => crd.metadata.name);
    expect(new Set(names).size).toBe(300);
    for (const crd of big) expect(crd.metadata.name).toBe(`${crd.spec.names.plural}.${crd.spec.group}`);
    const groups = new Set(big.map((crd) => crd.spec.group));
    expect(groups.size).toBeGreaterThan(30);
  });

  it("varies the copies: no two copies of one template have the same schema, and every copy stays a valid structural schema", async () => {
    const templates = await readTemplateCrds(folder);
    const crds = scaleCrds(templates, 70);
    const copiesOfFirst = crds.filter((_, index) => index % templates.length === 0).map((crd) => JSON.stringify(crd.spec.versions.map((version) => version.schema)));
    expect(new Set(copiesOfFirst).size).toBe(copiesOfFirst.length);
    const problems: string[] = [];
    for (const crd of crds) {
      expect(crd.spec.versions.filter((version) => version.storage)).toHaveLength(1);
      for (const version of crd.spec.versions) {
        requiredExist(version.schema.openAPIV3Schema, `${crd.metadata.name}/${version.name}`, problems);
        if (version.subresources?.scale) expect(version.schema.openAPIV3Schema.properties?.spec?.properties?.replicas).toEqual({ type: "integer", format: "int32" });
      }
    }
    expect(problems).toEqual([]);
    // Scope, versions and subresources vary across copies.
    expect(new Set(crds.map((crd) => crd.spec.scope)).size).toBe(2);
    expect(new Set(crds.map((crd) => crd.spec.versions.length)).size).toBeGreaterThan(1);
    expect(crds.some((crd) => crd.spec.versions.some((version) => version.subresources?.scale))).toBe(true);
    expect(crds.some((crd) => crd.spec.versions.every((version) => !version.subresources?.status))).toBe(true);
  });

  describeWithSharedData("openapi-v3/1.35", "as a snapshot", (builtinFolder) => {
    it("generates from --from like a recorded cluster, and one CRD changed changes only its group's documents", async () => {
      const dir = await makeTempDir("scale-snapshot-");
      try {
        const crds = scaleCrds(await readTemplateCrds(folder), 15);
        const builtins = await readBuiltins(builtinFolder);
        const snapshot = await writeScaleSnapshot(join(dir, "snapshot"), crds, builtins);
        expect(snapshot.groups).toEqual([...new Set(crds.map((crd) => crd.spec.group))]);
        const result = await generate({ from: snapshot.dir, out: join(dir, "generated") });
        const servedVersions = new Set(crds.flatMap((crd) => crd.spec.versions.map((version) => `${crd.spec.group}/${version.name}`)));
        for (const key of servedVersions) expect(result.groupVersions).toContain(key);
        expect(result.groupVersions.length).toBe(snapshot.groupVersions);
        const module = await readFile(join(dir, "generated", `${crds[0]!.spec.group}/${crds[0]!.spec.versions[0]!.name}.ts`), "utf8");
        expect(module).toContain(`kind: "${crds[0]!.spec.names.kind}"`);

        const before = new Map(snapshot.hashes);
        const edited: Crd = withOneChange(crds[13]!);
        await rewriteGroupOf(snapshot, crds, edited, builtins);
        const changed = [...snapshot.hashes].filter(([key, hash]) => before.get(key) !== hash).map(([key]) => key);
        expect(changed.length).toBeGreaterThan(0);
        for (const key of changed) expect(key.startsWith(`${edited.spec.group}/`)).toBe(true);
        const again = await generate({ from: snapshot.dir, out: join(dir, "generated") });
        expect(again.reused.all).toBe(false);
        // The group's modules and its API summaries beside them (`.summary/<group>/<version>.json`), and the manifest.
        const outside = again.changes.map((change) => change.path.replace(/^\.summary\//, "")).filter((path) => path !== "manifest.json" && !path.startsWith(`${edited.spec.group}/`));
        expect(outside).toEqual([]);
        expect(await readFile(join(dir, "generated", `${edited.spec.group}/${edited.spec.versions[0]!.name}.ts`), "utf8")).toContain("editedByBench?: string;");
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }, 120_000);
  });
});

// `check --against` a release folder: the project's CRD modules stay as they are, since an upgraded cluster keeps its CRDs.
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { isBuiltInGroup } from "../model/release-targets.js";
import { META_MODULE } from "../model/ir.js";
import type { ModelSummary } from "../model/summary.js";

/** The group of a module key: `core/v1` → "", `cert-manager.io/v1` → `cert-manager.io`. */
function groupOf(key: string): string {
  const group = key.slice(0, key.lastIndexOf("/"));
  return group === "core" ? "" : group;
}

/**
 * Copies into `scratch` (the target's generated folder) the modules of `out` whose extension group (not built
 * in) the target does not serve at all, adds their lines of `out/index.ts` to the target's, and returns the
 * target's summary with their entries: what the target would serve with the project's CRDs installed.
 */
export async function carryExtensionModules(
  out: string,
  scratch: string,
  summaries: { folder: ModelSummary; target: ModelSummary },
): Promise<{ summary: ModelSummary; carried: string[] }> {
  const servedGroups = new Set(Object.keys(summaries.target.groupVersions).map(groupOf));
  const carried = Object.keys(summaries.folder.groupVersions)
    .filter((key) => key !== META_MODULE && !isBuiltInGroup(groupOf(key)) && !servedGroups.has(groupOf(key)))
    .sort();
  if (carried.length === 0) return { summary: summaries.target, carried };
  for (const key of carried) {
    await mkdir(path.dirname(path.join(scratch, `${key}.ts`)), { recursive: true });
    await copyFile(path.join(out, `${key}.ts`), path.join(scratch, `${key}.ts`));
    // Its descriptors import its validators, when the folder was generated with them.
    await copyFile(path.join(out, `${key}.validate.ts`), path.join(scratch, `${key}.validate.ts`)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
    });
  }
  const wanted = new Set(carried.map((key) => `"./${key}.js";`));
  const folderIndex = await readFile(path.join(out, "index.ts"), "utf8").catch(() => "");
  const lines = folderIndex.split("\n").filter((line) => line.startsWith("export * as ") && wanted.has(line.slice(line.lastIndexOf(" ") + 1)));
  if (lines.length > 0) await writeFile(path.join(scratch, "index.ts"), `${await readFile(path.join(scratch, "index.ts"), "utf8")}${lines.join("\n")}\n`);
  const groupVersions = { ...summaries.target.groupVersions };
  for (const key of carried) groupVersions[key] = summaries.folder.groupVersions[key]!;
  return { summary: { ...summaries.target, groupVersions }, carried };
}

// A model that serves no group/version is refused: it would replace a generated folder with an empty one.
import { ModelError } from "./errors.js";
import type { ApiModel } from "./ir.js";

/** What a source said it skipped, for telling why nothing is left. */
interface Skipped {
  groupVersion: string;
  reason: string;
}

/** How many skips a message quotes; the rest are counted. */
const QUOTED_SKIPS = 3;

/**
 * Throws unless `model` serves at least one group/version. `source` names where it came from (a folder, a
 * server, a target's label); `skipped` is what reading it dropped, the likeliest reason. A generation asks
 * for an empty result with `allowEmpty` (`--allow-empty`).
 */
export function assertServesSomething(model: ApiModel, source: { name: string; skipped: readonly Skipped[] }, what = "generate"): void {
  if (model.groups.some((group) => group.versions.length > 0)) return;
  const quoted = source.skipped.slice(0, QUOTED_SKIPS).map((entry) => `${entry.groupVersion}: ${entry.reason}`);
  const more = source.skipped.length > QUOTED_SKIPS ? `, and ${source.skipped.length - QUOTED_SKIPS} more` : "";
  const why = quoted.length === 0 ? "" : ` (skipped ${quoted.join("; ")}${more})`;
  throw new ModelError(
    `${source.name} serves no group/version to ${what}${why}; nothing was written. Check that it is the cluster, snapshot or ` +
      "OpenAPI folder you meant (an OpenAPI folder holds api/v1.json or apis/<group>/<version>.json with schemas)" +
      (what === "generate" ? ", or pass --allow-empty to generate an empty folder" : ""),
    { document: source.name },
  );
}

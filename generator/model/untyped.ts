// Resources no schema describes would be generated as `{ [key: string]: unknown }`: never silently.
import { ModelError } from "./errors.js";
import type { ApiModel } from "./ir.js";

/** `example.com/v1 widgets (kind Widget)` for each resource whose kind no schema declares, in model order. */
export function untypedResources(model: ApiModel): string[] {
  return model.groups.flatMap((group) =>
    group.versions.flatMap((version) =>
      version.resources.filter((resource) => resource.objectType === undefined).map((resource) => `${version.key} ${resource.plural} (kind ${resource.kind})`),
    ),
  );
}

/** How many resources a message names; the rest are counted. */
const NAMED = 3;

/**
 * Discovery serves resources whose kind no OpenAPI schema declares. From a live cluster this is what the first
 * seconds after a CRD is created look like (the schema is published after `Established`), so the generator
 * waited `waitedMs` first; from a snapshot or folder it cannot change.
 */
export class UntypedResourcesError extends ModelError {
  constructor(resources: readonly string[], source: { origin: string; waitedMs?: number }) {
    const named = resources.slice(0, NAMED).join(", ") + (resources.length > NAMED ? `, and ${resources.length - NAMED} more` : "");
    const why =
      source.waitedMs === undefined
        ? "the recording has no schema for them (recorded seconds after the CRD was created? record it again)"
        : `still none after waiting ${Math.round(source.waitedMs / 1000)}s (a CRD's schema is published seconds after it is created; an API server that publishes none stays so)`;
    super(
      `${source.origin}: no OpenAPI schema declares ${named}: ${why}; nothing was written. ` +
        "Pass --allow-untyped to generate them as `{ [key: string]: unknown }`",
      { document: source.origin },
    );
  }
}

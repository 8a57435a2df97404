// Big clusters: generation from thousands of CRDs (a snapshot, and a real kube-apiserver loaded with them),
// informers and lists over 100,000 objects, many watches at once, and watch decoding.
import type { RunContext } from "./context.js";
import { runScaleApiserver } from "./scale/apiserver.js";
import { runScaleGeneration } from "./scale/generation.js";
import { runScaleObjects } from "./scale/objects.js";
import { runScaleWatches, runWatchDecoding } from "./scale/watches.js";

/** The section's parts, in the order it runs them; `--only` takes each alone too (the whole takes ~30 minutes). */
export const SCALE_PARTS = {
  "scale-watches": async (context: RunContext) => {
    await runWatchDecoding(context);
    await runScaleWatches(context);
  },
  "scale-objects": runScaleObjects,
  "scale-generation": runScaleGeneration,
  "scale-apiserver": runScaleApiserver,
} as const;

export async function runScale(context: RunContext): Promise<void> {
  for (const part of Object.values(SCALE_PARTS)) await part(context);
}

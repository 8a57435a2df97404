// Big clusters: generation from thousands of CRDs (a snapshot, and a real kube-apiserver loaded with them),
// informers and lists over 100,000 objects, many watches at once, and watch decoding.
import type { RunContext } from "./context.js";
import { runScaleApiserver } from "./scale/apiserver.js";
import { runScaleGeneration } from "./scale/generation.js";
import { runScaleObjects } from "./scale/objects.js";
import { runScaleWatches, runWatchDecoding } from "./scale/watches.js";

export async function runScale(context: RunContext): Promise<void> {
  await runWatchDecoding(context);
  await runScaleWatches(context);
  await runScaleObjects(context);
  await runScaleGeneration(context);
  await runScaleApiserver(context);
}

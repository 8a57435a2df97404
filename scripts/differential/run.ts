// Sends every corpus case to the live server with dryRun=All and compares the server's verdict with the client's.
import { apiVersionOf } from "../../runtime/core/group-version.js";
import type { KubeClient } from "../../runtime/index.js";
import { StatusError } from "../../runtime/index.js";
import type { CorpusCase, CorpusTarget } from "./corpus.js";

/** One field error as a 422 Status cause carries it (and a verdict function answers it). */
export interface FieldError {
  readonly field: string;
  readonly reason: string;
  readonly message: string;
}

/** What the client under test says about an object (`old` on an update): no errors means accept. */
export type Verdict = (input: { target: CorpusTarget; object: Record<string, unknown>; old?: Record<string, unknown> }) => readonly FieldError[];

export interface CaseResult {
  readonly case: CorpusCase;
  readonly server: readonly FieldError[] | "accepted";
  readonly client: readonly FieldError[];
}

export interface Figures {
  readonly count: number;
  readonly falseRejections: number;
  readonly sameVerdict: number;
  readonly serverRejections: number;
  readonly caught: number;
  readonly samePath: number;
  readonly sameMessage: number;
}

const NAMESPACE = "default";

function collection(target: CorpusTarget): string {
  const base = target.group ? `/apis/${target.group}/${target.version}` : `/api/${target.version}`;
  return `${base}${target.namespaced ? `/namespaces/${NAMESPACE}` : ""}/${target.plural}`;
}

export function objectOf(target: CorpusTarget, name: string, body: Record<string, unknown>, resourceVersion?: string): Record<string, unknown> {
  const apiVersion = apiVersionOf(target.group, target.version);
  const metadata = { name, ...(target.namespaced ? { namespace: NAMESPACE } : {}), ...(resourceVersion ? { resourceVersion } : {}) };
  return { apiVersion, kind: target.kind, metadata, ...body };
}

/** The server's field errors for a refused object, or "accepted". */
async function serverVerdict(kube: KubeClient, method: "POST" | "PUT", path: string, object: unknown): Promise<readonly FieldError[] | "accepted"> {
  try {
    await kube.requestJson({ method, path, query: { dryRun: "All" }, body: object });
    return "accepted";
  } catch (error) {
    if (!(error instanceof StatusError) || error.code >= 500 || error.code === 409) throw error;
    const causes = error.details?.causes ?? [];
    return causes.length > 0 ? causes.map((c) => ({ field: c.field ?? "", reason: c.reason ?? "", message: c.message ?? "" })) : [{ field: "", reason: error.reason, message: error.serverMessage }];
  }
}

/** Fails naming the target when its valid seed is refused: mutations of an invalid seed would measure nothing. */
export async function checkSeeds(kube: KubeClient, targets: readonly CorpusTarget[]): Promise<void> {
  for (const target of targets) {
    const verdict = await serverVerdict(kube, "POST", collection(target), objectOf(target, "seed-check", target.seed));
    if (verdict !== "accepted") throw new Error(`the seed of ${target.label} is refused by the server: ${JSON.stringify(verdict)}; fix it in scripts/differential`);
  }
}

/** The stored object each target's updates replace (created once, for real, from the seed). */
export async function createBases(kube: KubeClient, targets: readonly CorpusTarget[], name: string): Promise<Map<CorpusTarget, Record<string, unknown>>> {
  const bases = new Map<CorpusTarget, Record<string, unknown>>();
  for (const target of targets) {
    const created = await kube.requestJson<Record<string, unknown>>({ method: "POST", path: collection(target), body: objectOf(target, name, target.seed) });
    bases.set(target, created);
  }
  return bases;
}

async function runCase(kube: KubeClient, item: CorpusCase, index: number, bases: Map<CorpusTarget, Record<string, unknown>>, verdict: Verdict): Promise<CaseResult> {
  const base = item.update ? bases.get(item.target) : undefined;
  const baseMeta = base?.metadata as { name: string; resourceVersion: string } | undefined;
  const object = baseMeta ? objectOf(item.target, baseMeta.name, item.body, baseMeta.resourceVersion) : objectOf(item.target, `case-${index}`, item.body);
  const path = baseMeta ? `${collection(item.target)}/${baseMeta.name}` : collection(item.target);
  const server = await serverVerdict(kube, baseMeta ? "PUT" : "POST", path, object);
  return { case: item, server, client: verdict({ target: item.target, object, ...(base ? { old: base } : {}) }) };
}

/** Sends the cases, `concurrency` at a time, and pairs each server verdict with the client's. */
export async function runCorpus(kube: KubeClient, cases: readonly CorpusCase[], verdict: Verdict, bases: Map<CorpusTarget, Record<string, unknown>>, concurrency = 8): Promise<CaseResult[]> {
  const results: CaseResult[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < cases.length; index = next++) results[index] = await runCase(kube, cases[index] as CorpusCase, index, bases, verdict);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

/** Count, false rejections, same verdict, and for the rejections both saw: same first field path and same cause message. */
export function figures(results: readonly CaseResult[]): Figures {
  let [falseRejections, sameVerdict, serverRejections, caught, samePath, sameMessage] = [0, 0, 0, 0, 0, 0];
  for (const { server, client } of results) {
    const serverRejects = server !== "accepted";
    if (client.length > 0 && !serverRejects) falseRejections++;
    if (client.length > 0 === serverRejects) sameVerdict++;
    if (!serverRejects) continue;
    serverRejections++;
    if (client.length === 0) continue;
    caught++;
    const first = client[0] as FieldError;
    if (server.some((cause) => cause.field === first.field)) samePath++;
    if (server.some((cause) => cause.field === first.field && cause.message === first.message)) sameMessage++;
  }
  return { count: results.length, falseRejections, sameVerdict, serverRejections, caught, samePath, sameMessage };
}

const percent = (part: number, whole: number) => (whole === 0 ? "n/a" : `${((100 * part) / whole).toFixed(2)}%`);

export function describeFigures(label: string, f: Figures): string {
  return `${label}: ${f.count} objects, false rejections ${f.falseRejections}, same verdict ${percent(f.sameVerdict, f.count)}, server rejections ${f.serverRejections} (client caught ${f.caught}: same path ${percent(f.samePath, f.caught)}, same message ${percent(f.sameMessage, f.caught)})`;
}

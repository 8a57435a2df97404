// A finalizer helper (kube-rs' `finalizer`): add ours, run cleanup once deletion is requested, then remove ours, conflict-safe.
import type { ObjectMetadata } from "../api/metadata.js";
import type { ObjectMetaLike } from "../api/objects.js";
import { isConflict, isNotFound } from "../rest/status-errors.js";
import { RequestValidationError } from "../request/validation.js";
import type { ClientNeeding } from "../api/verb-needs.js";

/** What the helper needs of a resource client: `get` and `patch` (any `kube.resource(d)` with both verbs). */
export interface FinalizerClient<T> {
  get(name: string, options?: { namespace?: string | undefined }): Promise<T>;
  patch(name: string, patch: any, options?: { namespace?: string | undefined; type?: "merge" }): Promise<T>;
}

/** The objects a finalizer client answers (`WithName<ConfigMap>` for `kube.resource(configMaps)`). */
export type FinalizerObject<C> = C extends FinalizerClient<infer T> ? T : never;

/** What to do with an object: bring it to its desired state, or clean up after it before it goes. */
export interface FinalizerHandlers<T, R> {
  /** The object is live (and carries the finalizer): reconcile it. */
  apply(object: T): R | Promise<R>;
  /**
   * Deletion was requested: release what the object holds outside it; the finalizer is removed once this resolves.
   * It may run more than once for one deletion (a reconcile from a cache that has not seen the removal yet): make it idempotent.
   */
  cleanup(object: T): R | Promise<R>;
}

const MAX_ATTEMPTS = 5;

/**
 * Runs `apply` or `cleanup` for `object` around the finalizer `finalizer` (e.g. `demo.kubetyped.dev/cleanup`):
 * a live object without it gets it first (then `apply` runs on the updated object); an object being deleted that
 * carries it gets `cleanup`, and then the finalizer is removed, which lets the deletion finish. An object being
 * deleted without it is left alone (answers undefined). If `cleanup` throws, the finalizer stays and the
 * deletion waits for the next attempt. Writes are merge patches carrying the resourceVersion read (409 on a
 * concurrent change), retried on a fresh read.
 */
export async function withFinalizer<C extends object, R>(
  client: ClientNeeding<C, FinalizerClient<any>, "withFinalizer", ["get", "patch"]>,
  finalizer: string,
  object: FinalizerObject<C>,
  handlers: FinalizerHandlers<FinalizerObject<C>, R>,
): Promise<R | undefined> {
  type T = FinalizerObject<C> & Finalizable;
  return finalize(client as FinalizerClient<T>, finalizer, object as T, handlers as FinalizerHandlers<T, R>);
}

type Finalizable = { metadata?: ObjectMetaLike };

async function finalize<T extends Finalizable, R>(client: FinalizerClient<T>, finalizer: string, object: T, handlers: FinalizerHandlers<T, R>): Promise<R | undefined> {
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[-A-Za-z0-9_.]+$/.test(finalizer)) {
    throw new RequestValidationError("finalizer", `${JSON.stringify(finalizer)} is not a domain-qualified finalizer name like example.com/cleanup`);
  }
  const metadata = object.metadata as ObjectMetadata | undefined;
  const holds = metadata?.finalizers?.includes(finalizer) ?? false;
  if (metadata?.deletionTimestamp === undefined) {
    const live = holds ? object : await changeFinalizers(client, object, (list) => (list.includes(finalizer) ? undefined : [...list, finalizer]));
    return live === undefined ? undefined : handlers.apply(live); // undefined: deleted meanwhile
  }
  if (!holds) return undefined;
  const result = await handlers.cleanup(object);
  await changeFinalizers(client, object, (list) => (list.includes(finalizer) ? list.filter((name) => name !== finalizer) : undefined));
  return result;
}

/**
 * Writes `change(finalizers)` (undefined: nothing to do) with the object's resourceVersion as precondition; on
 * 409 reads the object again and recomputes. Answers the object as written (or as read, when nothing changed), or
 * undefined when it no longer exists (the caller's copy was stale: another pass already finished it).
 */
async function changeFinalizers<T extends { metadata?: ObjectMetaLike }>(client: FinalizerClient<T>, object: T, change: (finalizers: string[]) => string[] | undefined): Promise<T | undefined> {
  const name = object.metadata?.name;
  if (name === undefined) throw new RequestValidationError("metadata.name", "a finalizer needs the object's name");
  const namespace = object.metadata?.namespace;
  const options = { namespace, type: "merge" as const };
  let current = object;
  for (let attempt = 1; ; attempt++) {
    const metadata = current.metadata as ObjectMetadata | undefined;
    const next = change(metadata?.finalizers ?? []);
    if (next === undefined) return current;
    try {
      return await client.patch(name, { metadata: { finalizers: next, resourceVersion: metadata?.resourceVersion } }, options);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      if (!isConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
      const fresh = await client.get(name, { namespace }).catch((failure: unknown) => {
        if (isNotFound(failure)) return undefined;
        throw failure;
      });
      if (fresh === undefined) return undefined;
      current = fresh;
    }
  }
}

import type { ObjectMetaLike } from "../api/objects.js";

type Stored = { metadata?: ObjectMetaLike };

/** `namespace/name`, or `name` for cluster-scoped objects: the key client-go's cache uses too. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** What changed when a fresh list replaced the store: the handlers to fire, in this order. */
export interface StoreDiff<T> {
  deleted: T[];
  added: T[];
  updated: Array<{ object: T; old: T }>;
}

/**
 * Objects by namespace ("" for cluster-scoped ones), then name. The keys are strings the objects already
 * hold: a `namespace/name` key per object would cost 100,000 more strings in a 100,000-object informer.
 */
type ByNamespace<T> = Map<string, Map<string, T>>;

/** The latest state of every object an informer knows, by namespace and name. */
export class ObjectStore<T extends Stored> {
  #objects: ByNamespace<T> = new Map();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** The object `name` in `namespace` (undefined for cluster-scoped objects). */
  get(namespace: string | undefined, name: string): T | undefined {
    return this.#objects.get(namespace ?? "")?.get(name);
  }

  values(): T[] {
    const values: T[] = [];
    for (const objects of this.#objects.values()) for (const object of objects.values()) values.push(object);
    return values;
  }

  /** Stores `object`; answers what it replaced (undefined for a new key). Objects without a name are ignored. */
  upsert(object: T): { old: T | undefined; stored: boolean } {
    const name = object.metadata?.name;
    if (!name) return { old: undefined, stored: false };
    const old = put(this.#objects, object.metadata?.namespace, name, object);
    if (old === undefined) this.#size++;
    return { old, stored: true };
  }

  /** Removes the object with `object`'s key; answers the stored one (undefined when unknown). */
  remove(object: T): T | undefined {
    const name = object.metadata?.name;
    const namespace = object.metadata?.namespace ?? "";
    const objects = name ? this.#objects.get(namespace) : undefined;
    const old = objects?.get(name!);
    if (old === undefined) return undefined;
    objects!.delete(name!);
    if (objects!.size === 0) this.#objects.delete(namespace);
    this.#size--;
    return old;
  }

  /**
   * Replaces everything with `objects` (a fresh list) and answers the difference: keys gone, keys new, and
   * keys whose resourceVersion changed. Unchanged objects keep no handler call.
   */
  replace(objects: Iterable<T>): StoreDiff<T> {
    const next: ByNamespace<T> = new Map();
    let size = 0;
    for (const object of objects) {
      const name = object.metadata?.name;
      if (name && put(next, object.metadata?.namespace, name, object) === undefined) size++;
    }
    const diff: StoreDiff<T> = { deleted: [], added: [], updated: [] };
    for (const [namespace, olds] of this.#objects) {
      const news = next.get(namespace);
      for (const [name, old] of olds) if (!news?.has(name)) diff.deleted.push(old);
    }
    for (const [namespace, news] of next) {
      const olds = this.#objects.get(namespace);
      for (const [name, object] of news) {
        const old = olds?.get(name);
        if (old === undefined) diff.added.push(object);
        else if (old.metadata?.resourceVersion !== object.metadata?.resourceVersion) diff.updated.push({ object, old });
      }
    }
    this.#objects = next;
    this.#size = size;
    return diff;
  }
}

/** Stores `object` under its namespace and name; answers the object it replaced. */
function put<T>(objects: ByNamespace<T>, namespace: string | undefined, name: string, object: T): T | undefined {
  let named = objects.get(namespace ?? "");
  if (named === undefined) objects.set(namespace ?? "", (named = new Map()));
  const old = named.get(name);
  named.set(name, object);
  return old;
}

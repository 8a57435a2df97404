import type { ObjectMetaLike } from "../api/objects.js";

type Stored = { metadata?: ObjectMetaLike };

/** `namespace/name`, or `name` for cluster-scoped objects: the key client-go's cache uses too. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

function keyOf(object: Stored): string | undefined {
  const name = object.metadata?.name;
  return name ? objectKey(object.metadata?.namespace, name) : undefined;
}

/** What changed when a fresh list replaced the store: the handlers to fire, in this order. */
export interface StoreDiff<T> {
  deleted: T[];
  added: T[];
  updated: Array<{ object: T; old: T }>;
}

/** The latest state of every object an informer knows, keyed by namespace/name. */
export class ObjectStore<T extends Stored> {
  #objects = new Map<string, T>();

  get size(): number {
    return this.#objects.size;
  }

  get(key: string): T | undefined {
    return this.#objects.get(key);
  }

  values(): T[] {
    return [...this.#objects.values()];
  }

  /** Stores `object`; answers what it replaced (undefined for a new key). Objects without a name are ignored. */
  upsert(object: T): { old: T | undefined; stored: boolean } {
    const key = keyOf(object);
    if (key === undefined) return { old: undefined, stored: false };
    const old = this.#objects.get(key);
    this.#objects.set(key, object);
    return { old, stored: true };
  }

  /** Removes the object with `object`'s key; answers the stored one (undefined when unknown). */
  remove(object: T): T | undefined {
    const key = keyOf(object);
    if (key === undefined) return undefined;
    const old = this.#objects.get(key);
    this.#objects.delete(key);
    return old;
  }

  /**
   * Replaces everything with `objects` (a fresh list) and answers the difference: keys gone, keys new, and
   * keys whose resourceVersion changed. Unchanged objects keep no handler call.
   */
  replace(objects: Iterable<T>): StoreDiff<T> {
    const next = new Map<string, T>();
    for (const object of objects) {
      const key = keyOf(object);
      if (key !== undefined) next.set(key, object);
    }
    const diff: StoreDiff<T> = { deleted: [], added: [], updated: [] };
    for (const [key, old] of this.#objects) if (!next.has(key)) diff.deleted.push(old);
    for (const [key, object] of next) {
      const old = this.#objects.get(key);
      if (old === undefined) diff.added.push(object);
      else if (old.metadata?.resourceVersion !== object.metadata?.resourceVersion) diff.updated.push({ object, old });
    }
    this.#objects = next;
    return diff;
  }
}

// One copy of the strings nearly every object of a collection repeats, so an informer's store holds them once.

/**
 * Objects decoded from JSON each carry their own copy of `apiVersion`, `kind` and `metadata.namespace` (V8
 * shares only strings of up to 10 characters): a 100,000-object informer holds 300,000 strings saying the same
 * few things. The reflector swaps them for one shared copy before it stores an object. Only fields with few
 * distinct values are shared, so the table stays small however long the informer runs.
 */
export class SharedStrings {
  readonly #strings = new Map<string, string>();

  /** Replaces `object`'s type meta and namespace with the shared copies (the object is the informer's own). */
  share(object: { apiVersion?: string; kind?: string; metadata?: { namespace?: string } }): void {
    if (typeof object.apiVersion === "string") object.apiVersion = this.#one(object.apiVersion);
    if (typeof object.kind === "string") object.kind = this.#one(object.kind);
    const metadata = object.metadata;
    if (typeof metadata?.namespace === "string") metadata.namespace = this.#one(metadata.namespace);
  }

  #one(value: string): string {
    const shared = this.#strings.get(value);
    if (shared !== undefined) return shared;
    this.#strings.set(value, value);
    return value;
  }
}

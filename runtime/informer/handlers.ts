// An informer's handler registry: add/update/delete/error listeners, where one that throws cannot stop the others.

/** The events an informer fires and their handlers' signatures. */
export type InformerHandlers<T> = {
  add: (object: T) => void;
  update: (object: T, old: T) => void;
  delete: (object: T) => void;
  /** Failures the informer retries (network, 5xx), watches that keep expiring (`RelistLoopError`), handler exceptions, and the one that stopped it. */
  error: (error: unknown) => void;
};

export class HandlerRegistry<T> {
  readonly #handlers: { [E in keyof InformerHandlers<T>]: Set<InformerHandlers<T>[E]> } = { add: new Set(), update: new Set(), delete: new Set(), error: new Set() };

  /** Registers `handler`; answers a function that removes it. */
  on<E extends keyof InformerHandlers<T>>(event: E, handler: InformerHandlers<T>[E]): () => void {
    const set = this.#handlers[event] as Set<InformerHandlers<T>[E]>;
    set.add(handler);
    return () => void set.delete(handler);
  }

  /** Calls every handler of `event`; a handler's exception goes to the error handlers. */
  emit<E extends keyof InformerHandlers<T>>(event: E, ...args: Parameters<InformerHandlers<T>[E]>): void {
    for (const handler of this.#handlers[event]) {
      try {
        (handler as (...a: unknown[]) => void)(...args);
      } catch (error) {
        if (event === "error") continue; // an error handler that throws has nobody left to tell
        this.emit("error", error);
      }
    }
  }
}

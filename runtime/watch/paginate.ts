import type { ResourceList } from "../client/types.js";

/**
 * Yields the items of every page of a list, following `metadata.continue` until the server stops
 * sending one. `fetchPage` gets the token of the page to read (undefined for the first).
 */
export async function* paginate<T>(fetchPage: (continueToken: string | undefined) => Promise<ResourceList<T>>): AsyncGenerator<T, void, undefined> {
  let continueToken: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await fetchPage(continueToken);
    yield* page.items ?? [];
    continueToken = page.metadata?.continue || undefined;
    // A server that repeats a token would loop forever; stop loudly instead.
    if (continueToken !== undefined) {
      if (seen.has(continueToken)) throw new Error(`list pagination: the server repeated continue token ${JSON.stringify(continueToken.slice(0, 40))}`);
      seen.add(continueToken);
    }
  } while (continueToken !== undefined);
}

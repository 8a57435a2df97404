import type { ResourceList, Status } from "../api/objects.js";
import { isGone, StatusError, type RequestContext } from "../rest/status-errors.js";

/**
 * 410 on a page after the first: the continue token expired (etcd compacted the version the list started
 * at). `inconsistentContinue` is the token the server offers instead: it continues the same list at the
 * current version, so items changed since the first page may be missing or seen in their newer state.
 * For a consistent result, list again from the start. `isGone` holds for it, as for any expired version; the
 * one `StatusError` subclass, for what the paging knows beyond the server's answer.
 */
export class ExpiredContinueError extends StatusError {
  override readonly name: string = "ExpiredContinueError";
  /** `metadata.continue` of the 410 answer; undefined when the server offered none. */
  readonly inconsistentContinue: string | undefined;
  /** How many pages had been read before the token expired. */
  readonly pagesRead: number;
  constructor(status: Status, context: RequestContext, pagesRead: number) {
    super(status, context);
    this.inconsistentContinue = status.metadata?.continue || undefined;
    this.pagesRead = pagesRead;
  }
}

/**
 * Yields every page of a list, following `metadata.continue` until the server stops sending one. A page is
 * requested only when the consumer asks for it, so at most one page is held at a time. `fetchPage` gets the
 * token of the page to read (`startToken`, by default undefined, for the first). An expired token fails as
 * `ExpiredContinueError`.
 */
export async function* paginatePages<T>(
  fetchPage: (continueToken: string | undefined) => Promise<ResourceList<T>>,
  startToken?: string,
): AsyncGenerator<ResourceList<T>, void, undefined> {
  let continueToken = startToken || undefined;
  let pagesRead = 0;
  do {
    let page: ResourceList<T>;
    try {
      page = await fetchPage(continueToken);
    } catch (error) {
      if (continueToken !== undefined && isGone(error)) throw new ExpiredContinueError(error.status, { method: error.method, url: error.url }, pagesRead);
      throw error;
    }
    pagesRead++;
    const next = page.metadata?.continue || undefined;
    // A server that repeats a token would loop forever; stop loudly instead.
    if (next !== undefined && next === continueToken) {
      throw new Error(`list pagination: the server repeated continue token ${JSON.stringify(next.slice(0, 40))}`);
    }
    continueToken = next;
    yield page;
  } while (continueToken !== undefined);
}

/** Yields the items of every page of a list (see `paginatePages`), one page in memory at a time. */
export async function* paginate<T>(
  fetchPage: (continueToken: string | undefined) => Promise<ResourceList<T>>,
  startToken?: string,
): AsyncGenerator<T, void, undefined> {
  for await (const page of paginatePages(fetchPage, startToken)) yield* page.items ?? [];
}

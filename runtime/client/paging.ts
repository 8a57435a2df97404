// listAll and listPages: a collection page by page over `continue` tokens, one page in memory at a time.
import type { ResourceList } from "../api/objects.js";
import { pagedList } from "../request/build.js";
import { paginate, paginatePages } from "../watch/paginate.js";
import type { AnyOptions, ResourceContext } from "./context.js";

type List = (options?: AnyOptions) => Promise<ResourceList<unknown>>;

/** `listAll` (items) and `listPages` (pages) over `list`; the scope is checked at the call. */
export function pagingMethods(context: ResourceContext, list: List) {
  const pages = (options: AnyOptions | undefined) => {
    const { first, page } = pagedList(context.base, options);
    return { fetch: (token: string | undefined) => list(page(token)), first };
  };
  return {
    listAll: (options?: AnyOptions) => {
      const { fetch, first } = pages(options);
      return paginate(fetch, first);
    },
    listPages: (options?: AnyOptions) => {
      const { fetch, first } = pages(options);
      return paginatePages(fetch, first);
    },
  };
}

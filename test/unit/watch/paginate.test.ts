import { describe, expect, it } from "vitest";
import { ExpiredContinueError, isGone, KubeClient, type ResourceList } from "../../../runtime/index.js";
import { paginatePages } from "../../../runtime/watch/paginate.js";
import { statusErrorFromResponse } from "../../../runtime/rest/status-errors.js";
import { configmaps } from "../../types/fixtures.js";
import { FakeTransport } from "../client/fake-transport.js";

type Item = { metadata: { name: string } };
const page = (names: string[], token?: string): ResourceList<Item> => ({
  apiVersion: "v1",
  kind: "List",
  metadata: { resourceVersion: "7", ...(token && { continue: token }) },
  items: names.map((name) => ({ metadata: { name } })),
});

describe("paginatePages", () => {
  it("fetches a page only when the consumer asks for it", async () => {
    const pages = [page(["a", "b"], "t1"), page(["c"], "t2"), page(["d"])];
    const tokens: Array<string | undefined> = [];
    const iterator = paginatePages<Item>(async (token) => {
      tokens.push(token);
      return pages[tokens.length - 1]!;
    })[Symbol.asyncIterator]();
    expect(tokens).toEqual([]);
    expect((await iterator.next()).value?.items.length).toBe(2);
    expect(tokens).toEqual([undefined]);
    await iterator.next();
    expect(tokens).toEqual([undefined, "t1"]);
    await iterator.next();
    expect(tokens).toEqual([undefined, "t1", "t2"]);
    expect((await iterator.next()).done).toBe(true);
    expect(tokens).toHaveLength(3);
  });

  it("starts from a given token", async () => {
    const tokens: Array<string | undefined> = [];
    for await (const _ of paginatePages<Item>(async (token) => (tokens.push(token), page(["x"])), "resume-here")) void _;
    expect(tokens).toEqual(["resume-here"]);
  });

  it("turns a 410 on a later page into ExpiredContinueError carrying the server's inconsistent token", async () => {
    const body = JSON.stringify({
      kind: "Status",
      apiVersion: "v1",
      metadata: { continue: "inconsistent-token" },
      status: "Failure",
      message: "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
      reason: "Expired",
      code: 410,
    });
    const fetch = async (token: string | undefined) => {
      if (token === undefined) return page(["a"], "old-token");
      throw statusErrorFromResponse(410, body, { method: "GET", url: "https://k8s.example/api/v1/configmaps?continue=old-token" });
    };
    const seen: string[] = [];
    const failure = await (async () => {
      for await (const current of paginatePages<Item>(fetch)) seen.push(...current.items.map((item) => item.metadata.name));
    })().catch((error: unknown) => error);
    expect(seen).toEqual(["a"]);
    expect(failure).toBeInstanceOf(ExpiredContinueError);
    expect(failure).toSatisfy(isGone);
    expect(isGone(failure)).toBe(true);
    const expired = failure as ExpiredContinueError;
    expect(expired.name).toBe("ExpiredContinueError");
    expect(expired.inconsistentContinue).toBe("inconsistent-token");
    expect(expired.pagesRead).toBe(1);
    expect(expired.message).toContain("continue parameter is too old");
  });

  it("leaves a 410 on the first page (no token yet) a plain StatusError (isGone)", async () => {
    const failure = await (async () => {
      for await (const _ of paginatePages<Item>(async () => {
        throw statusErrorFromResponse(410, JSON.stringify({ kind: "Status", code: 410, reason: "Expired", message: "old" }), { method: "GET", url: "u" });
      }))
        void _;
    })().catch((error: unknown) => error);
    expect(failure).toSatisfy(isGone);
    expect(failure).not.toBeInstanceOf(ExpiredContinueError);
  });
});

describe("resource client: listPages", () => {
  it("yields pages with their metadata, limit 500 by default", async () => {
    const transport = new FakeTransport();
    const kube = new KubeClient(transport, { namespace: "team-a" });
    transport.reply({ body: page(["a", "b"], "t1") }, { body: page(["c"]) });
    const sizes: number[] = [];
    for await (const current of kube.resource(configmaps).listPages({ labelSelector: "x=y" })) {
      sizes.push(current.items.length);
      expect(current.metadata.resourceVersion).toBe("7");
    }
    expect(sizes).toEqual([2, 1]);
    expect(transport.sent.map((request) => request.path)).toEqual([
      "/api/v1/namespaces/team-a/configmaps?labelSelector=x%3Dy&limit=500",
      "/api/v1/namespaces/team-a/configmaps?continue=t1&labelSelector=x%3Dy&limit=500",
    ]);
  });
});

import { describe, expect, it } from "vitest";
import type { ResourceList, WatchEvent } from "../../../runtime/index.js";
import { statusErrorFromStatus } from "../../../runtime/rest/status-errors.js";
import { watcher, type WatchConnection, type WatcherApi, type WatcherEvent, type WatcherOptions } from "../../../runtime/watch/watcher.js";

type Item = { metadata: { name?: string; resourceVersion: string; annotations?: Record<string, string> } };
const item = (name: string, resourceVersion: string): Item => ({ metadata: { name, resourceVersion } });
const added = (name: string, resourceVersion: string): WatchEvent<Item> => ({ type: "ADDED", object: item(name, resourceVersion) });
const bookmark = (resourceVersion: string, end = false): WatchEvent<Item> => ({
  type: "BOOKMARK",
  object: { metadata: { resourceVersion, ...(end && { annotations: { "k8s.io/initial-events-end": "true" } }) } },
});
const status = (code: number, reason: string) => statusErrorFromStatus({ kind: "Status", code, reason, message: reason }, { method: "GET", url: "u" });

/** One scripted answer per connection: events then an error, or an error at once; no script left: stays open. */
type Connection = { events?: Array<WatchEvent<Item>>; then?: Error } | Error;

/** An API answering lists from `lists` and watches from `watches` in turn, recording every call. */
function scriptedApi(lists: Array<ResourceList<Item> | Error>, watches: Connection[]) {
  const calls: string[] = [];
  const api: WatcherApi<Item> = {
    url: "https://k8s.example/api/v1/configmaps",
    async list(page) {
      calls.push(`list limit=${page.limit}${page.continue ? ` continue=${page.continue}` : ""}`);
      const answer = lists.shift();
      if (answer === undefined) throw new Error("no list scripted");
      if (answer instanceof Error) throw answer;
      return answer;
    },
    watch(connection: WatchConnection, signal) {
      calls.push(connection.sendInitialEvents ? `stream ${connection.resourceVersionMatch}` : `watch ${connection.resourceVersion}`);
      const script = watches.shift();
      return (async function* () {
        if (script instanceof Error) throw script;
        for (const event of script?.events ?? []) yield event;
        if (script?.then) throw script.then;
        if (script === undefined) await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
      })();
    },
  };
  return { api, calls };
}

const list = (resourceVersion: string, ...items: Item[]): ResourceList<Item> => ({ apiVersion: "v1", kind: "ConfigMapList", metadata: { resourceVersion }, items });

/** The first `count` events as short strings. */
async function take(api: WatcherApi<Item>, options: Partial<WatcherOptions>, count: number): Promise<string[]> {
  const seen: string[] = [];
  for await (const event of watcher(api, { initial: "stream", backoff: { initialMs: 1, maxMs: 2 }, ...options })) {
    seen.push(describeEvent(event));
    if (seen.length === count) break;
  }
  return seen;
}

function describeEvent(event: WatcherEvent<Item>): string {
  if (event.type === "INIT") return "INIT";
  if (event.type === "INIT_DONE") return `INIT_DONE@${event.resourceVersion}`;
  return `${event.type} ${event.object.metadata.name ?? ""}@${event.object.metadata.resourceVersion}`;
}

describe("watcher: streaming lists", () => {
  it("loads the state from one streaming watch, ends it at the annotated bookmark and goes on watching the same connection", async () => {
    const { api, calls } = scriptedApi([], [{ events: [added("a", "5"), added("b", "6"), bookmark("9", true), { type: "MODIFIED", object: item("a", "10") }] }]);
    expect(await take(api, {}, 5)).toEqual(["INIT", "INIT_APPLY a@5", "INIT_APPLY b@6", "INIT_DONE@9", "MODIFIED a@10"]);
    expect(calls).toEqual(["stream NotOlderThan"]);
  });

  it("after the stream ends, resumes from the last version without a relist; after 410 it streams the state again", async () => {
    const { api, calls } = scriptedApi([], [{ events: [added("a", "5"), bookmark("9", true), { type: "MODIFIED", object: item("a", "10") }] }, { events: [], then: status(410, "Expired") }, { events: [added("a", "12"), bookmark("12", true)] }]);
    expect(await take(api, {}, 7)).toEqual(["INIT", "INIT_APPLY a@5", "INIT_DONE@9", "MODIFIED a@10", "INIT", "INIT_APPLY a@12", "INIT_DONE@12"]);
    expect(calls).toEqual(["stream NotOlderThan", "watch 10", "stream NotOlderThan"]);
  });

  it("falls back to paged lists for good when the server refuses the streaming list (422, as 1.20 answers)", async () => {
    const { api, calls } = scriptedApi([list("7", item("a", "3")), list("20", item("a", "3"))], [status(422, "Invalid"), { events: [], then: status(410, "Expired") }]);
    expect(await take(api, {}, 6)).toEqual(["INIT", "INIT", "INIT_APPLY a@3", "INIT_DONE@7", "INIT", "INIT_APPLY a@3"]);
    expect(calls).toEqual(["stream NotOlderThan", "list limit=500", "watch 7", "list limit=500"]);
  });

  for (const [how, events] of [
    ["an event other than ADDED", [added("a", "5"), { type: "MODIFIED", object: item("a", "6") }]],
    ["a bookmark without the annotation", [added("a", "5"), bookmark("8")]],
    ["the end of the stream", [added("a", "5")]],
  ] as const) {
    it(`falls back to paged lists when a server that ignores sendInitialEvents answers with ${how} before the end bookmark`, async () => {
      const { api, calls } = scriptedApi([list("7", item("a", "5"))], [{ events: [...events] }]);
      expect(await take(api, {}, 5)).toEqual(["INIT", "INIT_APPLY a@5", "INIT", "INIT_APPLY a@5", "INIT_DONE@7"]);
      expect(calls.slice(0, 2)).toEqual(["stream NotOlderThan", "list limit=500"]);
    });
  }
});

describe("watcher: a streaming list that never starts", () => {
  it("is taken as ignored after firstEventWithinMs of silence: the connection is closed and the state listed in pages", async () => {
    const { api, calls } = scriptedApi([list("7", item("a", "5"))], []);
    const started = Date.now();
    expect(await take(api, { firstEventWithinMs: 50 }, 4)).toEqual(["INIT", "INIT", "INIT_APPLY a@5", "INIT_DONE@7"]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(calls).toEqual(["stream NotOlderThan", "list limit=500"]);
  });
});

describe("watcher: one retry decision", () => {
  it("resumes a dropped watch from the last version it yielded, without a relist, and tells onRetry", async () => {
    const drop = Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" });
    const { api, calls } = scriptedApi([list("7")], [{ events: [added("a", "8")], then: drop }, { events: [added("b", "9")] }]);
    const retried: unknown[] = [];
    expect(await take(api, { initial: "pages", onRetry: (error) => retried.push(error) }, 4)).toEqual(["INIT", "INIT_DONE@7", "ADDED a@8", "ADDED b@9"]);
    expect(calls).toEqual(["list limit=500", "watch 7", "watch 8"]);
    expect(retried).toEqual([drop]);
  });

  it("retries a list that failed with 503 after a backoff, and stops at once on 403", async () => {
    const { api, calls } = scriptedApi([status(503, "ServiceUnavailable"), list("7")], []);
    expect(await take(api, { initial: "pages" }, 3)).toEqual(["INIT", "INIT", "INIT_DONE@7"]);
    expect(calls).toEqual(["list limit=500", "list limit=500"]);
    const forbidden = status(403, "Forbidden");
    await expect(take(scriptedApi([forbidden], []).api, { initial: "pages" }, 3)).rejects.toBe(forbidden);
  });

  it("without state (initial: none) starts at the current version and throws a StatusError (isGone) on 410 instead of relisting", async () => {
    const gone = status(410, "Expired");
    const { api, calls } = scriptedApi([list("40")], [{ events: [added("a", "41")], then: gone }]);
    const seen: string[] = [];
    const run = (async () => {
      for await (const event of watcher(api, { initial: "none" })) seen.push(describeEvent(event));
    })();
    await expect(run).rejects.toBe(gone);
    expect(seen).toEqual(["ADDED a@41"]);
    expect(calls).toEqual(["list limit=1", "watch 40"]);
  });

  it("backs off between attempts that fail without progress, doubling, and reconnects at once after progress", async () => {
    const drop = () => Object.assign(new Error("reset"), { code: "ECONNRESET" });
    const openedAt: number[] = [];
    const { api } = scriptedApi([], [drop(), drop(), drop(), { events: [added("a", "2")], then: drop() }, { events: [added("b", "3")] }]);
    const watch = api.watch.bind(api);
    api.watch = (connection, signal) => (openedAt.push(Date.now()), watch(connection, signal));
    await take(api, { initial: "none", resourceVersion: "1", backoff: { initialMs: 40, maxMs: 80, random: () => 0.999 } }, 2);
    const gaps = openedAt.slice(1).map((at, index) => at - openedAt[index]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(35);
    expect(gaps[1]).toBeGreaterThanOrEqual(70);
    expect(gaps[2]).toBeGreaterThanOrEqual(70);
    expect(gaps[3]).toBeLessThan(30); // the fourth connection delivered an event: no wait
  });
});

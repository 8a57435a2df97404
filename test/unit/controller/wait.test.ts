import { describe, expect, it } from "vitest";
import { type ResourceList, type WatchEvent } from "../../../runtime/index.js";
import { waitFor } from "../../../runtime/entries/controller.js";
import { statusErrorFromStatus } from "../../../runtime/rest/status-errors.js";

type Cm = { metadata: { name: string; resourceVersion: string }; data?: { ready?: string } };
const cm = (resourceVersion: string, ready?: string): Cm => ({ metadata: { name: "x", resourceVersion }, ...(ready && { data: { ready } }) });
const ready = (object: Cm | undefined) => object?.data?.ready === "yes";

/** A source whose lists and watch connections answer from scripts; every call is recorded. */
function scripted(lists: Cm[][], watches: Array<{ events: Array<WatchEvent<Cm>>; then: Error }>) {
  const calls: string[] = [];
  const source = {
    async list(options?: { fieldSelector?: string }) {
      calls.push(`list ${options?.fieldSelector}`);
      const items = lists.shift() ?? [];
      return { apiVersion: "v1", kind: "ConfigMapList", metadata: { resourceVersion: String(10 + calls.length) }, items } satisfies ResourceList<Cm>;
    },
    watch(options?: { resourceVersion?: string; resume?: boolean }) {
      calls.push(`watch ${options?.resourceVersion} resume=${options?.resume}`);
      const script = watches.shift()!;
      return (async function* () {
        yield* script.events;
        throw script.then;
      })();
    },
  };
  return { source, calls };
}

describe("waitFor on the watcher loop", () => {
  it("resumes a dropped watch from the last version without listing again, and lists again after 410", async () => {
    const drop = Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" });
    const gone = statusErrorFromStatus({ kind: "Status", code: 410, reason: "Expired", message: "too old" }, { method: "WATCH", url: "u" });
    const { source, calls } = scripted(
      [[cm("5")], [cm("30")]],
      [
        { events: [{ type: "MODIFIED", object: cm("20") }], then: drop },
        { events: [], then: gone },
        { events: [{ type: "MODIFIED", object: cm("40", "yes") }], then: drop },
      ],
    );
    const found = await waitFor(source, "x", ready, { timeoutMs: 5_000 });
    expect(found?.metadata.resourceVersion).toBe("40");
    expect(calls).toEqual(["list metadata.name=x", "watch 11 resume=false", "watch 20 resume=false", "list metadata.name=x", "watch 14 resume=false"]);
  });
});

import { describe, expect, it } from "vitest";
import { isForbidden, isGone, StatusError, type WatchEvent } from "../../../runtime/index.js";
import { statusErrorFromStatus } from "../../../runtime/rest/status-errors.js";
import { BackoffSchedule } from "../../../runtime/watch/backoff.js";
import { resumingWatch, type WatchConnector } from "../../../runtime/watch/resume.js";
import { activeResourceCounts, expectNoLeaksSince } from "../../support/leak-check.js";

type Item = { metadata?: { name?: string; resourceVersion?: string } };
type Script = (resourceVersion: string, signal: AbortSignal) => AsyncIterable<string> | Promise<never>;

const line = (type: string, name: string | undefined, resourceVersion: string) =>
  JSON.stringify({ type, object: { metadata: { ...(name && { name }), resourceVersion } } }) + "\n";

function socketError(): Error {
  return Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" });
}

/** A connector answering each `open` from a script; records the versions it was opened with. */
function scripted(...scripts: Script[]) {
  const opened: string[] = [];
  let listed = 0;
  let streamsClosed = 0;
  const connector: WatchConnector = {
    url: "https://k8s.example/api/v1/namespaces/a/configmaps",
    async open(resourceVersion, signal) {
      opened.push(resourceVersion);
      const script = scripts.shift();
      if (!script) return never(signal);
      const stream = await script(resourceVersion, signal);
      return (async function* () {
        try {
          yield* stream;
        } finally {
          streamsClosed++;
        }
      })();
    },
    async currentResourceVersion() {
      listed++;
      return "100";
    },
  };
  return { connector, opened, listed: () => listed, streamsClosed: () => streamsClosed };
}

/** A stream that stays open until aborted, like an idle watch. */
async function* never(signal: AbortSignal): AsyncGenerator<string> {
  await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
  throw Object.assign(new Error("aborted"), { name: "AbortError" });
}

async function* chunks(...parts: Array<string | Error>): AsyncGenerator<string> {
  for (const part of parts) {
    if (part instanceof Error) throw part;
    yield part;
  }
}

async function take(events: AsyncIterable<WatchEvent<Item>>, count: number): Promise<Array<[string, string | undefined]>> {
  const seen: Array<[string, string | undefined]> = [];
  if (count === 0) return seen;
  for await (const event of events) {
    seen.push([event.type, (event.object as Item).metadata?.resourceVersion]);
    if (seen.length === count) break;
  }
  return seen;
}

const fast = { backoff: { initialMs: 1, maxMs: 2 } };

describe("resumingWatch", () => {
  it("reconnects after a dropped stream from the last version it yielded, losing and repeating nothing", async () => {
    const { connector, opened } = scripted(
      () => chunks(line("ADDED", "a", "11"), line("MODIFIED", "a", "12"), socketError()),
      () => chunks(line("DELETED", "a", "13")),
    );
    const seen = await take(resumingWatch<Item>(connector, { resourceVersion: "10", ...fast }), 3);
    expect(seen).toEqual([["ADDED", "11"], ["MODIFIED", "12"], ["DELETED", "13"]]);
    expect(opened).toEqual(["10", "12"]);
  });

  it("drops an event cut in half and resumes before it", async () => {
    const cut = line("MODIFIED", "a", "12");
    const { connector, opened } = scripted(
      () => chunks(line("ADDED", "a", "11"), cut.slice(0, 20)),
      () => chunks(cut),
    );
    const seen = await take(resumingWatch<Item>(connector, { resourceVersion: "10", ...fast }), 2);
    expect(seen).toEqual([["ADDED", "11"], ["MODIFIED", "12"]]);
    expect(opened).toEqual(["10", "11"]);
  });

  it("resumes from a bookmark after the server ends the stream, and yields the bookmark", async () => {
    const { connector, opened } = scripted(
      () => chunks(line("ADDED", "a", "11"), line("BOOKMARK", undefined, "50")),
      () => chunks(line("MODIFIED", "a", "51")),
    );
    const seen = await take(resumingWatch<Item>(connector, { resourceVersion: "10", ...fast }), 3);
    expect(seen).toEqual([["ADDED", "11"], ["BOOKMARK", "50"], ["MODIFIED", "51"]]);
    expect(opened).toEqual(["10", "50"]);
  });

  it("starts at the collection's current version when given none (or \"0\")", async () => {
    for (const resourceVersion of [undefined, "0"]) {
      const { connector, opened, listed } = scripted(() => chunks(line("ADDED", "a", "101")));
      const seen = await take(resumingWatch<Item>(connector, { ...(resourceVersion !== undefined && { resourceVersion }), ...fast }), 1);
      expect(seen).toEqual([["ADDED", "101"]]);
      expect(opened).toEqual(["100"]);
      expect(listed()).toBe(1);
    }
  });

  it("retries finding the current version after a network failure", async () => {
    const { connector, opened } = scripted(() => chunks(line("ADDED", "a", "101")));
    let failures = 2;
    const flaky: WatchConnector = {
      ...connector,
      currentResourceVersion: async (signal) => {
        if (failures-- > 0) throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
        return connector.currentResourceVersion(signal);
      },
    };
    expect(await take(resumingWatch<Item>(flaky, fast), 1)).toEqual([["ADDED", "101"]]);
    expect(failures).toBe(-1);
    expect(opened).toEqual(["100"]);
  });

  it("throws a StatusError (isGone) for 410 on connect and for an ERROR event with code 410 or reason Expired", async () => {
    const gone = statusErrorFromStatus({ kind: "Status", code: 410, reason: "Expired", message: "too old resource version: 1 (50)" }, { method: "GET", url: "u" });
    const cases: Script[] = [
      () => Promise.reject(gone),
      () => chunks(JSON.stringify({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired", message: "too old" } }) + "\n"),
      () => chunks(JSON.stringify({ type: "ERROR", object: { kind: "Status", reason: "Expired", message: "no code" } }) + "\n"),
      () => chunks(JSON.stringify({ type: "ERROR", object: { kind: "Status", code: 410, message: "no reason" } }) + "\n"),
    ];
    for (const script of cases) {
      const { connector, opened } = scripted(script);
      const failure = await take(resumingWatch<Item>(connector, { resourceVersion: "1", ...fast }), 1).catch((error: unknown) => error);
      expect(failure).toSatisfy(isGone);
      expect(isGone(failure)).toBe(true);
      expect((failure as StatusError).code).toBe(410);
      expect(opened).toEqual(["1"]);
    }
  });

  it("throws a refusal such as 403 at once, without reconnecting", async () => {
    const forbidden = statusErrorFromStatus({ kind: "Status", code: 403, reason: "Forbidden", message: "no" }, { method: "GET", url: "u" });
    const { connector, opened } = scripted(() => Promise.reject(forbidden));
    await expect(take(resumingWatch<Item>(connector, { resourceVersion: "1", ...fast }), 1)).rejects.toSatisfy(isForbidden);
    expect(opened).toEqual(["1"]);
  });

  it("reconnects after an ERROR event with a 5xx code and after a 503 on connect", async () => {
    const unavailable = statusErrorFromStatus({ kind: "Status", code: 503, message: "busy" }, { method: "GET", url: "u" });
    const { connector, opened } = scripted(
      () => chunks(line("ADDED", "a", "11"), JSON.stringify({ type: "ERROR", object: { kind: "Status", code: 500, message: "internal" } }) + "\n"),
      () => Promise.reject(unavailable),
      () => chunks(line("MODIFIED", "a", "12")),
    );
    expect(await take(resumingWatch<Item>(connector, { resourceVersion: "10", ...fast }), 2)).toEqual([["ADDED", "11"], ["MODIFIED", "12"]]);
    expect(opened).toEqual(["10", "11", "11"]);
  });

  it("does not retry garbage that is not a watch stream", async () => {
    const { connector } = scripted(() => chunks("<html>proxy login</html>\n"));
    await expect(take(resumingWatch<Item>(connector, { resourceVersion: "10", ...fast }), 1)).rejects.toThrow(/a line is not JSON/);
  });

  it("ends quietly on abort while connected, and while backing off, leaving no timer or stream", async () => {
    const before = activeResourceCounts();
    const controller = new AbortController();
    const { connector, streamsClosed } = scripted(() => chunks(line("ADDED", "a", "11")));
    const seen: string[] = [];
    for await (const event of resumingWatch<Item>(connector, { resourceVersion: "10", signal: controller.signal })) {
      seen.push(event.type);
      setTimeout(() => controller.abort(), 20); // the next connection is the never-ending one
    }
    expect(seen).toEqual(["ADDED"]);
    expect(streamsClosed()).toBe(1);

    const backingOff = new AbortController();
    const failing = scripted(...Array.from({ length: 5 }, () => () => chunks(socketError())));
    const started = Date.now();
    setTimeout(() => backingOff.abort(), 50);
    for await (const _ of resumingWatch<Item>(failing.connector, { resourceVersion: "10", signal: backingOff.signal, backoff: { initialMs: 60_000 } })) void _;
    expect(Date.now() - started).toBeLessThan(5_000);
    await expectNoLeaksSince(before);
  });

  it("closes the stream when the consumer breaks out of the loop", async () => {
    const { connector, streamsClosed } = scripted(() => chunks(line("ADDED", "a", "11"), line("ADDED", "b", "12")));
    expect(await take(resumingWatch<Item>(connector, { resourceVersion: "10" }), 1)).toEqual([["ADDED", "11"]]);
    expect(streamsClosed()).toBe(1);
  });

  it("backs off between failed reconnects, doubling up to a bound, and resets after progress", async () => {
    const opensAt: number[] = [];
    const failures = Array.from({ length: 4 }, () => () => {
      opensAt.push(Date.now());
      return chunks(socketError());
    });
    const { connector } = scripted(...failures, () => chunks(line("ADDED", "a", "11")));
    await take(resumingWatch<Item>(connector, { resourceVersion: "10", backoff: { initialMs: 40, maxMs: 80, random: () => 0.999 } }), 1);
    const gaps = opensAt.slice(1).map((at, index) => at - opensAt[index]!);
    // 40, 80, 80 (capped), each within timer slack.
    expect(gaps[0]).toBeGreaterThanOrEqual(35);
    expect(gaps[1]).toBeGreaterThanOrEqual(70);
    expect(gaps[2]).toBeGreaterThanOrEqual(70);
    expect(Math.max(...gaps)).toBeLessThan(400);
  });
});

describe("BackoffSchedule", () => {
  it("doubles from initialMs to maxMs with jitter between half and all of a step, and restarts on reset", () => {
    const top = new BackoffSchedule({ initialMs: 100, maxMs: 1_000, random: () => 0.9999999 });
    expect([1, 2, 3, 4, 5, 6].map(() => Math.round(top.nextDelayMs()))).toEqual([100, 200, 400, 800, 1000, 1000]);
    top.reset();
    expect(Math.round(top.nextDelayMs())).toBe(100);
    const bottom = new BackoffSchedule({ initialMs: 100, maxMs: 1_000, random: () => 0 });
    expect([1, 2, 3].map(() => bottom.nextDelayMs())).toEqual([50, 100, 200]);
  });
});

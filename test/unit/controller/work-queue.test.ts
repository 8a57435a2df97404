import { describe, expect, it } from "vitest";
import { createWorkQueue, type WorkQueue } from "../../../runtime/controller/work-queue.js";
import { exponentialBackoff, tokenBucket } from "../../../runtime/controller/rate-limit.js";
import { SteppedClock } from "./stepped-clock.js";

/** Settles what is already resolvable (promise callbacks), without touching any clock. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Whether `promise` has settled, after letting pending callbacks run. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await settle();
  return settled;
}

async function takeAll<K>(queue: WorkQueue<K>, count: number): Promise<K[]> {
  const keys: K[] = [];
  for (let i = 0; i < count; i++) keys.push((await queue.get()) as K);
  return keys;
}

describe("createWorkQueue", () => {
  it("keeps one entry per key while it waits, in first-added order", async () => {
    const queue = createWorkQueue({ clock: new SteppedClock() });
    for (const key of ["a", "b", "a", "c", "b"]) queue.add(key);
    expect(queue.length).toBe(3);
    expect(await takeAll(queue, 3)).toEqual(["a", "b", "c"]);
    expect(queue.processing).toBe(3);
  });

  it("never hands out a key in progress: added again, it waits for done() and then comes once", async () => {
    const queue = createWorkQueue({ clock: new SteppedClock() });
    queue.add("a");
    expect(await queue.get()).toBe("a");
    queue.add("a");
    queue.add("a");
    expect(queue.length).toBe(0);
    const second = queue.get();
    expect(await isSettled(second)).toBe(false);
    queue.done("a");
    expect(await second).toBe("a");
    queue.done("a");
    expect([queue.length, queue.processing]).toEqual([0, 0]);
  });

  it("hands keys to waiting workers in the order they asked", async () => {
    const queue = createWorkQueue({ clock: new SteppedClock() });
    const first = queue.get();
    const second = queue.get();
    queue.add("x");
    queue.add("y");
    expect([await first, await second]).toEqual(["x", "y"]);
  });

  it("backs a failing key off exponentially from 5 ms, capped, and forget() starts it over", () => {
    const backoff = exponentialBackoff<string>(5, 1_000_000);
    const delays = Array.from({ length: 20 }, () => backoff.when("k"));
    expect(delays.slice(0, 5)).toEqual([5, 10, 20, 40, 80]);
    expect(delays[17]).toBe(5 * 2 ** 17);
    expect(delays[18]).toBe(1_000_000); // 5 * 2^18 = 1,310,720 ms is over the 1,000 s cap
    expect(delays[19]).toBe(1_000_000);
    expect(backoff.retries("k")).toBe(20);
    expect(backoff.when("other")).toBe(5);
    backoff.forget("k");
    expect(backoff.retries("k")).toBe(0);
    expect(backoff.when("k")).toBe(5);
  });

  it("lets a burst of 100 retries through, then one per 1/qps, refilling with time", () => {
    const clock = new SteppedClock();
    const bucket = tokenBucket<string>(10, 100, clock);
    const burst = Array.from({ length: 100 }, (_, i) => bucket.when(`k${i}`));
    expect(burst.every((delay) => delay === 0)).toBe(true);
    expect([bucket.when("x"), bucket.when("y"), bucket.when("z")]).toEqual([100, 200, 300]);
    clock.advance(1_000); // ten tokens arrive; three were already promised
    expect(bucket.when("w")).toBe(0);
    expect(bucket.when("v")).toBe(0);
  });

  it("addRateLimited queues a key after the larger of its backoff and the overall rate", async () => {
    const clock = new SteppedClock();
    const queue = createWorkQueue({ clock, qps: 10, burst: 1 });
    queue.addRateLimited("a"); // backoff 5 ms, bucket 0
    queue.addRateLimited("b"); // backoff 5 ms, bucket 100 ms
    clock.advance(4);
    expect(queue.length).toBe(0);
    clock.advance(1);
    expect(queue.length).toBe(1);
    clock.advance(94);
    expect(queue.length).toBe(1);
    clock.advance(1);
    expect(await takeAll(queue, 2)).toEqual(["a", "b"]);
    expect([queue.retries("a"), queue.retries("b")]).toEqual([1, 1]);
    queue.forget("a");
    expect(queue.retries("a")).toBe(0);
  });

  it("grows the delay of one key until the cap and queues it exactly when due", async () => {
    const clock = new SteppedClock();
    const queue = createWorkQueue({ clock, baseDelayMs: 10, maxDelayMs: 50, qps: 1_000, burst: 1_000 });
    const observed: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const start = clock.now();
      queue.addRateLimited("k");
      for (let waited = 0; queue.length === 0 && waited < 1_000; waited++) clock.advance(1);
      observed.push(clock.now() - start);
      queue.done((await queue.get())!);
    }
    expect(observed).toEqual([10, 20, 40, 50, 50]);
  });

  it("addAfter queues at the due time; scheduling again keeps the earlier time; ≤ 0 is now", async () => {
    const clock = new SteppedClock();
    const queue = createWorkQueue({ clock });
    queue.addAfter("late", 100);
    queue.addAfter("late", 300); // later: ignored
    queue.addAfter("soon", 50);
    queue.addAfter("soon", 20); // earlier: wins
    queue.addAfter("now", 0);
    expect(queue.length).toBe(1);
    expect(queue.delayed).toBe(2);
    clock.advance(20);
    expect(queue.length).toBe(2);
    clock.advance(79);
    expect(queue.length).toBe(2);
    clock.advance(1);
    expect(await takeAll(queue, 3)).toEqual(["now", "soon", "late"]);
    expect(queue.delayed).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it("a delayed key that is already queued stays one entry", () => {
    const clock = new SteppedClock();
    const queue = createWorkQueue({ clock });
    queue.add("a");
    queue.addAfter("a", 10);
    clock.advance(10);
    expect(queue.length).toBe(1);
  });

  it("shutdown() drains: queued keys are still handed out, then get() answers undefined; it resolves after the last done()", async () => {
    const clock = new SteppedClock();
    const queue = createWorkQueue({ clock });
    for (const key of ["a", "b", "c"]) queue.add(key);
    queue.addAfter("later", 10);
    expect(await queue.get()).toBe("a");
    const stopped = queue.shutdown();
    queue.add("d"); // refused once shutting down
    expect(queue.shuttingDown).toBe(true);
    expect([queue.delayed, clock.pending]).toEqual([0, 0]);
    expect(await takeAll(queue, 2)).toEqual(["b", "c"]);
    expect(await queue.get()).toBeUndefined();
    queue.done("a");
    queue.done("b");
    expect(await isSettled(stopped)).toBe(false);
    queue.done("c");
    await stopped;
  });

  it("shutdown() drains a key that was added again while in progress", async () => {
    const queue = createWorkQueue({ clock: new SteppedClock() });
    queue.add("a");
    await queue.get();
    queue.add("a");
    const stopped = queue.shutdown();
    queue.done("a");
    expect(await queue.get()).toBe("a");
    queue.done("a");
    await stopped;
  });

  it("shutdown({ abandon: true }) drops waiting keys, releases idle workers at once, and waits only for keys in progress", async () => {
    const queue = createWorkQueue({ clock: new SteppedClock() });
    for (const key of ["a", "b", "c"]) queue.add(key);
    expect(await queue.get()).toBe("a");
    queue.add("a"); // would run again after done(), but the queue is abandoned
    const stopped = queue.shutdown({ abandon: true });
    expect(queue.length).toBe(0);
    expect(await queue.get()).toBeUndefined();
    expect(await isSettled(stopped)).toBe(false);
    queue.done("a");
    await stopped;
    expect(await queue.get()).toBeUndefined();
  });

  it("releases workers waiting in get() when it shuts down empty", async () => {
    const queue = createWorkQueue({ clock: new SteppedClock() });
    const waiting = [queue.get(), queue.get()];
    await queue.shutdown();
    expect(await Promise.all(waiting)).toEqual([undefined, undefined]);
  });

  it("refuses rate limits that are not positive numbers", () => {
    expect(() => createWorkQueue({ qps: 0 })).toThrow(/qps: 0 is not a positive number/);
    expect(() => createWorkQueue({ baseDelayMs: Number.NaN })).toThrow(/baseDelayMs/);
  });
});

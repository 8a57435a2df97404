import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { isTooManyRequests, KubeClient, NetworkError, StatusError, TimeoutError, type WithNameOrGenerateName } from "../../runtime/index.js";
import { createEventRecorder, createInformer, RelistLoopError } from "../../runtime/entries/controller.js";
import { createTransport, defineResource, loadKubeconfig, type TransportOptions } from "../../runtime/entries/plumbing.js";
import type { ClusterConnection } from "../../runtime/config/types.js";
import { describeWithCluster } from "../support/cluster.js";
import { createNamespace, runBounded } from "../support/cluster-ops.js";
import { checkNoLeaksAfterEach } from "../support/leak-check.js";
import { startTcpRelay, targetOf } from "../support/tcp-relay.js";
import { makeTempDir } from "../support/tmp.js";
import { startFaultFront, type FaultFront } from "./support/fault-front.js";
import { startFaultRelay } from "./support/fault-relay.js";

interface ConfigMap {
  apiVersion?: "v1";
  kind?: "ConfigMap";
  metadata?: { name?: string; generateName?: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}
const configmaps = defineResource<ConfigMap>()({
  group: "",
  version: "v1",
  plural: "configmaps",
  kind: "ConfigMap",
  namespaced: true,
  verbs: ["get", "list", "watch", "create", "update", "delete"],
});
// Served by an aggregated API server in real clusters; here the fault front plays the unavailable one.
const podMetrics = defineResource<{ metadata?: { name?: string } }>()({
  group: "metrics.k8s.io",
  version: "v1beta1",
  plural: "pods",
  kind: "PodMetrics",
  namespaced: true,
  verbs: ["get", "list", "create"],
});

const events = defineResource<{ regarding?: { name?: string } }>()({ group: "events.k8s.io", version: "v1", plural: "events", kind: "Event", namespaced: true, verbs: ["list"] });

const SEEDED = 300; // ~1 KB each: a ~350 KB list, which kube-apiserver sends chunked
const TIMEOUT_MS = 1_500;
const SLACK_MS = 700; // event-loop and TLS teardown allowance on a loaded machine
const MID_BODY = 60_000; // server→client bytes: well past the TLS handshake and the headers of a big list

const figures = { requests: 0, succeeded: 0, typedFailures: 0 };
const injected = new Map<string, number>();
const countFaults = (kind: string, count: number) => injected.set(kind, (injected.get(kind) ?? 0) + count);


/** Runs `call` and expects one of the typed errors within `withinMs`; answers the error. */
async function expectTypedFailure<E extends Error>(call: () => Promise<unknown>, type: abstract new (...args: never[]) => E, withinMs: number): Promise<E> {
  const started = Date.now();
  figures.requests++;
  const outcome = await call().then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  const elapsed = Date.now() - started;
  expect("error" in outcome, `expected a ${type.name}, but the call succeeded`).toBe(true);
  const error = (outcome as { error: unknown }).error;
  expect(error, `expected a ${type.name}, got ${String(error)}`).toBeInstanceOf(type);
  expect(elapsed, `${type.name} took ${elapsed} ms`).toBeLessThanOrEqual(withinMs);
  figures.typedFailures++;
  return error as E;
}

async function expectSuccess<T>(call: Promise<T>): Promise<T> {
  figures.requests++;
  const value = await call;
  figures.succeeded++;
  return value;
}

describeWithCluster("runtime under injected faults (relays in front of kube-apiserver)", (cluster) => {
  checkNoLeaksAfterEach();

  const namespace = `faults-${randomBytes(4).toString("hex")}`;
  let connection: ClusterConnection;
  const open: Array<{ close(): Promise<void> }> = [];

  /** A client to `server` (a relay or the front) with tight timeouts and fast, bounded retries. */
  const clientFor = (server: string, options: TransportOptions = {}, tls: Partial<ClusterConnection> = {}): KubeClient => {
    const transport = createTransport({ ...connection, ...tls, server }, { timeoutMs: TIMEOUT_MS, maxRetries: 3, retryBaseDelayMs: 20, ...options });
    return new KubeClient(transport, { namespace });
  };
  /**
   * Closes what a test opened, so the leak check sees nothing left: relays and fronts first (they were opened
   * first), which also ends any connect a timed-out request left behind, so the clients close at once.
   */
  const closeAll = async () => {
    while (open.length) await open.shift()!.close();
  };
  const track = <T extends { close(): Promise<void> }>(thing: T): T => (open.push(thing), thing);

  beforeAll(async () => {
    connection = await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath });
    const direct = clientFor(cluster.server, { timeoutMs: 30_000 });
    try {
      await createNamespace(direct, namespace);
      const filler = "x".repeat(1_000);
      await runBounded(SEEDED, 16, (index) =>
        direct.resource(configmaps).create({ metadata: { name: `seed-${index}`, labels: { seeded: "yes" } }, data: { filler } }).then(() => {}),
      );
    } finally {
      await direct.close();
    }
  });
  afterAll(() => {
    const total = [...injected.values()].reduce((sum, count) => sum + count, 0);
    const kinds = [...injected].map(([kind, count]) => `${count} ${kind}`).join(", ");
    console.log(
      `faults: ${total} faults injected (${kinds}); ${figures.requests} requests under faults: ${figures.succeeded} succeeded (after bounded retries where safe), ${figures.typedFailures} failed with a typed error within their timeout, none hung`,
    );
  });

  /** Objects the server holds with this label: proof of how many creates it processed. */
  const countLabelled = async (label: string): Promise<number> => {
    const direct = clientFor(cluster.server, { timeoutMs: 10_000 });
    try {
      const list = await direct.resource(configmaps).list({ labelSelector: `attempt=${label}` });
      return list.items.length;
    } finally {
      await direct.close();
    }
  };

  it("connection reset mid-response: a big list fails with a NetworkError, an idempotent GET reset during connect is retried, a create is sent once", { timeout: 20_000 }, async () => {
    try {
      // tcp-relay: every connection is reset after MID_BODY bytes, retries included.
      const relay = track(await startTcpRelay(targetOf(cluster.server)));
      relay.cutEveryBytes(MID_BODY);
      const kube = track(clientFor(`https://127.0.0.1:${relay.port}`));
      const error = await expectTypedFailure(() => kube.resource(configmaps).list(), NetworkError, TIMEOUT_MS + SLACK_MS);
      expect(error).not.toBeInstanceOf(TimeoutError);
      expect(relay.cuts).toBeGreaterThanOrEqual(1);
      expect(relay.connections).toBeLessThanOrEqual(4); // 1 + maxRetries at most
      countFaults("resets", relay.cuts);

      // One reset during the TLS handshake: the GET is resent on a new connection and succeeds.
      const faulty = track(await startFaultRelay(targetOf(cluster.server)));
      faulty.planFaults({ kind: "reset", afterBytes: 1 });
      const retried = track(clientFor(`https://127.0.0.1:${faulty.port}`));
      const got = await expectSuccess(retried.resource(configmaps).get("seed-0"));
      expect(got.metadata?.name).toBe("seed-0");
      expect(faulty.faultsFired).toBe(1);
      expect(faulty.connections).toBe(2);
      countFaults("resets", faulty.faultsFired);

      // A create (generateName, so resending would make a second object) whose answer is reset mid-way:
      // measure how many bytes a create answer takes, then reset the next connection inside its last part.
      const label = randomBytes(4).toString("hex");
      const body = (): WithNameOrGenerateName<ConfigMap> => ({ metadata: { generateName: "create-once-", labels: { attempt: label } }, data: { k: "v" } });
      const measure = track(await startFaultRelay(targetOf(cluster.server)));
      const measuring = clientFor(`https://127.0.0.1:${measure.port}`);
      await measuring.resource(configmaps).create(body());
      await measuring.close();
      const answerEnd = measure.downstreamBytes[0]!;
      const cutting = track(await startFaultRelay(targetOf(cluster.server)));
      cutting.planFaults({ kind: "reset", afterBytes: answerEnd - 150 });
      const creator = track(clientFor(`https://127.0.0.1:${cutting.port}`));
      await expectTypedFailure(() => creator.resource(configmaps).create(body()), NetworkError, TIMEOUT_MS + SLACK_MS);
      expect(cutting.faultsFired).toBe(1);
      expect(cutting.connections, "the create was sent again on a new connection").toBe(1);
      countFaults("resets", cutting.faultsFired);
      await closeAll();
      // The server processed the first (measuring) create and the cut one, each exactly once.
      expect(await countLabelled(label)).toBe(2);
    } finally {
      await closeAll();
    }
  });

  it("half-open sockets: before the answer and mid-body, requests fail with a TimeoutError within their timeout", { timeout: 20_000 }, async () => {
    try {
      const relay = track(await startTcpRelay(targetOf(cluster.server)));
      const kube = track(clientFor(`https://127.0.0.1:${relay.port}`));
      await expectSuccess(kube.resource(configmaps).get("seed-1")); // a pooled keep-alive connection now exists
      relay.pause();
      countFaults("half-open", 1);
      await expectTypedFailure(() => kube.resource(configmaps).get("seed-1"), TimeoutError, TIMEOUT_MS + SLACK_MS);
      await expectTypedFailure(() => kube.resource(configmaps).create({ metadata: { generateName: "half-open-" } }), TimeoutError, TIMEOUT_MS + SLACK_MS);
      relay.resume();
      await expectSuccess(kube.resource(configmaps).get("seed-1"));

      const faulty = track(await startFaultRelay(targetOf(cluster.server)));
      faulty.faultEveryConnection({ kind: "stall", afterBytes: MID_BODY });
      const stalled = track(clientFor(`https://127.0.0.1:${faulty.port}`));
      await expectTypedFailure(() => stalled.resource(configmaps).list(), TimeoutError, TIMEOUT_MS + SLACK_MS);
      expect(faulty.faultsFired).toBeGreaterThanOrEqual(1);
      countFaults("half-open", faulty.faultsFired);
    } finally {
      await closeAll();
    }
  });

  it("a slowloris server (one byte per 20 ms) cannot hold a request past its timeout, before or after the headers", { timeout: 20_000 }, async () => {
    try {
      const relay = track(await startFaultRelay(targetOf(cluster.server)));
      relay.planFaults({ kind: "trickle", afterBytes: MID_BODY, intervalMs: 20 }, { kind: "trickle", afterBytes: 0, intervalMs: 20 });
      const kube = track(clientFor(`https://127.0.0.1:${relay.port}`));
      // Mid-body: bytes keep arriving, so only a deadline on the whole exchange ends it.
      await expectTypedFailure(() => kube.resource(configmaps).list(), TimeoutError, TIMEOUT_MS + SLACK_MS);
      // From the first byte: the TLS handshake itself crawls.
      await expectTypedFailure(() => kube.resource(configmaps).get("seed-2"), TimeoutError, TIMEOUT_MS + SLACK_MS);
      expect(relay.faultsFired).toBe(2);
      expect(relay.downstreamBytes[0], "the slowloris connection kept sending").toBeGreaterThan(MID_BODY + 20);
      countFaults("slowloris", relay.faultsFired);
    } finally {
      await closeAll();
    }
  });

  it("a chunked list answer ended cleanly mid-chunk is an error, never a short success", { timeout: 20_000 }, async () => {
    try {
      const relay = track(await startFaultRelay(targetOf(cluster.server)));
      const transport = track(createTransport({ ...connection, server: `https://127.0.0.1:${relay.port}` }, { timeoutMs: 10_000 }));
      // The clean answer is chunked (no Content-Length), so only the terminating chunk marks its end.
      const clean = await transport.send({ method: "GET", path: `/api/v1/namespaces/${namespace}/configmaps`, headers: { accept: "application/json" } });
      const cleanText = await clean.body.text();
      expect(clean.headers["transfer-encoding"]).toBe("chunked");
      expect(clean.headers["content-length"]).toBeUndefined();
      expect(cleanText.length).toBeGreaterThan(4 * MID_BODY);

      relay.faultEveryConnection({ kind: "end", afterBytes: MID_BODY });
      const kube = track(clientFor(`https://127.0.0.1:${relay.port}`));
      for (let attempt = 0; attempt < 3; attempt++) {
        const error = await expectTypedFailure(() => kube.resource(configmaps).list(), NetworkError, TIMEOUT_MS + SLACK_MS);
        expect(error).not.toBeInstanceOf(TimeoutError);
      }
      expect(relay.faultsFired).toBe(3);
      countFaults("truncated chunked bodies", relay.faultsFired);
    } finally {
      await closeAll();
    }
  });

  /** The front, and a client that trusts the front's CA (TLS verified, as against any server). */
  const withFront = async (): Promise<{ front: FaultFront; kube: KubeClient }> => {
    const front = track(
      await startFaultFront({ pkiDir: await makeTempDir("fault-front-"), apiServer: cluster.server, apiServerCaFile: cluster.caFile, adminToken: cluster.admin.token }),
    );
    const kube = track(clientFor(front.server, {}, { tls: { ca: front.ca, insecureSkipVerify: false }, credentials: { type: "none" } }));
    return { front, kube };
  };

  it("429 storms with Retry-After: retried within the bound (creates too: a 429 was never processed), then a typed StatusError (isTooManyRequests)", { timeout: 20_000 }, async () => {
    try {
      const { front, kube } = await withFront();
      const refusals = new Map<string, number>();
      front.setRule(({ method, path }) => {
        if (path.includes("/configmaps/always-busy")) return { status: 429, headers: { "retry-after": "0" }, body: { kind: "Status", apiVersion: "v1", status: "Failure", reason: "TooManyRequests", code: 429 } };
        const key = `${method} ${path}`;
        const seen = refusals.get(key) ?? 0;
        if (seen >= 2) return undefined;
        refusals.set(key, seen + 1);
        // The first request of the storm is told to wait a whole second.
        return { status: 429, headers: { "retry-after": path.endsWith("/configmaps/seed-0") ? "1" : "0" } };
      });

      const started = Date.now();
      const names = Array.from({ length: 40 }, (_, index) => `seed-${index}`);
      const answers = await Promise.all(names.map((name) => expectSuccess(kube.resource(configmaps).get(name))));
      expect(answers.map((answer) => answer.metadata?.name)).toEqual(names);
      expect(Date.now() - started, "Retry-After: 1 was not waited for").toBeGreaterThanOrEqual(1_900); // two 1 s waits for seed-0
      for (const name of names) {
        expect(front.received.filter((request) => request.path.endsWith(`/configmaps/${name}`)).length).toBe(3);
      }

      const label = randomBytes(4).toString("hex");
      const created = await expectSuccess(kube.resource(configmaps).create({ metadata: { generateName: "storm-", labels: { attempt: label } } }));
      expect(created.metadata?.name).toMatch(/^storm-/);
      const posts = front.received.filter((request) => request.method === "POST");
      expect(posts.map((request) => request.injected ?? "relayed")).toEqual([429, 429, "relayed"]);

      const error = await expectTypedFailure(() => kube.resource(configmaps).get("always-busy"), StatusError, TIMEOUT_MS + SLACK_MS);
      expect(error).toSatisfy(isTooManyRequests);
      expect(error.code).toBe(429);
      expect(front.received.filter((request) => request.path.endsWith("/always-busy")).length).toBe(4); // 1 + maxRetries
      countFaults("429s", front.injected);
      await closeAll();
      expect(await countLabelled(label)).toBe(1);
    } finally {
      await closeAll();
    }
  });

  it("503 from an unavailable aggregated API: GETs retried within the bound, a create sent once, other groups unaffected", { timeout: 20_000 }, async () => {
    try {
      const { front, kube } = await withFront();
      const unavailable = {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Failure",
        message: 'the server is currently unable to handle the request (get pods.metrics.k8s.io)',
        reason: "ServiceUnavailable",
        details: { group: "metrics.k8s.io", kind: "pods" },
        code: 503,
      };
      front.setRule(({ path }) => (path.startsWith("/apis/metrics.k8s.io/") ? { status: 503, body: unavailable } : undefined));

      const [listError, getError, createError, core] = await Promise.all([
        expectTypedFailure(() => kube.resource(podMetrics).list(), StatusError, TIMEOUT_MS + SLACK_MS),
        expectTypedFailure(() => kube.resource(podMetrics).get("some-pod"), StatusError, TIMEOUT_MS + SLACK_MS),
        expectTypedFailure(() => kube.resource(podMetrics).create({ metadata: { name: "x" } }), StatusError, TIMEOUT_MS + SLACK_MS),
        expectSuccess(kube.resource(configmaps).list({ limit: 5 })),
      ]);
      for (const error of [listError, getError, createError]) {
        expect(error.code).toBe(503);
        expect(error.reason).toBe("ServiceUnavailable");
        expect(error.message).toContain("metrics.k8s.io");
      }
      expect(core.items.length).toBe(5);
      const to = (method: string, suffix: string) => front.received.filter((request) => request.method === method && request.path.split("?")[0]!.endsWith(suffix)).length;
      expect(to("GET", "/pods")).toBe(4);
      expect(to("GET", "/pods/some-pod")).toBe(4);
      expect(to("POST", "/pods"), "a 503 without Retry-After may have been processed: a create must not be resent").toBe(1);
      countFaults("503s", front.injected);
    } finally {
      await closeAll();
    }
  });

  it("every watch answered 410 (HTTP, then as an ERROR event): the informer relists with backoff, not in a loop, and tells its error handlers", { timeout: 30_000 }, async () => {
    try {
      const { front, kube } = await withFront();
      const expired = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "too old resource version: 1 (2)", reason: "Expired", code: 410 };
      for (const how of ["HTTP 410", "ERROR event"] as const) {
        front.setRule(({ path }) =>
          path.includes("watch=true") ? (how === "HTTP 410" ? { status: 410, body: expired } : { status: 200, body: { type: "ERROR", object: expired } }) : undefined,
        );
        const before = front.received.length;
        const cpuBefore = process.cpuUsage();
        const informer = createInformer(kube.resource(configmaps), { labelSelector: "seeded=yes" });
        const errors: unknown[] = [];
        informer.on("error", (error) => errors.push(error));
        await informer.synced;
        expect(informer.list()).toHaveLength(SEEDED);
        await new Promise((resolve) => setTimeout(resolve, 5_000));
        await informer.stop();
        const cpu = process.cpuUsage(cpuBefore);
        const requests = front.received.length - before;
        // Default backoff (100 ms doubling to 5 s, jittered down to half): at most 8 relists in 5 s, each a list and
        // a watch (16 requests; 20 leaves room for a watch in flight at stop); without it, ~2,000 pairs a second.
        expect(requests).toBeLessThanOrEqual(20);
        expect(errors.some((error) => error instanceof RelistLoopError)).toBe(true);
        countFaults(`410s (${how})`, requests / 2);
        console.log(`410 loop (${how}): ${requests} requests in 5 s, ${errors.length} error event(s), ${Math.round((cpu.user + cpu.system) / 50_000)}% of a core for the test process`);
      }
    } finally {
      await closeAll();
    }
  });

  it("a hot loop of distinct events against the real server: bounded per object and overall, the drops said once", { timeout: 60_000 }, async () => {
    const direct = track(clientFor(cluster.server, { timeoutMs: 30_000 }));
    try {
      const reported: string[] = [];
      const subject = (name: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace } });
      const recorder = createEventRecorder(direct, { reportingController: "kubetyped.dev/faults", onError: (error) => reported.push(String(error)) });
      for (let i = 0; i < 2_000; i++) recorder.event(subject("hot"), { type: "Normal", reason: "Processed", action: "Reconcile", note: `processed item ${i}` });
      for (let i = 0; i < 2_000; i++) recorder.event(subject(`object-${i}`), { type: "Normal", reason: "Synced", action: "Reconcile" });
      await recorder.close();
      const written = (await direct.resource(events).list({ namespace })).items;
      const aboutHot = written.filter((event) => event.regarding?.name === "hot").length;
      const aboutOthers = written.length - aboutHot;
      expect(aboutHot).toBe(25);
      expect(aboutOthers).toBeLessThanOrEqual(1_004);
      expect(recorder.dropped).toBe(4_000 - written.length);
      expect(reported.filter((line) => line.includes("dropping events"))).toHaveLength(2); // once per cause
      console.log(`event recorder: 4,000 distinct events (2,000 about one object, one on each of 2,000 others) became ${written.length} Event objects (${aboutHot} + ${aboutOthers}); ${recorder.dropped} dropped, said ${reported.length} times`);
    } finally {
      await closeAll();
    }
  });

  it("the server restarting mid-request: the in-flight request fails typed, GETs during the outage succeed after retries, creates are never doubled", { timeout: 20_000 }, async () => {
    try {
      const relay = track(await startFaultRelay(targetOf(cluster.server)));
      // The first connection crawls, so its list is surely in flight when the server goes away.
      relay.planFaults({ kind: "trickle", afterBytes: MID_BODY, intervalMs: 5 });
      const kube = track(clientFor(`https://127.0.0.1:${relay.port}`, { timeoutMs: 5_000, maxRetries: 6, retryBaseDelayMs: 100 }));
      const inFlight = expectTypedFailure(() => kube.resource(configmaps).list(), NetworkError, 5_000 + SLACK_MS);
      while (relay.faultsFired === 0) await new Promise((resolve) => setTimeout(resolve, 10));

      const label = randomBytes(4).toString("hex");
      let created = 0;
      let refusedCreates = 0;
      const restarting = relay.restart(1_000);
      countFaults("server restarts", 1);
      await new Promise((resolve) => setTimeout(resolve, 50)); // the server is down now
      const during = await Promise.all([
        ...Array.from({ length: 8 }, (_, index) => expectSuccess(kube.resource(configmaps).get(`seed-${index}`)).then(() => "ok")),
        ...Array.from({ length: 4 }, () =>
          kube
            .resource(configmaps)
            .create({ metadata: { generateName: "restart-", labels: { attempt: label } } })
            .then(
              () => void created++,
              (error: unknown) => {
                expect(error).toBeInstanceOf(NetworkError);
                refusedCreates++;
              },
            ),
        ),
      ]);
      await restarting;
      const error = await inFlight;
      expect(error).not.toBeInstanceOf(TimeoutError);
      expect(during.filter((outcome) => outcome === "ok").length).toBe(8);
      expect(created + refusedCreates).toBe(4);
      figures.requests += 4;
      figures.succeeded += created;
      figures.typedFailures += refusedCreates;
      await expectSuccess(kube.resource(configmaps).get("seed-0"));
      await closeAll();
      expect(await countLabelled(label)).toBe(created);
    } finally {
      await closeAll();
    }
  });

  it("the server restarting mid-watch: the watch resumes from its last resourceVersion and sees every change exactly once", { timeout: 60_000 }, async () => {
    const direct = clientFor(cluster.server, { timeoutMs: 10_000 });
    try {
      const relay = track(await startFaultRelay(targetOf(cluster.server)));
      const kube = track(clientFor(`https://127.0.0.1:${relay.port}`, { timeoutMs: 5_000 }));
      const label = randomBytes(4).toString("hex");
      const abort = new AbortController();
      // Every create below comes after this version, so the watch must deliver all of them.
      const { resourceVersion } = (await direct.resource(configmaps).list({ limit: 1 })).metadata;
      const watch = kube
        .resource(configmaps)
        .watch({ labelSelector: `restart-watch=${label}`, resourceVersion: resourceVersion!, signal: abort.signal })
        [Symbol.asyncIterator]();
      const seen: string[] = [];
      const restarts = [25, 55];
      const total = 80;
      const first = watch.next();
      const writer = (async () => {
        for (let index = 0; index < total; index++) {
          if (restarts.includes(index)) {
            await relay.restart(1_000);
            countFaults("server restarts", 1);
          }
          await direct.resource(configmaps).create({ metadata: { name: `w-${label}-${index}`, labels: { "restart-watch": label } } });
        }
      })();
      let next = await first;
      while (!next.done) {
        const event = next.value;
        if (event.type === "ADDED") seen.push(event.object.metadata!.name!);
        if (seen.length === total) break;
        next = await watch.next();
      }
      await writer;
      abort.abort();
      await watch.return?.(undefined);
      figures.requests++;
      figures.succeeded++;
      expect(seen).toEqual(Array.from({ length: total }, (_, index) => `w-${label}-${index}`));
      // At least one reconnect happened (two, unless the second restart fell inside the watch's reconnect backoff).
      expect(relay.connections).toBeGreaterThanOrEqual(2);
    } finally {
      await closeAll();
      await direct.close();
    }
  });
});

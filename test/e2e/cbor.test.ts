// CBOR (KEP-4222) on a live kube-apiserver started with CBORServingAndStorage: every answer the bench decodes
// as CBOR (a get, a list and a watch of built-ins and of a custom resource, and a refusal) gives exactly what
// the runtime's JSON path gives for the same answer in JSON.
import { readFile } from "node:fs/promises";
import { Agent, request } from "undici";
import { afterAll, beforeAll, expect, it } from "vitest";
import { decodeKubernetesCbor, decodeKubernetesCborSequence } from "../../bench/cbor/decode.js";
import { startLocalCluster, type LocalCluster } from "../../local-cluster/cluster.js";
import { decodeWatchEvents } from "../../runtime/watch/decode.js";
import { namespacedCrd } from "../support/cluster-ops.js";
import { describeWithCluster, type LocalClusterInfo } from "../support/cluster.js";

const NAMESPACE = "cbor-e2e";
const GROUP = "e2e.kubetyped.dev";
const WIDGETS = `/apis/${GROUP}/v1/namespaces/${NAMESPACE}/widgets`;
const CONFIGMAPS = `/api/v1/namespaces/${NAMESPACE}/configmaps`;

interface Answer {
  status: number;
  type: string;
  bytes: Buffer;
}

/** Plain undici with the cluster's CA and admin token: what is compared is the decoding, not a client. */
async function httpTo(cluster: LocalClusterInfo) {
  const dispatcher = new Agent({ connect: { ca: await readFile(cluster.caFile) } });
  const send = async (method: "GET" | "POST" | "PATCH" | "DELETE", path: string, options: { accept?: string; body?: unknown; type?: string } = {}): Promise<Answer> => {
    const headers: Record<string, string> = { authorization: `Bearer ${cluster.admin.token}`, accept: options.accept ?? "application/json" };
    if (options.body !== undefined) headers["content-type"] = options.type ?? "application/json";
    const body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    const response = await request(`${cluster.server}${path}`, { method, dispatcher, headers, ...(options.body !== undefined && { body }) });
    return { status: response.statusCode, type: String(response.headers["content-type"]), bytes: Buffer.from(await response.body.arrayBuffer()) };
  };
  const ok = async (method: "POST" | "PATCH" | "DELETE", path: string, body?: unknown, type?: string) => {
    const answer = await send(method, path, { body, ...(type && { type }) });
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.bytes.toString().slice(0, 300)}`);
  };
  /** The same GET as JSON and as CBOR; the CBOR one must come as `cborType`. */
  const both = async (path: string, cborType = "application/cbor") => {
    const [json, cbor] = [await send("GET", path), await send("GET", path, { accept: "application/cbor" })];
    expect(json.type).toBe("application/json");
    expect(cbor.type).toBe(cborType);
    expect(cbor.status).toBe(json.status);
    return { json: JSON.parse(json.bytes.toString("utf8")) as unknown, cbor: decodeKubernetesCbor(cbor.bytes), cborBytes: cbor.bytes.length, jsonBytes: json.bytes.length };
  };
  return { send, ok, both, dispatcher };
}

describeWithCluster("CBOR answers of a live kube-apiserver (CBORServingAndStorage)", (shared) => {
  let gated: LocalCluster;
  let http: Awaited<ReturnType<typeof httpTo>>;

  beforeAll(async () => {
    gated = await startLocalCluster({ featureGates: { CBORServingAndStorage: true } });
    http = await httpTo(gated);
    await http.ok("POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE } });
    await http.ok("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", namespacedCrd(GROUP, { plural: "widgets", kind: "Widget" }, { type: "object", properties: { spec: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } }));
    for (let i = 0; i < 5; i++) {
      await http.ok("POST", CONFIGMAPS, { metadata: { name: `c${i}`, annotations: { text: 'ü ✓ "quoted" \\ \u0000' } }, data: { index: String(i) }, binaryData: { raw: "AAEC/w==" } });
    }
    await http.ok("POST", `/api/v1/namespaces/${NAMESPACE}/secrets`, { metadata: { name: "s1" }, data: { key: "AAEC/w==" }, stringData: { text: "héllo" } });
    const deadline = Date.now() + 30_000;
    while ((await http.send("GET", WIDGETS)).status !== 200 && Date.now() < deadline) await new Promise((wake) => setTimeout(wake, 200));
    for (let i = 0; i < 3; i++) await http.ok("POST", WIDGETS, widget(`w${i}`));
  }, 180_000);

  afterAll(async () => {
    await http?.dispatcher.close();
    await gated?.stop();
  });

  it("is off without the gate: the run's cluster refuses application/cbor alone (406) and falls back to JSON when it is acceptable too", async () => {
    const plain = await httpTo(shared);
    try {
      const alone = await plain.send("GET", "/api/v1/namespaces/default", { accept: "application/cbor" });
      expect(alone.status).toBe(406);
      const either = await plain.send("GET", "/api/v1/namespaces/default", { accept: "application/cbor, application/json;q=0.9" });
      expect([either.status, either.type]).toEqual([200, "application/json"]);
    } finally {
      await plain.dispatcher.close();
    }
  });

  it("gives the same ConfigMap, Secret ([]byte as tag 22) and custom resource (int64 beyond 2^53) as JSON", async () => {
    for (const path of [`${CONFIGMAPS}/c0`, `/api/v1/namespaces/${NAMESPACE}/secrets/s1`, `${WIDGETS}/w0`]) {
      const { json, cbor, cborBytes, jsonBytes } = await http.both(path);
      expect(cbor, path).toStrictEqual(json);
      expect(cborBytes, path).toBeLessThan(jsonBytes);
    }
    const { cbor } = await http.both(`${WIDGETS}/w0`);
    expect((cbor as { spec: { big: number } }).spec.big).toBe(9007199254740992); // JSON.parse's rounding of 2^53 + 1
  });

  it("gives the same lists of ConfigMaps and of custom resources as JSON, at one resourceVersion", async () => {
    for (const collection of [CONFIGMAPS, WIDGETS]) {
      const first = JSON.parse((await http.send("GET", collection)).bytes.toString()) as { metadata: { resourceVersion: string } };
      const { json, cbor } = await http.both(`${collection}?resourceVersion=${first.metadata.resourceVersion}&resourceVersionMatch=Exact`);
      expect((json as { items: unknown[] }).items.length).toBeGreaterThanOrEqual(3);
      expect(cbor, collection).toStrictEqual(json);
    }
  });

  it("gives the same watch events as JSON (a CBOR sequence, application/cbor-seq), from one resourceVersion", async () => {
    for (const [collection, body, name] of [[CONFIGMAPS, { metadata: { name: "watched" }, data: { a: "1" } }, "watched"], [WIDGETS, widget("watched"), "watched"]] as const) {
      const from = (JSON.parse((await http.send("GET", collection)).bytes.toString()) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
      const watch = (accept: string) => request(`${gated.server}${collection}?watch=1&resourceVersion=${from}&timeoutSeconds=4`, { dispatcher: http.dispatcher, headers: { authorization: `Bearer ${gated.admin.token}`, accept } });
      const [json, cbor] = await Promise.all([watch("application/json"), watch("application/cbor")]);
      expect(cbor.headers["content-type"]).toBe("application/cbor-seq");
      await http.ok("POST", collection, body);
      await http.ok("PATCH", `${collection}/${name}`, { metadata: { labels: { changed: "yes" } } }, "application/merge-patch+json");
      await http.ok("DELETE", `${collection}/${name}`);
      const jsonEvents: unknown[] = [];
      for await (const event of decodeWatchEvents(json.body, "json watch")) jsonEvents.push(event);
      const cborEvents = decodeKubernetesCborSequence(Buffer.from(await cbor.body.arrayBuffer()));
      expect(jsonEvents.map((event) => (event as { type: string }).type)).toEqual(["ADDED", "MODIFIED", "DELETED"]);
      expect(cborEvents, collection).toStrictEqual(jsonEvents);
    }
  }, 30_000);

  it("answers a refusal as a CBOR Status equal to the JSON one", async () => {
    const { json, cbor } = await http.both(`${CONFIGMAPS}/absent`);
    expect(json).toMatchObject({ kind: "Status", code: 404, reason: "NotFound" });
    expect(cbor).toStrictEqual(json);
  });
});

/**
 * A custom resource (as JSON text, so its integers beyond 2^53 reach the server exactly) with what JSON and
 * CBOR carry differently: big and negative int64s, floats, null, nesting.
 */
function widget(name: string): string {
  const spec = { ratio: 1.5, whole: 3.0, tiny: 1e-7, none: null, list: [1, "a", true, { z: [] }], empty: {} };
  const integers = '"big":9007199254740993,"max":9223372036854775807,"min":-9223372036854775808';
  return JSON.stringify({ apiVersion: `${GROUP}/v1`, kind: "Widget", metadata: { name }, spec }).replace(/}}$/, `,${integers}}}`);
}

import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { once } from "node:events";
import { connect as connectTcp } from "node:net";
import { Readable } from "node:stream";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  clientFromConnection,
  connect,
  isForbidden,
  isNotFound,
  isUnauthorized,
  KubeClient,
  RequestValidationError,
  Secret,
  StatusError,
  TlsError,
} from "../../runtime/index.js";
import { PortForwardError, StreamClosedError, StreamProtocolError } from "../../runtime/entries/streams.js";
import { defineResource } from "../../runtime/entries/plumbing.js";
import { createLocalPki } from "../../local-cluster/pki.js";
import { LOG_LINES, MULTI_CONTAINER_POD, POD, startKubeletProtocolServer, type KubeletProtocolServer } from "../support/kubelet-protocol-server.js";
import { makeTempDir } from "../support/tmp.js";
import { describeWithCluster } from "../support/cluster.js";
import { readBytes, streamingPods as pods, text } from "../support/streams.js";

const TOKEN = "kubelet-protocol-test-token";
/** Resource kinds that mean an open socket, server or timer. */
const TRACKED = new Set(["TCPSocketWrap", "TLSWrap", "TCPServerWrap", "Timeout", "Immediate", "PipeWrap"]);

function countTracked(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) if (TRACKED.has(kind)) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

function leaksSince(baseline: Map<string, number>): string[] {
  const now = countTracked();
  return [...now].filter(([kind, count]) => count > (baseline.get(kind) ?? 0)).map(([kind, count]) => `${kind}: ${baseline.get(kind) ?? 0} -> ${count}`);
}

describe("streams against a kubelet protocol server", () => {
  let server: KubeletProtocolServer;
  let ca: Buffer;
  let kube: KubeClient;
  let baseline: Map<string, number>;

  const clientWith = (token: string) =>
    clientFromConnection({
      server: server.url,
      tls: { ca, insecureSkipVerify: false },
      credentials: { type: "token", token: new Secret(token) },
      namespace: POD.namespace,
      source: "kubelet protocol server",
    });

  beforeAll(async () => {
    const pki = await createLocalPki(await makeTempDir("kubelet-pki-"));
    ca = await readFile(pki.caFile);
    server = await startKubeletProtocolServer({
      cert: await readFile(pki.serving.certFile),
      key: await readFile(pki.serving.keyFile),
      token: TOKEN,
    });
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
    server.resizes.length = 0;
    server.execProtocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"];
    baseline = countTracked();
    kube = clientWith(TOKEN);
  });
  afterEach(async () => {
    await kube.close();
    // Sockets close asynchronously on both ends; give them a moment, then nothing may be left over.
    const deadline = Date.now() + 3000;
    while (leaksSince(baseline).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(leaksSince(baseline)).toEqual([]);
  });

  it("exec: stdin goes to stdout, end of stdin (v5 close signal) ends the command", async () => {
    const session = await kube.resource(pods).exec(POD.name, { command: ["cat"], stdin: true });
    expect(session.protocol).toBe("v5.channel.k8s.io");
    session.stdin.write("hello ");
    session.stdin.end("world\n");
    const [stdout, stderr, result] = await Promise.all([text(session.stdout), text(session.stderr), session.result]);
    expect(stdout).toBe("hello world\n");
    expect(stderr).toBe("");
    expect(result.exitCode).toBe(0);
    expect(result.status?.status).toBe("Success");
    const recorded = server.requests.at(-1)!;
    expect(recorded.query.getAll("command")).toEqual(["cat"]);
    expect(recorded.query.get("stdin")).toBe("true");
  });

  it("exec: 200 KiB through stdin and back (16- and 64-bit WebSocket frame lengths)", async () => {
    const payload = Buffer.alloc(200 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = 97 + (i % 26);
    const chunks = [payload.subarray(0, 100), payload.subarray(100, 70_100), payload.subarray(70_100)];
    const collected = await kube.resource(pods).execAndCollect(POD.name, { command: ["cat"], stdin: Readable.from(chunks) });
    expect(collected.exitCode).toBe(0);
    expect(collected.stdout.length).toBe(payload.length);
    expect(collected.stdout === payload.toString("utf8")).toBe(true);
  });

  it("exec: stderr and a non-zero exit code from the v4/v5 error channel Status", async () => {
    const session = await kube.resource(pods).exec(POD.name, { command: ["fail", "3", "boom", "now"] });
    const [stdout, stderr, result] = await Promise.all([text(session.stdout), text(session.stderr), session.result]);
    expect(stdout).toBe("");
    expect(stderr).toBe("boom now\n");
    expect(result.exitCode).toBe(3);
    expect(result.status?.reason).toBe("NonZeroExitCode");
  });

  it("execAndCollect: output as text, stdin given up front", async () => {
    const echoed = await kube.resource(pods).execAndCollect(POD.name, { command: ["echo", "a", "b"] });
    expect(echoed).toMatchObject({ stdout: "a b\n", stderr: "", exitCode: 0 });
    const piped = await kube.resource(pods).execAndCollect(POD.name, { command: ["cat"], stdin: Readable.from(["one\n", "two\n"]) });
    expect(piped).toMatchObject({ stdout: "one\ntwo\n", exitCode: 0 });
    const query = server.requests.at(-1)!.query;
    expect([query.get("stdin"), query.get("stdout"), query.get("stderr"), query.get("tty")]).toEqual(["true", "true", "true", null]);
  });

  it("exec: resize messages reach the server as TerminalSize JSON (tty)", async () => {
    const session = await kube.resource(pods).exec(POD.name, { command: ["resize-report", "2"], tty: true, stdin: true });
    await session.resize(80, 24);
    await session.resize(132, 43);
    const [stdout, result] = await Promise.all([text(session.stdout), session.result]);
    expect(stdout).toBe("80x24\n132x43\n");
    expect(result.exitCode).toBe(0);
    expect(server.resizes).toEqual([
      { Width: 80, Height: 24 },
      { Width: 132, Height: 43 },
    ]);
    const query = server.requests.at(-1)!.query;
    expect(query.get("tty")).toBe("true");
    expect(query.get("stderr")).toBeNull(); // a terminal merges stderr into stdout
  });

  it("exec: falls back to v4.channel.k8s.io when the server has no v5", async () => {
    server.execProtocols = ["v4.channel.k8s.io"];
    const session = await kube.resource(pods).exec(POD.name, { command: ["fail", "7", "old", "server"] });
    expect(session.protocol).toBe("v4.channel.k8s.io");
    const [stderr, result] = await Promise.all([text(session.stderr), session.result]);
    expect(stderr).toBe("old server\n");
    expect(result.exitCode).toBe(7);
    expect(server.requests.at(-1)!.protocol).toBe("v4.channel.k8s.io");
  });

  it("exec: a failure Status that is not an exit code rejects result with a typed error", async () => {
    const session = await kube.resource(pods).exec(POD.name, { command: ["no-such-binary"] });
    const error = await session.result.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StatusError);
    expect((error as StatusError).reason).toBe("InternalError");
    expect((error as StatusError).message).toContain("executable file not found");
    expect(await text(session.stdout)).toBe("");
  });

  it("exec: a connection dropped without a status rejects result with StreamClosedError", async () => {
    const session = await kube.resource(pods).exec(POD.name, { command: ["crash"] });
    const [stdout, error] = await Promise.all([text(session.stdout), session.result.catch((caught: unknown) => caught)]);
    expect(stdout).toBe("partial\n");
    expect(error).toBeInstanceOf(StreamClosedError);
    expect((error as StreamClosedError).closeCode).toBe(1006);
  });

  it("exec: a message that breaks the channel protocol ends the session with StreamProtocolError", async () => {
    const session = await kube.resource(pods).exec(POD.name, { command: ["garbage"] });
    await expect(session.result).rejects.toBeInstanceOf(StreamProtocolError);
    expect(await text(session.stdout)).toBe("");
  });

  it("exec: aborting the signal ends the session and rejects result with the reason", async () => {
    const controller = new AbortController();
    const session = await kube.resource(pods).exec(POD.name, { command: ["cat"], stdin: true, signal: controller.signal });
    session.stdin.write("partial\n");
    const firstChunk = (await readBytes(session.stdout, "partial\n".length)).toString();
    expect(firstChunk).toBe("partial\n");
    controller.abort(new Error("user hit ctrl-c"));
    await expect(session.result).rejects.toThrow("user hit ctrl-c");
    expect(session.stdout.readableEnded || session.stdout.destroyed).toBe(true);
  });

  it("exec: bad arguments reject before any connection", async () => {
    await expect(kube.resource(pods).exec(POD.name, { command: [] })).rejects.toBeInstanceOf(RequestValidationError);
    await expect(kube.resource(pods).exec(POD.name, { command: ["ls"], stdout: false, stderr: false })).rejects.toThrow(/at least one of stdin/);
    await expect(kube.resource(pods).exec("../secrets", { command: ["ls"] })).rejects.toBeInstanceOf(RequestValidationError);
    expect(server.requests).toEqual([]);
  });

  it("attach: stdin to the running process, its output back, end of stdin ends it", async () => {
    const session = await kube.resource(pods).attach(POD.name, { stdin: true });
    session.stdin.end("quiet please\n");
    const [stdout, stderr, result] = await Promise.all([text(session.stdout), text(session.stderr), session.result]);
    expect(stdout).toBe("QUIET PLEASE\n");
    expect(stderr).toBe("attached\n");
    expect(result.exitCode).toBe(0);
    const recorded = server.requests.at(-1)!;
    expect(recorded.kind).toBe("attach");
    expect(recorded.query.has("command")).toBe(false);
  });

  it("port-forward: bytes both ways on two ports at once", async () => {
    const session = await kube.resource(pods).portforward(POD.name, { ports: [8080, 9090] });
    const echo = session.stream(8080);
    const upper = session.stream(9090);
    echo.write("ping over 8080");
    upper.write("shout over 9090");
    const [fromEcho, fromUpper] = (await Promise.all([readBytes(echo, "ping over 8080".length), readBytes(upper, "shout over 9090".length)])).map(String);
    expect(fromEcho).toBe("ping over 8080");
    expect(fromUpper).toBe("SHOUT OVER 9090");
    expect(server.requests.at(-1)!.query.getAll("ports")).toEqual(["8080", "9090"]);
    expect(server.requests.at(-1)!.protocol).toBe("v4.channel.k8s.io");
    session.close();
    await session.closed;
    expect(() => session.stream(1234)).toThrow(RequestValidationError);
  });

  it("port-forward: the pod's error channel fails that port's stream with PortForwardError", async () => {
    const session = await kube.resource(pods).portforward(POD.name, { ports: [7777] });
    const error = await new Promise<Error>((resolve) => session.stream(7777).once("error", resolve));
    expect(error).toBeInstanceOf(PortForwardError);
    expect(error.message).toContain("connection refused");
    expect((error as PortForwardError).port).toBe(7777);
    await session.closed;
  });

  it("port-forward listen: a local TCP port, one session per accepted connection", async () => {
    const listener = await kube.resource(pods).portforward.listen(POD.name, { port: 9090 });
    expect(listener.address.port).toBeGreaterThan(0);
    const talk = async (line: string) => {
      const socket = connectTcp(listener.address.port, "127.0.0.1");
      await once(socket, "connect");
      socket.write(line);
      let answer = "";
      await new Promise<void>((resolve) =>
        socket.on("data", (chunk: Buffer) => {
          answer += chunk.toString("utf8");
          if (answer.length >= line.length) resolve();
        }),
      );
      socket.end();
      await once(socket, "close");
      return answer;
    };
    expect(await Promise.all([talk("first connection"), talk("second connection")])).toEqual(["FIRST CONNECTION", "SECOND CONNECTION"]);
    expect(server.requests.filter((request) => request.kind === "portforward")).toHaveLength(2);
    await listener.close();
  });

  it("logs: get sends the PodLogOptions query and returns the text", async () => {
    const logs = kube.resource(pods).log;
    expect(await logs.get(POD.name)).toBe(LOG_LINES.map((line) => `${line}\n`).join(""));
    const tailed = await logs.get(POD.name, { container: "app", tailLines: 2, timestamps: true, sinceSeconds: 60, limitBytes: 4096 });
    expect(tailed).toBe("2024-05-01T10:00:00.000000000Z listening on :8080\n2024-05-01T10:00:01.000000000Z ready\n");
    const query = server.requests.at(-1)!.query;
    expect(Object.fromEntries(query)).toEqual({ container: "app", tailLines: "2", timestamps: "true", sinceSeconds: "60", limitBytes: "4096" });
    expect(await logs.get(POD.name, { previous: true, sinceTime: new Date("2024-05-01T10:00:00.250Z") })).toBe("previous instance crashed\n");
    expect(server.requests.at(-1)!.query.get("sinceTime")).toBe("2024-05-01T10:00:00Z");
    await expect(logs.get(POD.name, { sinceSeconds: 5, sinceTime: "2024-01-01T00:00:00Z" })).rejects.toBeInstanceOf(RequestValidationError);
  });

  it("logs: stream follows new lines (joined across chunks) until the loop breaks", async () => {
    const lines: string[] = [];
    for await (const line of kube.resource(pods).log.stream(POD.name, { tailLines: 1 })) {
      lines.push(line);
      if (line === "tick 3") break;
    }
    expect(lines).toEqual(["ready", "tick 1", "tick 2", "tick 3"]);
    expect(server.requests.at(-1)!.query.get("follow")).toBe("true");
  });

  it("logs: stream ends quietly when the signal aborts", async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    for await (const line of kube.resource(pods).log.stream(POD.name, { signal: controller.signal })) {
      lines.push(line);
      if (line === "tick 1") controller.abort();
    }
    expect(lines.slice(0, 4)).toEqual([...LOG_LINES, "tick 1"]);
  });

  it("logs: a pod with two containers and no container option is a typed 400", async () => {
    const error = await kube.resource(pods).log.get(MULTI_CONTAINER_POD).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StatusError);
    expect((error as StatusError).code).toBe(400);
    expect((error as StatusError).serverMessage).toContain("a container name must be specified");
  });

  it("a wrong token is a typed StatusError (isUnauthorized), for upgrades as for plain requests", async () => {
    const stranger = clientWith("not-the-token");
    try {
      const execError = await stranger.resource(pods).exec(POD.name, { command: ["echo", "hi"] }).catch((caught: unknown) => caught);
      expect(execError).toSatisfy(isUnauthorized);
      expect((execError as StatusError).url).toContain("/api/v1/namespaces/streams/pods/web/exec");
      expect(String((execError as Error).message)).not.toContain("not-the-token");
      await expect(stranger.resource(pods).portforward(POD.name, { ports: [8080] })).rejects.toSatisfy(isUnauthorized);
      await expect(stranger.resource(pods).log.get(POD.name)).rejects.toSatisfy(isUnauthorized);
    } finally {
      await stranger.close();
    }
  });

  it("an untrusted server certificate is a TlsError on upgrade, as on any request", async () => {
    const untrusting = clientFromConnection({
      server: server.url,
      tls: { insecureSkipVerify: false },
      credentials: { type: "token", token: new Secret(TOKEN) },
      namespace: POD.namespace,
      source: "no CA",
    });
    try {
      const error = await untrusting.resource(pods).exec(POD.name, { command: ["echo"] }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TlsError);
      expect((error as TlsError).message).toContain("certificate-authority");
    } finally {
      await untrusting.close();
    }
  });

  it("an unknown pod is a typed StatusError (isNotFound) on upgrade", async () => {
    await expect(kube.resource(pods).exec("ghost", { command: ["ls"] })).rejects.toSatisfy(isNotFound);
    await expect(kube.resource(pods).attach("ghost", { stdout: true })).rejects.toSatisfy(isNotFound);
  });
});

const namespaces = defineResource<{ apiVersion?: "v1"; kind?: "Namespace"; metadata?: { name?: string } }>()({
  group: "",
  version: "v1",
  plural: "namespaces",
  kind: "Namespace",
  namespaced: false,
  verbs: ["create", "delete"],
});

describeWithCluster("streaming subresources on kube-apiserver (no kubelet)", (cluster) => {
  const namespace = `streams-e2e-${randomBytes(4).toString("hex")}`;
  let kube: KubeClient;
  const createPod = (name: string, nodeName?: string) =>
    kube.requestJson({
      method: "POST",
      path: `/api/v1/namespaces/${namespace}/pods`,
      body: { apiVersion: "v1", kind: "Pod", metadata: { name }, spec: { ...(nodeName && { nodeName }), containers: [{ name: "app", image: "busybox" }] } },
    });

  beforeAll(async () => {
    kube = await connect({ kubeconfig: cluster.kubeconfigPath, namespace });
    await kube.resource(namespaces).create({ metadata: { name: namespace } });
    await createPod("unscheduled");
    await createPod("on-missing-node", "no-such-node");
  });
  afterAll(async () => {
    await kube?.resource(namespaces).delete(namespace).catch(() => {});
    await kube?.close();
  });

  it("exec, attach and port-forward upgrades to a pod without a node are typed 400s, through the kubeconfig's TLS and credentials", async () => {
    // One at a time: started together, a later rejection would go unhandled while an earlier one is awaited.
    for (const attempt of [
      () => kube.resource(pods).exec("unscheduled", { command: ["ls"] }),
      () => kube.resource(pods).attach("unscheduled", { stdout: true }),
      () => kube.resource(pods).portforward("unscheduled", { ports: [80] }),
    ]) {
      const error = await attempt().then(() => undefined, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(StatusError);
      expect((error as StatusError).code).toBe(400);
      expect((error as StatusError).serverMessage).toBe("pod unscheduled does not have a host assigned");
    }
  });

  it("upgrades carry the kubeconfig's bearer token, and RBAC answers a typed 403 for a user without pods/exec", async () => {
    const byToken = await connect({ kubeconfig: cluster.kubeconfigPath, context: cluster.contexts.adminToken, namespace });
    const unprivileged = await connect({ kubeconfig: cluster.kubeconfigPath, context: cluster.contexts.bobCert, namespace });
    try {
      const tokenError = await byToken.resource(pods).exec("unscheduled", { command: ["ls"] }).catch((caught: unknown) => caught);
      expect((tokenError as StatusError).code).toBe(400); // authenticated and authorized; only the missing node stops it
      const forbidden = await unprivileged.resource(pods).exec("unscheduled", { command: ["ls"] }).catch((caught: unknown) => caught);
      expect(forbidden).toSatisfy(isForbidden);
      expect((forbidden as StatusError).serverMessage).toContain('cannot get resource "pods/exec"'); // a WebSocket upgrade is a GET
    } finally {
      await Promise.all([byToken.close(), unprivileged.close()]);
    }
  });

  it("exec on a pod that does not exist is a StatusError (isNotFound)", async () => {
    const error = await kube.resource(pods).exec("missing", { command: ["ls"] }).catch((caught: unknown) => caught);
    expect(error).toSatisfy(isNotFound);
    expect((error as StatusError).url).toContain(`/namespaces/${namespace}/pods/missing/exec?command=ls`);
  });

  it("logs: empty for a pod with no node; a typed StatusError (isNotFound) when its node does not exist", async () => {
    expect(await kube.resource(pods).log.get("unscheduled")).toBe("");
    await expect(kube.resource(pods).log.get("on-missing-node", { tailLines: 5 })).rejects.toSatisfy(isNotFound);
    const following = kube.resource(pods).log.stream("on-missing-node")[Symbol.asyncIterator]();
    await expect(following.next()).rejects.toSatisfy(isNotFound);
  });
});

// exec, attach and port-forward through a live kube-apiserver to the kubelet stand-in: what 1.30+ does with
// v5.channel.k8s.io (translated to SPDY towards the kubelet) and what 1.20 does (the WebSocket passed through).
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { once } from "node:events";
import { connect as connectTcp, createServer, type AddressInfo, type Server } from "node:net";
import { Readable } from "node:stream";
import { afterAll, beforeAll, expect, it } from "vitest";
import { canHaveKubeletStandIn, createRunningPod, ensureKubeletStandIn, registerStandInNode, startKubeletStandIn, type KubeletStandIn } from "../../local-cluster/index.js";
import { connect, KubeClient, StatusError } from "../../runtime/index.js";
import { PortForwardError } from "../../runtime/entries/streams.js";
import { describeUnavailable, describeWithEachCluster, type LocalClusterInfo } from "../support/cluster.js";
import { createNamespace } from "../support/cluster-ops.js";
import { readBytes, streamingPods as pods, text } from "../support/streams.js";

const POD = "web";

/** A loopback TCP server the stand-in's port-forward dials: it answers each connection with `transform` of its input. */
async function startTcpServer(transform: (chunk: Buffer) => Buffer): Promise<Server & { port: number }> {
  const server = createServer((socket) => {
    socket.on("error", () => {});
    socket.on("data", (chunk: Buffer) => socket.write(transform(chunk)));
    socket.on("end", () => socket.end());
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return Object.assign(server, { port: (server.address() as AddressInfo).port });
}

/** How the last request for `kind` (exec, attach, portForward) reached the stand-in, from the line it logs per request. */
async function lastUpgrade(standIn: KubeletStandIn, kind: string): Promise<{ upgrade: string; protocols: string }> {
  const lines = (await readFile(standIn.logFile, "utf8")).split("\n").filter((line) => line.startsWith(`request GET /${kind}/`) || line.startsWith(`request POST /${kind}/`));
  const match = /upgrade="([^"]*)" protocols="([^"]*)"/.exec(lines.at(-1) ?? "");
  if (!match) throw new Error(`the stand-in logged no ${kind} request:\n${lines.join("\n")}`);
  return { upgrade: match[1]!, protocols: match[2]! };
}

function minorOf(version: string): number {
  return Number(/^v1\.(\d+)\./.exec(version)?.[1] ?? Number.NaN);
}

const SUITE = "exec, attach and port-forward through kube-apiserver to a kubelet stand-in";
// The stand-in is built with Go on first need; without Go (KUBEBUILDER_ASSETS users) this skips, and fails under CI.
if (!(await canHaveKubeletStandIn())) describeUnavailable(SUITE, "needs the kubelet stand-in, which is built with Go: Go is not on the PATH");
else describeWithEachCluster(SUITE, (cluster: LocalClusterInfo) => {
  /** 1.30 on translates v5.channel.k8s.io to SPDY towards the kubelet; older servers pass the WebSocket through, and the kubelet speaks v4. */
  const servesV5 = minorOf(cluster.version) >= 30;
  /** 1.31 on (PortForwardWebsockets) tunnels SPDY inside the WebSocket for port-forward; older servers pass v4 through. */
  const tunnelsPortForward = minorOf(cluster.version) >= 31;
  const namespace = `streams-live-${randomBytes(4).toString("hex")}`;
  const nodeName = `standin-${randomBytes(4).toString("hex")}`;
  let standIn: KubeletStandIn;
  let kube: KubeClient;
  let echo: Server & { port: number };
  let upper: Server & { port: number };

  beforeAll(async () => {
    const binary = await ensureKubeletStandIn({ build: true, log: (line) => process.stderr.write(`${line}\n`) });
    standIn = await startKubeletStandIn(binary, cluster);
    await registerStandInNode(cluster, nodeName, standIn.port);
    kube = await connect({ kubeconfig: cluster.kubeconfigPath, namespace });
    await createNamespace(kube, namespace);
    await createRunningPod(cluster, { namespace, name: POD, nodeName });
    echo = await startTcpServer((chunk) => chunk);
    upper = await startTcpServer((chunk) => Buffer.from(chunk.toString("latin1").toUpperCase(), "latin1"));
  }, 240_000);
  afterAll(async () => {
    await kube?.close();
    await standIn?.stop();
    for (const server of [echo, upper]) server?.close();
  });

  it("exec: stdout, and the subprotocol the server chose", async () => {
    const session = await kube.resource(pods).exec(POD, { command: ["echo", "hello", "live"] });
    expect(session.protocol).toBe(servesV5 ? "v5.channel.k8s.io" : "v4.channel.k8s.io");
    const [stdout, stderr, result] = await Promise.all([text(session.stdout), text(session.stderr), session.result]);
    expect({ stdout, stderr, exitCode: result.exitCode }).toEqual({ stdout: "hello live\n", stderr: "", exitCode: 0 });
    // 1.30+ ends the client's WebSocket itself and speaks SPDY to the kubelet; 1.20 passes the WebSocket through.
    const reached = await lastUpgrade(standIn, "exec");
    if (servesV5) expect(reached).toMatchObject({ upgrade: "SPDY/3.1" });
    else expect(reached).toEqual({ upgrade: "websocket", protocols: "v5.channel.k8s.io, v4.channel.k8s.io" });
  });

  it("exec: stderr and a non-zero exit code as a typed result", async () => {
    const collected = await kube.resource(pods).execAndCollect(POD, { command: ["exit", "3", "boom"] });
    expect(collected).toMatchObject({ stdout: "", stderr: "boom\n", exitCode: 3 });
    expect(collected.status?.reason).toBe("NonZeroExitCode");
  });

  it("exec: an unknown command rejects result with a typed StatusError", async () => {
    const session = await kube.resource(pods).exec(POD, { command: ["no-such-binary"] });
    const error = await session.result.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StatusError);
    expect((error as StatusError).message).toContain("executable file not found");
  });

  it("exec: a terminal's resizes reach the process", async () => {
    const session = await kube.resource(pods).exec(POD, { command: ["tty-size", "2"], tty: true, stdin: true });
    await session.resize(80, 24);
    await session.resize(132, 43);
    const [stdout, result] = await Promise.all([text(session.stdout), session.result]);
    expect(stdout.replace(/\r\n/g, "\n")).toBe("80x24\n132x43\n");
    expect(result.exitCode).toBe(0);
  });

  it.runIf(servesV5)("exec: the end of stdin (v5 close signal) ends the command, 1 MiB through and counted", async () => {
    const session = await kube.resource(pods).exec(POD, { command: ["cat"], stdin: true });
    session.stdin.write("hello ");
    session.stdin.end("world\n");
    const [stdout, result] = await Promise.all([text(session.stdout), session.result]);
    expect(stdout).toBe("hello world\n");
    expect(result.exitCode).toBe(0);
    const payload = randomBytes(1024 * 1024);
    const counted = await kube.resource(pods).execAndCollect(POD, { command: ["count"], stdin: Readable.from([payload.subarray(0, 1000), payload.subarray(1000)]) });
    expect(counted).toMatchObject({ stdout: `${payload.length}\n`, exitCode: 0 });
  });

  it.runIf(!servesV5)("exec: v4 cannot close stdin, so the command keeps reading until the session is closed", async () => {
    const session = await kube.resource(pods).exec(POD, { command: ["cat"], stdin: true });
    session.stdin.end("still here\n");
    expect((await readBytes(session.stdout, "still here\n".length)).toString()).toBe("still here\n");
    const outcome = await Promise.race([session.result.then(() => "ended"), new Promise((resolve) => setTimeout(() => resolve("still running"), 1_000))]);
    expect(outcome).toBe("still running");
    session.close();
    await session.result.catch(() => {});
  });

  it("exec: 1 MiB through stdin and back out of stdout", async () => {
    const session = await kube.resource(pods).exec(POD, { command: ["cat"], stdin: true });
    const payload = randomBytes(1024 * 1024);
    session.stdin.write(payload);
    const echoed = await readBytes(session.stdout, payload.length);
    expect(echoed.equals(payload)).toBe(true);
    session.close();
    await session.result.catch(() => {});
  });

  it("exec: a container the pod lacks is a typed 400 before any stream opens", async () => {
    const error = await kube.resource(pods).exec(POD, { command: ["echo"], container: "sidecar" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StatusError);
    expect((error as StatusError).code).toBe(400);
    expect((error as StatusError).serverMessage).toContain("sidecar");
  });

  it("exec: a node whose kubelet does not answer is a typed error", async () => {
    const deadNode = `${nodeName}-dead`;
    const nobody = await startTcpServer((chunk) => chunk);
    const port = nobody.port;
    await new Promise((resolve) => nobody.close(resolve));
    await registerStandInNode(cluster, deadNode, port);
    await createRunningPod(cluster, { namespace, name: "orphan", nodeName: deadNode });
    const outcome = await kube
      .resource(pods)
      .exec("orphan", { command: ["echo", "hi"] })
      .then((session) => session.result)
      .catch((caught: unknown) => caught);
    expect(outcome).toBeInstanceOf(StatusError);
    expect((outcome as StatusError).message).toMatch(/connection refused/);
  });

  it("attach: stdin to the container's process and its output back", async () => {
    const session = await kube.resource(pods).attach(POD, { stdin: true });
    session.stdin.write("quiet please\n");
    expect((await readBytes(session.stdout, "QUIET PLEASE\n".length)).toString()).toBe("QUIET PLEASE\n");
    if (servesV5) {
      session.stdin.end();
      const [stderr, result] = await Promise.all([text(session.stderr), session.result]);
      expect(stderr).toBe(`attached to ${namespace}/${POD}/app\n`);
      expect(result.exitCode).toBe(0);
    } else {
      session.close();
      await session.result.catch(() => {});
    }
  });

  it("port-forward: data both ways on two ports of one session, over the protocol the server chose", async () => {
    const session = await kube.resource(pods).portforward(POD, { ports: [echo.port, upper.port] });
    expect(session.protocol).toBe(tunnelsPortForward ? "SPDY/3.1+portforward.k8s.io" : "v4.channel.k8s.io");
    const toEcho = session.stream(echo.port);
    const toUpper = session.stream(upper.port);
    const payload = randomBytes(256 * 1024);
    toEcho.write(payload);
    toUpper.write("shout please");
    const [fromEcho, fromUpper] = await Promise.all([readBytes(toEcho, payload.length), readBytes(toUpper, "SHOUT PLEASE".length)]);
    expect(fromEcho.equals(payload)).toBe(true);
    expect(fromUpper.toString()).toBe("SHOUT PLEASE");
    // 1.31+ ends the WebSocket and speaks SPDY to the kubelet; 1.20 passes it through and the kubelet picks v4 of both offers.
    const reached = await lastUpgrade(standIn, "portForward");
    if (tunnelsPortForward) expect(reached).toEqual({ upgrade: "SPDY/3.1", protocols: "portforward.k8s.io" });
    else expect(reached).toEqual({ upgrade: "websocket", protocols: "SPDY/3.1+portforward.k8s.io, v4.channel.k8s.io" });
    session.close();
    await session.closed;
  });

  it.runIf(tunnelsPortForward)("port-forward over the tunnel: ending our side half-closes the pod connection, and 1 MiB comes back", async () => {
    const session = await kube.resource(pods).portforward(POD, { ports: [echo.port] });
    const stream = session.stream(echo.port);
    const payload = randomBytes(1024 * 1024);
    stream.end(payload);
    const echoed = await readBytes(stream, payload.length);
    expect(echoed.equals(payload)).toBe(true);
    // The echo server ends when its input ends; the port is then done and the session closes itself.
    await session.closed;
  });

  it("port-forward listen: two connections at once, each over its own session", async () => {
    const listener = await kube.resource(pods).portforward.listen(POD, { port: upper.port });
    const talk = async (line: string) => {
      const socket = connectTcp(listener.address.port, "127.0.0.1");
      await once(socket, "connect");
      socket.write(line);
      const answer = (await readBytes(socket, line.length)).toString();
      socket.destroy();
      return answer;
    };
    try {
      expect(await Promise.all([talk("first connection"), talk("second connection")])).toEqual(["FIRST CONNECTION", "SECOND CONNECTION"]);
    } finally {
      await listener.close();
    }
  });

  it("port-forward: the pod side closing the connection ends the stream", async () => {
    const greeter = createServer((socket) => socket.end("bye\n"));
    greeter.listen(0, "127.0.0.1");
    await once(greeter, "listening");
    const port = (greeter.address() as AddressInfo).port;
    try {
      const session = await kube.resource(pods).portforward(POD, { ports: [port] });
      expect(await text(session.stream(port))).toBe("bye\n");
      await session.closed;
    } finally {
      greeter.close();
    }
  });

  it("port-forward: a port nothing listens on fails that port's stream with PortForwardError", async () => {
    const closed = await startTcpServer((chunk) => chunk);
    const port = closed.port;
    await new Promise((resolve) => closed.close(resolve));
    const session = await kube.resource(pods).portforward(POD, { ports: [port] });
    const stream = session.stream(port);
    stream.write("anyone?");
    const error = await new Promise<Error>((resolve) => stream.once("error", resolve));
    expect(error).toBeInstanceOf(PortForwardError);
    expect(error.message).toContain("connection refused");
    session.close();
    await session.closed;
  });
});

import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { connect } from "../../../runtime/connect.js";
import { isUnauthorized, KubeClient } from "../../../runtime/index.js";
import { configmaps, pods } from "../../types/fixtures.js";
import { b64, FAKE_CERT, FAKE_KEY, tempFiles } from "../config/fixtures.js";
import { startHttpServer, type TestServer } from "../transport/servers.js";

const unauthorized = { kind: "Status", apiVersion: "v1", status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 };

describe("a 401 says which credential was rejected, whose, and what to do", () => {
  let server: TestServer | undefined;
  afterEach(async () => server?.close());

  /** A kubeconfig for `server` whose context "ctx" uses user `userName` with `user`. */
  async function kubeconfig(serverUrl: string, userName: string, user: Record<string, unknown> | undefined): Promise<string> {
    const dir = await tempFiles({
      config: {
        apiVersion: "v1",
        kind: "Config",
        "current-context": "ctx",
        clusters: [{ name: "c", cluster: { server: serverUrl } }],
        contexts: [{ name: "ctx", context: { cluster: "c", ...(user && { user: userName }) } }],
        users: user ? [{ name: userName, user }] : [],
      },
    });
    return path.join(dir, "config");
  }

  /** The message of a get with that kubeconfig, against a server that answers every request 401. */
  async function rejectedWith(userName: string, user: Record<string, unknown> | undefined): Promise<{ message: string; file: string }> {
    server = await startHttpServer((_request, response) => response.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify(unauthorized)));
    const file = await kubeconfig(server.url, userName, user);
    const kube = await connect({ kubeconfig: file, maxRetries: 0 });
    const error = await kube.resource(configmaps).get("x", { namespace: "ns" }).catch((caught: unknown) => caught);
    await kube.close();
    expect(isUnauthorized(error)).toBe(true);
    return { message: (error as Error).message, file };
  }

  it("a token: names the user entry and kubeconfig, says it may have expired and how to replace it", async () => {
    const { message, file } = await rejectedWith("alice", { token: "stale-token" });
    expect(message).toBe(
      `GET ${server!.url}/api/v1/namespaces/ns/configmaps/x: 401 Unauthorized: Unauthorized; the server rejected the credentials of user "alice" of kubeconfig ${file}, context "ctx": ` +
        "a bearer token (user.token), which may have expired or been revoked; put a fresh token in the kubeconfig, or use an exec plugin that renews it",
    );
    expect(message).not.toContain("stale-token");
  });

  it("basic auth, no credentials at all, a client certificate and a token file each get their own advice", async () => {
    expect((await rejectedWith("bob", { username: "bob", password: "pw" })).message).toMatch(/user "bob" of kubeconfig .*: username and password of "bob"; most clusters do not accept basic auth/);
    expect((await rejectedWith("nobody", undefined)).message).toMatch(/credentials of kubeconfig .*, context "ctx": no credentials were sent/);
    const certificate = { "client-certificate-data": b64(FAKE_CERT), "client-key-data": b64(FAKE_KEY) };
    expect((await rejectedWith("erin", certificate)).message).toMatch(/user "erin" .*: the client certificate \(user.client-certificate\), which may have expired or not be signed by a CA this cluster trusts/);
    const dir = await tempFiles({ token: "t\n" });
    expect((await rejectedWith("carol", { tokenFile: path.join(dir, "token") })).message).toMatch(new RegExp(`user "carol" .*: the token in ${path.join(dir, "token")} \\(read again after the first 401\\)`));
  });

  it("an exec plugin: says it was run anew and how to try it by hand", async () => {
    const { message } = await rejectedWith("dave", { exec: { apiVersion: "client.authentication.k8s.io/v1", command: process.execPath, args: ["-e", 'process.stdout.write(JSON.stringify({apiVersion:"client.authentication.k8s.io/v1",kind:"ExecCredential",status:{token:"t"}}))'], interactiveMode: "Never" } });
    expect(message).toContain(`user "dave" of kubeconfig`);
    expect(message).toContain(`the credential of the exec plugin ${process.execPath}, rejected again after the plugin was run anew; run \`${process.execPath} -e`);
  });

  it("a refused WebSocket upgrade (exec, attach, port-forward) says the same as a refused request: the hint on a 401, none on a 403", async () => {
    const forbidden = { ...unauthorized, message: 'pods "p" is forbidden', reason: "Forbidden", code: 403 };
    let answer = unauthorized;
    server = await startHttpServer((_request, response) => response.writeHead(answer.code, { "content-type": "application/json" }).end(JSON.stringify(answer)));
    const kube = await connect({ kubeconfig: await kubeconfig(server.url, "alice", { token: "stale-token" }), maxRetries: 0 });
    const refusals = async () => {
      const request = (await kube.resource(configmaps).get("x", { namespace: "ns" }).catch((caught: unknown) => caught)) as Error;
      const upgrade = (await kube.resource(pods).exec("p", { namespace: "ns", command: ["ls"] }).catch((caught: unknown) => caught)) as Error;
      return { request: request.message, upgrade: upgrade.message };
    };
    try {
      const rejected = await refusals();
      expect(rejected.upgrade).toMatch(new RegExp(`^GET ws://127\\.0\\.0\\.1:\\d+/api/v1/namespaces/ns/pods/p/exec\\?.*: 401 Unauthorized: Unauthorized; the server rejected the credentials of user "alice" of kubeconfig`));
      expect(rejected.upgrade.slice(rejected.upgrade.indexOf("; "))).toBe(rejected.request.slice(rejected.request.indexOf("; ")));
      expect(rejected.upgrade).not.toContain("stale-token");
      answer = forbidden;
      const refused = await refusals();
      expect(refused.request).toMatch(/: 403 Forbidden: pods "p" is forbidden$/);
      expect(refused.upgrade).toMatch(/\/exec\?.*: 403 Forbidden: pods "p" is forbidden$/);
    } finally {
      await kube.close();
    }
  });

  it("adds nothing when the caller sent their own Authorization header", async () => {
    server = await startHttpServer((_request, response) => response.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify(unauthorized)));
    const dir = await tempFiles({ config: { apiVersion: "v1", kind: "Config", "current-context": "ctx", clusters: [{ name: "c", cluster: { server: server.url } }], contexts: [{ name: "ctx", context: { cluster: "c" } }] } });
    const kube: KubeClient = await connect({ kubeconfig: path.join(dir, "config"), maxRetries: 0 });
    const error = await kube.requestJson({ method: "GET", path: "/api", headers: { Authorization: "Bearer mine" } }).catch((caught: unknown) => caught);
    await kube.close();
    expect((error as Error).message).toBe(`GET ${server.url}/api: 401 Unauthorized: Unauthorized`);
  });
});

import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Secret } from "../../../runtime/config/secret.js";
import type { ClusterConnection, TlsSettings } from "../../../runtime/config/types.js";
import { NetworkError, TlsError } from "../../../runtime/transport/errors.js";
import { createTransport } from "../../../runtime/transport/transport.js";
import { startConnectProxy, startHttpServer, startHttpsServer, startSocks5Proxy, type TestServer } from "./servers.js";
import { connectionWithExec, fakePlugin } from "../auth/plugin-fixture.js";
import path from "node:path";
import { createTestPki, type TestPki } from "./test-pki.js";

let pki: TestPki;
let server: TestServer;

beforeAll(async () => {
  pki = await createTestPki();
  server = await startHttpsServer(
    { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      const peer = socket.getPeerCertificate();
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ clientCN: socket.authorized ? peer.subject?.CN : null }));
    },
  );
});
afterAll(async () => server?.close());

async function get(tls: Partial<TlsSettings>, extra: Partial<ClusterConnection> = {}): Promise<{ clientCN: string | null }> {
  const connection: ClusterConnection = {
    server: server.url,
    tls: { insecureSkipVerify: false, ...tls },
    credentials: { type: "none" },
    namespace: "default",
    source: "test",
    ...extra,
  };
  const transport = createTransport(connection, { maxRetries: 0, timeoutMs: 5000 });
  try {
    const response = await transport.send({ method: "GET", path: "/version" });
    return (await response.body.json()) as { clientCN: string | null };
  } finally {
    await transport.close();
  }
}

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e);

describe("TLS", () => {
  it("verifies against the configured CA and sends the client certificate", async () => {
    expect(await get({ ca: pki.ca })).toEqual({ clientCN: null });
    expect(await get({ ca: pki.ca, cert: pki.clientCert, key: new Secret(pki.clientKey) })).toEqual({ clientCN: "tester" });
  });

  it("rejects an unknown CA with a TlsError naming the server and the fix", async () => {
    for (const tls of [{}, { ca: pki.otherCa }]) {
      const error = (await failure(get(tls))) as TlsError;
      expect(error).toBeInstanceOf(TlsError);
      expect(error.server).toBe(server.url);
      expect(error.message).toContain(server.url);
      expect(error.message).toContain("set certificate-authority");
    }
  });

  it("checks the name given by tls-server-name", async () => {
    expect(await get({ ca: pki.ca, serverName: "localhost" })).toEqual({ clientCN: null });
    const error = (await failure(get({ ca: pki.ca, serverName: "wrong.example" }))) as TlsError;
    expect(error).toBeInstanceOf(TlsError);
    expect(error.message).toContain("tls-server-name");
    expect(error.message).toContain("DNS:localhost");
  });

  it("skips verification only when insecureSkipVerify is true", async () => {
    expect(await get({ insecureSkipVerify: true })).toEqual({ clientCN: null });
    expect(await failure(get({ insecureSkipVerify: false }))).toBeInstanceOf(TlsError);
  });

  it("explains TLS spoken to a plain HTTP server", async () => {
    const plain = await startHttpServer((_req, res) => res.end());
    try {
      const transport = createTransport({ server: plain.url.replace("http:", "https:"), tls: { insecureSkipVerify: false }, credentials: { type: "none" }, namespace: "default", source: "test" }, { maxRetries: 0 });
      const error = (await failure(transport.send({ method: "GET", path: "/" }))) as TlsError;
      await transport.close();
      expect(error).toBeInstanceOf(TlsError);
      expect(error.message).toMatch(/does not seem to speak TLS/);
    } finally {
      await plain.close();
    }
  });
});

describe("proxy-url", () => {
  it("tunnels through an HTTP CONNECT proxy with the cluster's TLS settings", async () => {
    const proxy = await startConnectProxy();
    try {
      const before = server.requests.length;
      expect(await get({ ca: pki.ca, cert: pki.clientCert, key: new Secret(pki.clientKey) }, { proxyUrl: proxy.url })).toEqual({ clientCN: "tester" });
      expect(proxy.connects).toEqual([`127.0.0.1:${server.port}`]);
      expect(server.requests.length).toBe(before + 1);
      const untrusted = await failure(get({}, { proxyUrl: proxy.url }));
      expect(untrusted).toBeInstanceOf(TlsError);
    } finally {
      await proxy.close();
    }
  });

  it("names the proxy when it cannot be reached", async () => {
    const proxy = await startConnectProxy();
    await proxy.close();
    const error = (await failure(get({ ca: pki.ca }, { proxyUrl: proxy.url }))) as NetworkError;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toContain(`through proxy ${proxy.url}`);
  });
});

describe("socks5 proxy-url", () => {
  it("tunnels through a SOCKS5 proxy with TLS to the server", async () => {
    const proxy = await startSocks5Proxy();
    try {
      expect(await get({ ca: pki.ca, cert: pki.clientCert, key: new Secret(pki.clientKey) }, { proxyUrl: proxy.url })).toEqual({ clientCN: "tester" });
      expect(proxy.connects).toEqual([`127.0.0.1:${server.port}`]);
    } finally {
      await proxy.close();
    }
  });
});

describe("client certificate from an exec plugin", () => {
  it("is presented in the TLS handshake", async () => {
    const plugin = await fakePlugin();
    const exec = plugin.exec({ pluginEnv: { PLUGIN_MODE: "cert", PLUGIN_CERT_FILE: path.join(pki.dir, "client.crt"), PLUGIN_KEY_FILE: path.join(pki.dir, "client.key") } });
    const connection = { ...connectionWithExec(exec), server: server.url, tls: { insecureSkipVerify: false, ca: pki.ca } };
    const transport = createTransport(connection, { maxRetries: 0 });
    try {
      for (let i = 0; i < 2; i++) {
        const response = await transport.send({ method: "GET", path: "/version" });
        expect(await response.body.json()).toEqual({ clientCN: "tester" });
      }
    } finally {
      await transport.close();
    }
    expect(await plugin.runs()).toBe(1);
  });
});

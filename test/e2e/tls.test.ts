import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { Secret } from "../../runtime/config/secret.js";
import type { ClusterConnection, TlsSettings } from "../../runtime/config/types.js";
import { TlsError } from "../../runtime/transport/errors.js";
import { createTransport } from "../../runtime/transport/transport.js";
import { describeWithCluster } from "../support/cluster.js";
import { createTestPki } from "../unit/transport/test-pki.js";

describeWithCluster("TLS against kube-apiserver", (cluster) => {
  async function get(tls: Partial<TlsSettings>): Promise<number> {
    const connection: ClusterConnection = {
      server: cluster.server,
      tls: { insecureSkipVerify: false, ...tls },
      credentials: { type: "token", token: new Secret(cluster.admin.token) },
      namespace: "default",
      source: "e2e",
    };
    const transport = createTransport(connection, { maxRetries: 0, timeoutMs: 10_000 });
    try {
      const response = await transport.send({ method: "GET", path: "/version" });
      await response.body.dump();
      return response.statusCode;
    } finally {
      await transport.close();
    }
  }
  const failure = (promise: Promise<unknown>) => promise.then((value) => value, (e: unknown) => e);

  it("trusts the cluster CA", async () => {
    expect(await get({ ca: await readFile(cluster.caFile) })).toBe(200);
  });

  it("fails with a TlsError naming the server when the CA is wrong or missing", async () => {
    const otherCa = (await createTestPki()).otherCa;
    for (const tls of [{ ca: otherCa }, {}]) {
      const error = (await failure(get(tls))) as TlsError;
      expect(error).toBeInstanceOf(TlsError);
      expect(error.server).toBe(cluster.server);
      expect(error.message).toContain(cluster.server);
      expect(error.message).toContain("certificate-authority");
    }
  });

  it("verifies the tls-server-name instead of the IP in the URL", async () => {
    const ca = await readFile(cluster.caFile);
    const goodName = cluster.tls.serverNames.find((name) => name !== "localhost") ?? cluster.tls.serverNames[0]!;
    expect(await get({ ca, serverName: goodName })).toBe(200);
    const error = (await failure(get({ ca, serverName: cluster.tls.nameNotInCertificate }))) as TlsError;
    expect(error).toBeInstanceOf(TlsError);
    expect(error.message).toContain("tls-server-name");
  });

  it("skips verification only when insecure-skip-tls-verify is true", async () => {
    expect(await get({ insecureSkipVerify: true })).toBe(200);
    expect(await failure(get({ insecureSkipVerify: false }))).toBeInstanceOf(TlsError);
  });
});

import { copyFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { expect, it } from "vitest";
import { loadInClusterConfig } from "../../runtime/config/in-cluster.js";
import { Secret } from "../../runtime/config/secret.js";
import type { ClusterConnection } from "../../runtime/config/types.js";
import { createTransport } from "../../runtime/transport/transport.js";
import type { Transport } from "../../runtime/transport/types.js";
import { describeWithCluster } from "../support/cluster.js";
import { makeTempDir } from "../support/tmp.js";

async function sendJson(transport: Transport, method: "POST" | "GET", requestPath: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await transport.send({
    method,
    path: requestPath,
    headers: { accept: "application/json", ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.statusCode, json: await response.body.json() };
}

describeWithCluster("in-cluster configuration with a real ServiceAccount token", (cluster) => {
  it("lists configmaps where its Role allows and is forbidden elsewhere", async () => {
    const adminConnection: ClusterConnection = {
      server: cluster.server,
      tls: { insecureSkipVerify: false, ca: await readFile(cluster.caFile) },
      credentials: { type: "token", token: new Secret(cluster.admin.token) },
      namespace: "default",
      source: "e2e admin",
    };
    const admin = createTransport(adminConnection);
    const suffix = Date.now().toString(36);
    const namespace = `in-cluster-${suffix}`;
    const otherNamespace = `in-cluster-other-${suffix}`;
    try {
      for (const name of [namespace, otherNamespace]) {
        expect((await sendJson(admin, "POST", "/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name } })).status).toBe(201);
      }
      const created = [
        await sendJson(admin, "POST", `/api/v1/namespaces/${namespace}/serviceaccounts`, { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "reader" } }),
        await sendJson(admin, "POST", `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/roles`, {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "Role",
          metadata: { name: "configmap-reader" },
          rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["list"] }],
        }),
        await sendJson(admin, "POST", `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings`, {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "RoleBinding",
          metadata: { name: "reader" },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "configmap-reader" },
          subjects: [{ kind: "ServiceAccount", name: "reader", namespace }],
        }),
      ];
      for (const answer of created) expect(answer.status, JSON.stringify(answer.json)).toBe(201);
      const tokenRequest = await sendJson(admin, "POST", `/api/v1/namespaces/${namespace}/serviceaccounts/reader/token`, {
        apiVersion: "authentication.k8s.io/v1",
        kind: "TokenRequest",
        spec: { expirationSeconds: 600 },
      });
      expect(tokenRequest.status, JSON.stringify(tokenRequest.json)).toBe(201);

      const serviceAccountDir = await makeTempDir("serviceaccount-");
      await writeFile(path.join(serviceAccountDir, "token"), tokenRequest.json.status.token);
      await copyFile(cluster.caFile, path.join(serviceAccountDir, "ca.crt"));
      await writeFile(path.join(serviceAccountDir, "namespace"), namespace);
      const url = new URL(cluster.server);
      const connection = await loadInClusterConfig({
        env: { KUBERNETES_SERVICE_HOST: url.hostname, KUBERNETES_SERVICE_PORT: url.port },
        serviceAccountDir,
      });
      expect(connection.namespace).toBe(namespace);
      expect(connection.server).toBe(cluster.server);

      const pod = createTransport(connection, { maxRetries: 0 });
      try {
        // RBAC reaches the authorizer through an informer: allow it a moment.
        let allowed = 0;
        for (let attempt = 0; attempt < 50 && allowed !== 200; attempt++) {
          if (attempt > 0) await sleep(100);
          allowed = (await sendJson(pod, "GET", `/api/v1/namespaces/${connection.namespace}/configmaps`)).status;
        }
        expect(allowed).toBe(200);
        const forbidden = await sendJson(pod, "GET", `/api/v1/namespaces/${otherNamespace}/configmaps`);
        expect(forbidden.status).toBe(403);
        expect(forbidden.json.message).toContain(`system:serviceaccount:${namespace}:reader`);
      } finally {
        await pod.close();
      }
    } finally {
      for (const name of [namespace, otherNamespace]) {
        await admin.send({ method: "DELETE", path: `/api/v1/namespaces/${name}` }).then((r) => r.body.dump()).catch(() => {});
      }
      await admin.close();
    }
  });
});

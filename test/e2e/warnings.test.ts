import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connect, type ApiWarning, type KubeClient, type WarningContext } from "../../runtime/index.js";
import { defineResource } from "../../runtime/entries/plumbing.js";
import { describeWithCluster } from "../support/cluster.js";

/**
 * kube-apiserver v1.20.2 answers requests to deprecated group/versions with `Warning: 299 - "..."` headers
 * (checked with `kubectl get --raw -v=8` first: networking.k8s.io/v1beta1 Ingress, extensions/v1beta1
 * Ingress, rbac v1beta1, apiextensions v1beta1, scheduling v1beta1 and coordination v1beta1 warn; batch/v1beta1
 * CronJob and policy/v1beta1 do not in 1.20). The runtime prints each text once per client, as kubectl does,
 * and hands every one to a handler.
 */
const exec = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const INGRESS_WARNING = "networking.k8s.io/v1beta1 Ingress is deprecated in v1.19+, unavailable in v1.22+; use networking.k8s.io/v1 Ingress";

interface Ingress {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  spec?: { backend?: { serviceName: string; servicePort: number } };
}
const betaIngresses = defineResource<Ingress>()({
  group: "networking.k8s.io",
  version: "v1beta1",
  plural: "ingresses",
  kind: "Ingress",
  namespaced: true,
  verbs: ["create", "delete", "get", "list"],
});
const ingresses = defineResource<Ingress>()({ group: "networking.k8s.io", version: "v1", plural: "ingresses", kind: "Ingress", namespaced: true, verbs: ["list"] });

// v1.20.2 only: the beta Ingress API these warnings are about is gone from current servers, whose warnings
// test/e2e/current-server.test.ts checks (a deprecated CRD version, a ValidatingAdmissionPolicy in Warn mode).
describeWithCluster("API server warnings (kube-apiserver v1.20.2)", (cluster) => {
  const seen: Array<{ warning: ApiWarning; context: WarningContext }> = [];
  let kube: KubeClient;
  const name = `warned-${randomBytes(3).toString("hex")}`;

  beforeAll(async () => {
    kube = await connect({ kubeconfig: cluster.kubeconfigPath, env: {}, warnings: (warning, context) => seen.push({ warning, context }) });
  });
  afterAll(async () => {
    await kube?.resource(betaIngresses).delete(name).catch(() => {});
    await kube?.close();
  });

  it("delivers the server's deprecation warning of every request to the handler, with the request", async () => {
    const client = kube.resource(betaIngresses);
    await client.list();
    await client.create({ metadata: { name }, spec: { backend: { serviceName: "web", servicePort: 80 } } });
    await client.get(name);
    await kube.resource(ingresses).list();
    expect(seen.map(({ warning }) => warning)).toEqual(Array(3).fill({ code: 299, agent: "-", text: INGRESS_WARNING }));
    expect(seen.map(({ context }) => `${context.method} ${context.path.split("?")[0]}`)).toEqual([
      "GET /apis/networking.k8s.io/v1beta1/namespaces/default/ingresses",
      "POST /apis/networking.k8s.io/v1beta1/namespaces/default/ingresses",
      `GET /apis/networking.k8s.io/v1beta1/namespaces/default/ingresses/${name}`,
    ]);
  });

  it("prints each distinct warning once per client on stderr by default, the line kubectl prints", async () => {
    const runtime = join(root, "dist", "runtime", "index.js");
    if (!existsSync(runtime)) throw new Error(`${runtime} is missing: run the suite with npm test, which builds first (or npm run build)`);
    const program = `
      import { connect } from ${JSON.stringify(runtime)};
      const beta = { group: "networking.k8s.io", version: "v1beta1", plural: "ingresses", kind: "Ingress", namespaced: true, verbs: ["list"] };
      for (const round of [1, 2]) {
        const kube = await connect();
        for (let i = 0; i < 3; i++) await kube.resource(beta).list();
        process.stdout.write("client " + round + " done\\n");
        await kube.close();
      }`;
    const env = { ...process.env, KUBECONFIG: cluster.kubeconfigPath };
    const { stdout, stderr } = await exec(process.execPath, ["--input-type=module", "-e", program], { cwd: root, env });
    expect(stdout).toBe("client 1 done\nclient 2 done\n");
    expect(stderr).toBe(`Warning: ${INGRESS_WARNING}\nWarning: ${INGRESS_WARNING}\n`);

    // kubectl (cross-check only) prints the very same line for the same request.
    const kubectl = await exec("kubectl", ["get", "--raw", "/apis/networking.k8s.io/v1beta1/ingresses"], { env });
    expect(kubectl.stderr).toBe(`Warning: ${INGRESS_WARNING}\n`);
  });
}, "oldestCluster");

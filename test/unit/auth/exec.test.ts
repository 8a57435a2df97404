import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { AuthError } from "../../../runtime/auth/errors.js";
import { execAuth } from "../../../runtime/auth/exec.js";
import { createAuthProvider } from "../../../runtime/auth/index.js";
import { connectionWithExec, fakePlugin } from "./plugin-fixture.js";

describe("exec credential plugin", () => {
  for (const apiVersion of ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"]) {
    it(`runs a ${apiVersion} plugin with env merged and KUBERNETES_EXEC_INFO set`, async () => {
      const plugin = await fakePlugin();
      const exec = plugin.exec({ apiVersion, provideClusterInfo: true, pluginEnv: { PLUGIN_EXTRA: "from-kubeconfig" } });
      const auth = createAuthProvider(connectionWithExec(exec));
      expect(await auth.headers()).toEqual({ authorization: "Bearer plugin-token-1" });
      expect(await plugin.extraEnv()).toBe("from-kubeconfig");
      expect(await plugin.execInfo(1)).toEqual({
        apiVersion,
        kind: "ExecCredential",
        spec: {
          interactive: false,
          cluster: { server: "https://127.0.0.1:6443", "tls-server-name": "kubernetes.default.svc", "certificate-authority-data": Buffer.from("CA-PEM").toString("base64") },
        },
      });
    });
  }

  it("omits cluster info unless provideClusterInfo", async () => {
    const plugin = await fakePlugin();
    await createAuthProvider(connectionWithExec(plugin.exec())).headers();
    expect(await plugin.execInfo(1)).toEqual({ apiVersion: "client.authentication.k8s.io/v1", kind: "ExecCredential", spec: { interactive: false } });
  });

  it("caches until expirationTimestamp, then reruns", async () => {
    const plugin = await fakePlugin();
    let clock = Date.parse("2030-01-01T00:00:00Z");
    const exec = plugin.exec({ pluginEnv: { PLUGIN_EXPIRES: "2030-01-01T00:10:00Z" } });
    const auth = execAuth(exec, connectionWithExec(exec), { now: () => clock });
    expect(await auth.headers()).toEqual({ authorization: "Bearer plugin-token-1" });
    clock += 9 * 60_000;
    expect(await auth.headers()).toEqual({ authorization: "Bearer plugin-token-1" });
    expect(await plugin.runs()).toBe(1);
    clock += 2 * 60_000;
    expect(await auth.headers()).toEqual({ authorization: "Bearer plugin-token-2" });
    expect(await plugin.runs()).toBe(2);
  });

  it("shares one run between concurrent callers", async () => {
    const plugin = await fakePlugin();
    const auth = createAuthProvider(connectionWithExec(plugin.exec()));
    const all = await Promise.all(Array.from({ length: 8 }, () => auth.headers()));
    expect(new Set(all.map((h) => h.authorization))).toEqual(new Set(["Bearer plugin-token-1"]));
    expect(await plugin.runs()).toBe(1);
  });

  it("reruns exactly once after a 401, even when several requests report it", async () => {
    const plugin = await fakePlugin();
    const auth = createAuthProvider(connectionWithExec(plugin.exec()));
    const rejected = await auth.headers();
    const answers = await Promise.all([auth.refreshAfterUnauthorized(rejected), auth.refreshAfterUnauthorized(rejected)]);
    expect(answers).toEqual([true, true]);
    expect(await auth.headers()).toEqual({ authorization: "Bearer plugin-token-2" });
    // A late report about the old token must not trigger a third run.
    expect(await auth.refreshAfterUnauthorized(rejected)).toBe(true);
    expect(await auth.headers()).toEqual({ authorization: "Bearer plugin-token-2" });
    expect(await plugin.runs()).toBe(2);
  });

  it("hands out client certificates", async () => {
    const plugin = await fakePlugin();
    const auth = createAuthProvider(connectionWithExec(plugin.exec({ pluginEnv: { PLUGIN_MODE: "cert" } })));
    const certificate = await auth.clientCertificate?.();
    expect(certificate?.cert.toString()).toBe("CERT-1");
    expect(certificate?.key.reveal().toString()).toBe("KEY-1");
    expect(await auth.headers()).toEqual({});
    expect(inspect(certificate)).not.toContain("KEY-1");
    expect(await plugin.runs()).toBe(1);
  });

  it("rejects an answer with another apiVersion", async () => {
    const plugin = await fakePlugin();
    const auth = createAuthProvider(connectionWithExec(plugin.exec({ pluginEnv: { PLUGIN_ANSWER_VERSION: "client.authentication.k8s.io/v1beta1" } })));
    await expect(auth.headers()).rejects.toThrow(/apiVersion is "client.authentication.k8s.io\/v1beta1" but the kubeconfig asked for client.authentication.k8s.io\/v1/);
  });

  it("shows the installHint when the command is missing", async () => {
    const plugin = await fakePlugin();
    const auth = createAuthProvider(connectionWithExec(plugin.exec({ command: "kubetyped-no-such-plugin", args: [], installHint: "Install it with: brew install no-such-plugin" })));
    const error = await auth.headers().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as Error).message).toContain('"kubetyped-no-such-plugin" was not found');
    expect((error as Error).message).toContain("brew install no-such-plugin");
  });

  it("reports exit code and stderr tail, with tokens redacted", async () => {
    const plugin = await fakePlugin();
    const auth = createAuthProvider(connectionWithExec(plugin.exec({ pluginEnv: { PLUGIN_MODE: "fail" } })));
    const error = (await auth.headers().catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/exited with code 3/);
    expect(error.message).toContain("auth server said no");
    expect(error.message).not.toContain("eyJzdWIiOiJ4In0");
  });

  it("kills a plugin that does not answer in time", async () => {
    const plugin = await fakePlugin();
    const exec = plugin.exec({ pluginEnv: { PLUGIN_MODE: "hang" } });
    const auth = execAuth(exec, connectionWithExec(exec), { timeoutMs: 300 });
    await expect(auth.headers()).rejects.toThrow(/did not answer within 300 ms/);
  });
});

import { inspect } from "node:util";
import path from "node:path";
import { writeFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { listContexts, loadKubeconfig } from "../../../runtime/config/kubeconfig.js";
import { ConfigError } from "../../../runtime/config/errors.js";
import { MAX_KUBECONFIG_BYTES } from "../../../runtime/config/kubeconfig-files.js";
import { FAKE_CA, FAKE_CERT, FAKE_KEY, b64, overlappingKubeconfigs, tempFiles } from "./fixtures.js";

const list = (...paths: string[]) => paths.join(path.delimiter);

describe("loadKubeconfig: merging a KUBECONFIG list like kubectl", () => {
  it("lets the first file win for map keys and current-context, skipping missing files", async () => {
    const dir = await tempFiles(overlappingKubeconfigs());
    const env = { KUBECONFIG: list(path.join(dir, "missing"), path.join(dir, "first/config"), path.join(dir, "second/config")) };
    const connection = await loadKubeconfig({ env });
    expect(connection.context).toBe("dev");
    expect(connection.server).toBe("https://first.example:6443");
    expect(connection.namespace).toBe("team-a");
    expect(connection.credentials.type).toBe("token");
    expect(connection.credentials.type === "token" && connection.credentials.token.reveal()).toBe("first-token-abc");
    // Relative CA path resolves against the file that named it.
    expect(connection.tls.ca?.toString()).toBe(FAKE_CA);
    expect(connection.source).toContain(path.join(dir, "first/config"));
  });

  it("reverses the winner when the list order is reversed", async () => {
    const dir = await tempFiles(overlappingKubeconfigs());
    const env = { KUBECONFIG: list(path.join(dir, "second/config"), path.join(dir, "first/config")) };
    const connection = await loadKubeconfig({ env });
    expect(connection.context).toBe("prod");
    expect(connection.server).toBe("https://prod.example:443/prefix");
  });

  it("uses the chosen context, -data fields and relative client-certificate paths", async () => {
    const dir = await tempFiles(overlappingKubeconfigs());
    const env = { KUBECONFIG: list(path.join(dir, "first/config"), path.join(dir, "second/config")) };
    const connection = await loadKubeconfig({ env, context: "prod" });
    expect(connection.server).toBe("https://prod.example:443/prefix");
    expect(connection.namespace).toBe("default");
    expect(connection.tls.ca?.toString()).toBe(FAKE_CA);
    expect(connection.tls.cert?.toString()).toBe(FAKE_CERT);
    expect(connection.tls.key?.reveal().toString()).toBe(FAKE_KEY);
    expect(connection.tls.serverName).toBe("api.prod.internal");
    expect(connection.tls.insecureSkipVerify).toBe(false);
    expect(connection.credentials).toEqual({ type: "none" });
  });

  it("reads only the explicit file when kubeconfig is given", async () => {
    const dir = await tempFiles(overlappingKubeconfigs());
    const env = { KUBECONFIG: path.join(dir, "first/config") };
    const connection = await loadKubeconfig({ env, kubeconfig: path.join(dir, "second/config") });
    expect(connection.context).toBe("prod");
    await expect(loadKubeconfig({ env, kubeconfig: path.join(dir, "second/config"), context: "nope" })).rejects.toThrow(/known contexts: dev, prod/);
  });

  it("falls back to ~/.kube/config", async () => {
    const files = overlappingKubeconfigs();
    const dir = await tempFiles({ ".kube/config": files["second/config"], "pki/client.crt": FAKE_CERT });
    const connection = await loadKubeconfig({ env: {}, homeDir: dir });
    expect(connection.context).toBe("prod");
    expect(await listContexts({ env: {}, homeDir: dir })).toEqual({ names: ["dev", "prod"], current: "prod" });
  });

  it("lists contexts across a merged list", async () => {
    const dir = await tempFiles(overlappingKubeconfigs());
    const env = { KUBECONFIG: list(path.join(dir, "first/config"), path.join(dir, "second/config")) };
    expect(await listContexts({ env })).toEqual({ names: ["dev", "prod"], current: "dev" });
  });

  it("reads token files, basic auth, proxy-url and insecure-skip-tls-verify", async () => {
    const dir = await tempFiles({
      config: {
        "current-context": "a",
        clusters: [{ name: "c", cluster: { server: "127.0.0.1:6443", "insecure-skip-tls-verify": true, "proxy-url": "http://proxy.local:3128" } }],
        users: [
          { name: "tf", user: { tokenFile: "tokens/t" } },
          { name: "basic", user: { username: "admin", password: "hunter2-pw" } },
        ],
        contexts: [
          { name: "a", context: { cluster: "c", user: "tf" } },
          { name: "b", context: { cluster: "c", user: "basic" } },
        ],
      },
      "tokens/t": "tok",
    });
    const a = await loadKubeconfig({ kubeconfig: path.join(dir, "config") });
    expect(a.server).toBe("https://127.0.0.1:6443");
    expect(a.tls.insecureSkipVerify).toBe(true);
    expect(a.proxyUrl).toBe("http://proxy.local:3128");
    expect(a.credentials).toEqual({ type: "tokenFile", path: path.join(dir, "tokens/t") });
    const b = await loadKubeconfig({ kubeconfig: path.join(dir, "config"), context: "b" });
    expect(b.credentials.type).toBe("basic");
    expect(b.credentials.type === "basic" && b.credentials.password.reveal()).toBe("hunter2-pw");
  });

  it("parses exec sections of both API versions", async () => {
    const dir = await tempFiles({
      config: {
        "current-context": "v1",
        clusters: [{ name: "c", cluster: { server: "https://k:6443" } }],
        users: [
          { name: "v1", user: { exec: { apiVersion: "client.authentication.k8s.io/v1", command: "./bin/plugin", args: ["get-token"], env: [{ name: "A", value: "1" }], interactiveMode: "Never", provideClusterInfo: true, installHint: "install it" } } },
          { name: "v1beta1", user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "gke-gcloud-auth-plugin" } } },
          { name: "v1-no-mode", user: { exec: { apiVersion: "client.authentication.k8s.io/v1", command: "x" } } },
        ],
        contexts: [
          { name: "v1", context: { cluster: "c", user: "v1" } },
          { name: "v1beta1", context: { cluster: "c", user: "v1beta1" } },
          { name: "v1-no-mode", context: { cluster: "c", user: "v1-no-mode" } },
        ],
      },
    });
    const kubeconfig = path.join(dir, "config");
    const v1 = await loadKubeconfig({ kubeconfig });
    expect(v1.credentials).toEqual({
      type: "exec",
      exec: {
        apiVersion: "client.authentication.k8s.io/v1",
        command: path.join(dir, "bin/plugin"),
        args: ["get-token"],
        env: [{ name: "A", value: "1" }],
        interactiveMode: "Never",
        provideClusterInfo: true,
        installHint: "install it",
        baseDir: dir,
      },
    });
    const beta = await loadKubeconfig({ kubeconfig, context: "v1beta1" });
    expect(beta.credentials.type === "exec" && beta.credentials.exec).toMatchObject({ command: "gke-gcloud-auth-plugin", interactiveMode: "IfAvailable", provideClusterInfo: false });
    await expect(loadKubeconfig({ kubeconfig, context: "v1-no-mode" })).rejects.toMatchObject({
      field: "users[name=v1-no-mode].user.exec.interactiveMode",
    });
  });
});

describe("loadKubeconfig: broken inputs name the file and field", () => {
  async function failure(files: Record<string, unknown>, options: { context?: string; file?: string } = {}): Promise<ConfigError> {
    const dir = await tempFiles(files);
    const kubeconfig = path.join(dir, options.file ?? "config");
    const error = await loadKubeconfig({ kubeconfig, ...(options.context ? { context: options.context } : {}) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  const base = (cluster: object, user: object) => ({
    "current-context": "ctx",
    clusters: [{ name: "c", cluster }],
    users: [{ name: "alice", user }],
    contexts: [{ name: "ctx", context: { cluster: "c", user: "alice" } }],
  });

  it("missing explicit file", async () => {
    const error = await failure({}, { file: "nope.yaml" });
    expect(error.file).toMatch(/nope\.yaml$/);
    expect(error.message).toMatch(/ENOENT/);
  });

  it("all files of KUBECONFIG missing", async () => {
    await expect(loadKubeconfig({ env: { KUBECONFIG: list("/nonexistent/a", "/nonexistent/b") } })).rejects.toThrow(/none of the files in KUBECONFIG exist/);
  });

  it("bad YAML reports the line without quoting the content", async () => {
    const error = await failure({ config: "apiVersion: v1\nusers:\n- name: a\n  user:\n    token: \"secret-token-xyz\n  bad: [\n" });
    expect(error.message).toMatch(/invalid YAML at line \d+/);
    expect(error.message).not.toContain("secret-token-xyz");
    expect(error.file).toMatch(/config$/);
  });

  it("unknown context lists the known ones", async () => {
    const error = await failure({ config: base({ server: "https://x" }, {}) }, { context: "staging" });
    expect(error.message).toContain('context "staging"');
    expect(error.message).toContain("known contexts: ctx");
    expect(error.field).toBe("contexts[name=staging]");
  });

  it("context naming a missing cluster or user", async () => {
    const missingCluster = await failure({ config: { ...base({ server: "https://x" }, {}), clusters: [] } });
    expect(missingCluster.field).toBe("contexts[name=ctx].context.cluster");
    expect(missingCluster.message).toContain('cluster "c"');
    const missingUser = await failure({ config: { ...base({ server: "https://x" }, {}), users: [] } });
    expect(missingUser.field).toBe("contexts[name=ctx].context.user");
  });

  it("unreadable certificate file", async () => {
    const error = await failure({ config: base({ server: "https://x" }, { "client-certificate": "missing.crt", "client-key-data": b64(FAKE_KEY) }) });
    expect(error.field).toBe("users[name=alice].user.client-certificate");
    expect(error.message).toContain("missing.crt");
    expect(error.message).not.toContain("fake-key-material");
  });

  it("unreadable token file", async () => {
    const error = await failure({ config: base({ server: "https://x" }, { tokenFile: "tokens/missing" }) });
    expect(error.field).toBe("users[name=alice].user.tokenFile");
    expect(error.message).toContain(path.join("tokens", "missing"));
  });

  it("no server", async () => {
    const error = await failure({ config: base({}, {}) });
    expect(error.field).toBe("clusters[name=c].cluster.server");
  });

  it("auth-provider points to the exec replacement", async () => {
    const gcp = await failure({ config: base({ server: "https://x" }, { "auth-provider": { name: "gcp", config: { "access-token": "ya29-secret" } } }) });
    expect(gcp.message).toContain("gke-gcloud-auth-plugin");
    expect(gcp.message).not.toContain("ya29-secret");
    expect(gcp.field).toBe("users[name=alice].user.auth-provider");
    const oidc = await failure({ config: base({ server: "https://x" }, { "auth-provider": { name: "oidc" } }) });
    expect(oidc.message).toContain("kubelogin");
  });

  it("insecure flag with a CA, like kubectl", async () => {
    const error = await failure({ config: base({ server: "https://x", "insecure-skip-tls-verify": true, "certificate-authority-data": b64(FAKE_CA) }, {}) });
    expect(error.message).toContain("specifying a root certificates file with the insecure flag is not allowed");
  });

  it("client certificate without key, bad base64, two auth methods", async () => {
    expect((await failure({ config: base({ server: "https://x" }, { "client-certificate-data": b64(FAKE_CERT) }) })).field).toBe("users[name=alice].user.client-key");
    expect((await failure({ config: base({ server: "https://x", "certificate-authority-data": "not base64!!" }, {}) })).field).toBe("clusters[name=c].cluster.certificate-authority-data");
    const both = await failure({ config: base({ server: "https://x" }, { token: "t0ken-value", username: "u", password: "p4ssword" }) });
    expect(both.message).toMatch(/more than one authentication method/);
    expect(both.message).not.toMatch(/t0ken-value|p4ssword/);
  });

  it("refuses huge files and alias bombs", async () => {
    const dir = await tempFiles({});
    const big = path.join(dir, "big");
    await writeFile(big, Buffer.alloc(MAX_KUBECONFIG_BYTES + 1, 0x20));
    await expect(loadKubeconfig({ kubeconfig: big })).rejects.toThrow(/bytes, more than/);
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 8; i++) bomb.push(`${"bcdefghij"[i]}: &${"bcdefghij"[i]} [${Array(10).fill(`*${i === 0 ? "a" : "bcdefghij"[i - 1]}`).join(", ")}]`);
    const bombFile = path.join(dir, "bomb");
    await writeFile(bombFile, bomb.join("\n"));
    await expect(loadKubeconfig({ kubeconfig: bombFile })).rejects.toThrow(ConfigError);
  });
});

describe("secrets stay hidden", () => {
  it("util.inspect and JSON show no token, password or key", async () => {
    const dir = await tempFiles({
      config: {
        "current-context": "a",
        clusters: [{ name: "c", cluster: { server: "https://x" } }],
        users: [
          { name: "t", user: { token: "very-secret-token", "client-certificate-data": b64(FAKE_CERT), "client-key-data": b64(FAKE_KEY) } },
          { name: "b", user: { username: "admin", password: "very-secret-password" } },
        ],
        contexts: [
          { name: "a", context: { cluster: "c", user: "t" } },
          { name: "b", context: { cluster: "c", user: "b" } },
        ],
      },
    });
    for (const context of ["a", "b"]) {
      const connection = await loadKubeconfig({ kubeconfig: path.join(dir, "config"), context });
      const shown = inspect(connection, { depth: 10 }) + JSON.stringify(connection) + String(connection.tls.key);
      expect(shown).not.toMatch(/very-secret|fake-key-material/);
      expect(shown).toContain("redacted");
    }
  });
});

describe("an unknown context names where it came from", () => {
  it("says connect({ context }) for connect, the context option for loadKubeconfig, --context for the CLI", async () => {
    const { connect } = await import("../../../runtime/connect.js");
    const { main } = await import("../../../generator/cli/main.js");
    const { captureIo } = await import("../../support/cli-io.js");
    const dir = await tempFiles(overlappingKubeconfigs());
    const env = { KUBECONFIG: path.join(dir, "first/config") };
    await expect(connect({ env, context: "stagin" })).rejects.toThrow(/context "stagin" \(from connect\(\{ context \}\)\) is not defined/);
    await expect(loadKubeconfig({ env, context: "stagin" })).rejects.toThrow(/context "stagin" \(from the `context` option\) is not defined/);
    const io = captureIo(env);
    expect(await main(["generate", "--context", "stagin", "--out", path.join(dir, "out")], io)).toBe(1);
    expect(io.err).toMatch(/context "stagin" \(from --context\) is not defined/);
  });
});

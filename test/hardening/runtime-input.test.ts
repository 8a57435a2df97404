import { chmod, mkdir, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { clientFromConnection, KubeClient, RequestValidationError } from "../../runtime/index.js";
import { defineResource } from "../../runtime/entries/plumbing.js";
import { loadKubeconfig } from "../../runtime/config/index.js";
import { FakeTransport } from "../unit/client/fake-transport.js";
import { makeTempDir } from "../support/tmp.js";

const widgets = defineResource<{ metadata?: { name?: string } }, { status: unknown }>()({
  group: "example.com",
  version: "v1",
  plural: "widgets",
  kind: "Widget",
  namespaced: true,
  verbs: ["get", "list", "create", "update", "patch", "delete", "watch"],
  subresources: { status: { verbs: ["get", "update"] } },
} as const);

const figures = { rejected: 0, encoded: 0, kubeconfigs: 0 };
afterAll(() => console.log(`runtime input: ${figures.rejected} hostile path arguments rejected before any request, ${figures.encoded} query values kept whole, ${figures.kubeconfigs} hostile kubeconfigs refused or inert`));

const HOSTILE_SEGMENTS: [string, RegExp][] = [
  ["..", /different path/],
  [".", /different path/],
  ["a/b", /"\/"/],
  ["../../api/v1/secrets", /"\/"/],
  ["a%2Fb", /percent-escape/],
  ["%2e%2e", /percent-escape/],
  ["a?watch=true", /query string/],
  ["a#frag", /fragment/],
  ["", /must not be empty/],
  ["x".repeat(254), /limit is 253/],
  ["a\r\nHost: evil", /control character/],
  ["nul\u0000", /control character/],
];

describe("runtime: names, namespaces and subresources that would escape the path", () => {
  for (const [value, why] of HOSTILE_SEGMENTS) {
    it(`rejects ${JSON.stringify(value.slice(0, 30))} as name, namespace and subresource with no request sent`, async () => {
      const transport = new FakeTransport();
      const kube = new KubeClient(transport, { namespace: "default" });
      const client = kube.resource(widgets);
      const attempts: [string, () => Promise<unknown>, RegExp][] = [
        ["name", () => client.get(value), why],
        ["name (delete)", () => client.delete(value), why],
        ["body.metadata.name", () => client.update({ metadata: { name: value } }), why],
        ["namespace", () => client.list({ namespace: value }), /./],
        ["namespace (get)", () => client.get("ok", { namespace: value }), /./],
      ];
      for (const [argument, attempt, reason] of attempts) {
        const error = await attempt().then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(error, `${argument} ${JSON.stringify(value)}`).toBeInstanceOf(RequestValidationError);
        expect((error as Error).message).toMatch(/^invalid /);
        expect((error as Error).message, argument).toMatch(reason);
        figures.rejected++;
      }
      expect(transport.sent, "no request reached the transport").toEqual([]);
    });
  }

  it("rejects a subresource name that is not a word", async () => {
    const { buildResourcePath } = await import("../../runtime/request/path.js");
    for (const subresource of ["..", "status/../../x", "st%61tus", "status?x", "status#x", "", "Status"]) {
      expect(() => buildResourcePath({ group: "example.com", version: "v1", plural: "widgets", namespace: "default", name: "a", subresource })).toThrow(RequestValidationError);
      figures.rejected++;
    }
  });
});

describe("runtime: selectors and query values are encoded, never concatenated", () => {
  it("keeps a labelSelector with &watch=true, # and spaces as one parameter", async () => {
    const transport = new FakeTransport();
    const kube = new KubeClient(transport, { namespace: "default" });
    const hostile = ["app=web&watch=true", "a in (x, y)#frag", "x=1;y=2&fieldSelector=metadata.name=evil", "é=ü", "a+b=c%26d", "\u2028=\n"];
    for (const labelSelector of hostile) {
      await kube.resource(widgets).list({ labelSelector, fieldSelector: labelSelector, resourceVersion: labelSelector });
      const url = new URL(transport.last.path, "https://k8s.example");
      expect(url.pathname).toBe("/apis/example.com/v1/namespaces/default/widgets");
      expect(url.searchParams.getAll("labelSelector")).toEqual([labelSelector]);
      expect(url.searchParams.getAll("fieldSelector")).toEqual([labelSelector]);
      expect(url.searchParams.getAll("resourceVersion")).toEqual([labelSelector]);
      expect(url.searchParams.has("watch")).toBe(false);
      expect(url.hash).toBe("");
      figures.encoded += 3;
    }
  });
});

describe("runtime: kubeconfig from an untrusted place", () => {
  let dir = "";
  const marker = () => path.join(dir, "PWNED");

  async function hostileKubeconfig(name: string, user: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<string> {
    dir ||= await makeTempDir("kubeconfig-hostile-");
    const script = path.join(dir, "run-me.sh");
    await writeFile(script, `#!/bin/sh\ntouch ${JSON.stringify(marker())}\necho '{}'\n`);
    await chmod(script, 0o755);
    const file = path.join(dir, `${name}.yaml`);
    await mkdir(dir, { recursive: true });
    await writeFile(
      file,
      stringify({
        apiVersion: "v1",
        kind: "Config",
        "current-context": "c",
        clusters: [{ name: "k", cluster: { server: "http://127.0.0.1:9", command: script, "cmd-path": script, ...extra } }],
        contexts: [{ name: "c", context: { cluster: "k", user: "u", command: script } }],
        users: [{ name: "u", user: { ...user } }],
        preferences: { command: script, exec: { command: script } },
        command: script,
      }),
    );
    return file;
  }

  it("refuses a gcp/oidc auth-provider instead of running its cmd-path", async () => {
    for (const provider of ["gcp", "oidc", "azure", "custom"]) {
      const file = await hostileKubeconfig(`auth-provider-${provider}`, {
        "auth-provider": { name: provider, config: { "cmd-path": path.join(dir || "/", "run-me.sh"), "cmd-args": "config config-helper", "access-token": "s3cr3t-token" } },
      });
      const error = await loadKubeconfig({ kubeconfig: file }).then(() => undefined, (caught: unknown) => caught as Error);
      expect(error?.message).toMatch(/auth-provider/);
      expect(error?.message).not.toContain("s3cr3t-token");
      figures.kubeconfigs++;
    }
    expect(existsSync(marker())).toBe(false);
  });

  it("never runs `command` fields outside a user's exec section, even when the client makes a request", async () => {
    const server = createServer((_request, response) => response.writeHead(200, { "content-type": "application/json" }).end('{"kind":"WidgetList","items":[]}'));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const file = await hostileKubeconfig("odd-commands", { token: "s3cr3t-token", command: "ignored", "cmd-path": "ignored", args: ["-c", "touch x"] }, { server: `http://127.0.0.1:${port}` });
      const connection = await loadKubeconfig({ kubeconfig: file });
      const kube = clientFromConnection(connection);
      try {
        await kube.resource(widgets).list({ namespace: "default" });
      } finally {
        await kube.close?.();
      }
      figures.kubeconfigs++;
      expect(existsSync(marker())).toBe(false);
    } finally {
      server.close();
    }
  });

  it("refuses an alias bomb and a huge file with a clear error", async () => {
    dir ||= await makeTempDir("kubeconfig-hostile-");
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
      "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
      "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]",
      "clusters: *f",
    ].join("\n");
    await writeFile(path.join(dir, "bomb.yaml"), bomb);
    const started = performance.now();
    await expect(loadKubeconfig({ kubeconfig: path.join(dir, "bomb.yaml") })).rejects.toThrow(/alias/i);
    expect(performance.now() - started).toBeLessThan(5_000);
    await writeFile(path.join(dir, "huge.yaml"), `apiVersion: v1\nkind: Config\n# ${"x".repeat(9 * 1024 * 1024)}\n`);
    await expect(loadKubeconfig({ kubeconfig: path.join(dir, "huge.yaml") })).rejects.toThrow(/bytes/);
    figures.kubeconfigs += 2;
  });
});

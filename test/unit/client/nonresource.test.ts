import { describe, expect, it } from "vitest";
import { KubeClient } from "../../../runtime/index.js";
import { buildLogsPath } from "../../../runtime/client/nonresource.js";
import { FakeTransport } from "./fake-transport.js";

describe("non-resource endpoints", () => {
  it("sends health checks with verbose and repeated exclude", async () => {
    const transport = new FakeTransport().reply({ body: "ok" }, { body: "[+]ping ok\nhealthz check passed" });
    const kube = new KubeClient(transport);
    expect(await kube.nonResource.readyz()).toBe("ok");
    expect(transport.last.path).toBe("/readyz");
    expect(await kube.nonResource.healthz({ verbose: true, exclude: ["etcd", "ping"] })).toContain("[+]ping ok");
    expect(transport.last.path).toBe("/healthz?exclude=etcd&exclude=ping&verbose=true");
  });

  it("parses /version, /api and /apis as JSON and reads /metrics as text", async () => {
    const transport = new FakeTransport().reply({ body: { major: "1", minor: "20", gitVersion: "v1.20.2" } }, { body: "# HELP x\n" });
    const kube = new KubeClient(transport);
    expect((await kube.nonResource.version()).gitVersion).toBe("v1.20.2");
    expect(transport.last.headers?.accept).toBe("application/json");
    expect(await kube.nonResource.metrics()).toBe("# HELP x\n");
    expect(transport.last).toMatchObject({ method: "GET", path: "/metrics" });
    await kube.nonResource.apiGroups();
    expect(transport.last.path).toBe("/apis");
    await kube.nonResource.apiVersions();
    expect(transport.last.path).toBe("/api");
  });

  it("keeps log paths under /logs/", () => {
    expect(buildLogsPath()).toBe("/logs/");
    expect(buildLogsPath("/")).toBe("/logs/");
    expect(buildLogsPath("kube-apiserver.log")).toBe("/logs/kube-apiserver.log");
    expect(buildLogsPath("pods/a b")).toBe("/logs/pods/a%20b");
    expect(() => buildLogsPath("../etc/passwd")).toThrow(/invalid logs path/);
    expect(() => buildLogsPath("a?b")).toThrow(/contains "\?"/);
  });
});

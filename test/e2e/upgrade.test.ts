import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main, type CliIo } from "../../generator/cli/main.js";
import { generate } from "../../generator/generate.js";
import { listTree } from "../../generator/write/index.js";
import type { ChangeEntry, ChangeReport } from "../../generator/model/index.js";
import { formatChangeReport } from "../../generator/cli/report.js";
import { typecheckFolder } from "../corpus/support/typecheck.js";
import { KUBERNETES_VERSIONS, startModernTestServer, type KubernetesVersion } from "../support/modern-server/index.js";
import { connectionTo, writeKubeconfigFor } from "../support/modern-server/client-config.js";
import { describeWithSharedData } from "../support/shared-data.js";
import { makeTempDir } from "../support/tmp.js";

/**
 * Upgrading a cluster 1.23 → 1.24 → … → 1.35 and regenerating into the same folder each time: every change
 * report is checked against what the raw OpenAPI documents say changed (computed here, independently of the
 * generator), an incremental chain ends byte-identical to a fresh generation, and a program written against
 * the 1.27 output fails to compile against the 1.35 output exactly where the report said it would.
 */



function captureIo(): CliIo & { out: string; err: string } {
  const io = { out: "", err: "", stdout: (text: string) => void (io.out += text), stderr: (text: string) => void (io.err += text), env: {}, stderrIsTty: false };
  return io;
}

async function readTree(folder: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const file of await listTree(folder)) files[file] = await readFile(path.join(folder, file), "utf8");
  return files;
}

/** Served group/versions (module keys: `core/v1`, `batch/v1`) → resource plurals, read straight from the documents' paths. */
async function servedApiOf(versionFolder: string): Promise<Map<string, Set<string>>> {
  const documents: Array<[string, string]> = [];
  for (const file of await readdir(path.join(versionFolder, "api"))) documents.push([`core/${file.replace(/\.json$/, "")}`, path.join(versionFolder, "api", file)]);
  for (const group of await readdir(path.join(versionFolder, "apis"))) {
    for (const file of await readdir(path.join(versionFolder, "apis", group))) {
      documents.push([`${group}/${file.replace(/\.json$/, "")}`, path.join(versionFolder, "apis", group, file)]);
    }
  }
  const served = new Map<string, Set<string>>();
  for (const [key, file] of documents) {
    const document = JSON.parse(await readFile(file, "utf8")) as { paths?: Record<string, unknown> };
    const plurals = new Set(Object.keys(document.paths ?? {}).flatMap((urlPath) => pluralIn(urlPath) ?? []));
    // A server lists a group/version only when it serves a resource there.
    if (plurals.size > 0) served.set(key, plurals);
  }
  return served;
}

/** `/apis/batch/v1/namespaces/{namespace}/jobs/{name}/status` → `jobs`; `/apis/batch/v1/` → nothing. */
function pluralIn(urlPath: string): string | undefined {
  const segments = urlPath.split("/").filter((segment) => segment !== "");
  let rest = segments[0] === "api" ? segments.slice(2) : segments[0] === "apis" ? segments.slice(3) : [];
  if (rest[0] === "watch") rest = rest.slice(1);
  if (rest[0] === "namespaces" && rest[1] === "{namespace}" && rest.length > 2) rest = rest.slice(2);
  const plural = rest[0];
  return plural === undefined || plural.startsWith("{") ? undefined : plural;
}

/** What the report must say between two served APIs: group/versions and, within kept ones, resources. */
function expectedEntries(before: Map<string, Set<string>>, after: Map<string, Set<string>>): string[] {
  const entries: string[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(key);
    const b = after.get(key);
    if (a === undefined) entries.push(`added groupVersion ${key}`);
    else if (b === undefined) entries.push(`removed groupVersion ${key}`);
    else {
      for (const plural of b) if (!a.has(plural)) entries.push(`added resource ${key} ${plural}`);
      for (const plural of a) if (!b.has(plural)) entries.push(`removed resource ${key} ${plural}`);
    }
  }
  return entries.sort();
}

const describeEntry = (entry: ChangeEntry) => `${entry.change} ${entry.subject} ${entry.path}`;

describeWithSharedData("openapi-v3", "regenerating across upgrades 1.23 → 1.35", (openapiRoot) => {
  let root: string;
  let chain: string;
  let cacheDir: string;
  const reports = new Map<KubernetesVersion, ChangeReport>();
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    root = await makeTempDir("upgrade-");
    chain = path.join(root, "chain");
    cacheDir = path.join(root, "cache");
    for (const version of KUBERNETES_VERSIONS) {
      const server = await startModernTestServer({ version });
      try {
        const result = await generate({ connection: connectionTo(server), out: chain, cacheDir });
        timings[version] = result.durationMs;
        reports.set(version, result.report);
      } finally {
        await server.close();
      }
      if (version === "1.27") await cp(chain, path.join(root, "v1.27"), { recursive: true });
    }
  }, 600_000);
  afterAll(() => {
    console.log(`regeneration chain, ms per version: ${JSON.stringify(timings)}`);
  });

  const pairs = KUBERNETES_VERSIONS.slice(1).map((to, index) => [KUBERNETES_VERSIONS[index]!, to] as const);

  it.each(pairs)("%s → %s: the report lists exactly the group/versions and resources the documents added and removed", async (from, to) => {
    const expected = expectedEntries(await servedApiOf(path.join(openapiRoot, from)), await servedApiOf(path.join(openapiRoot, to)));
    const report = reports.get(to)!;
    expect(report.initial).toBe(false);
    const listed = report.entries.filter((entry) => entry.subject === "groupVersion" || entry.subject === "resource");
    expect(listed.map(describeEntry).sort()).toEqual(expected);
    for (const entry of listed) expect([describeEntry(entry), entry.breaking]).toEqual([describeEntry(entry), entry.change !== "added"]);
  });

  it("names the well-known removals and additions", () => {
    const groupVersionChanges = (version: KubernetesVersion) =>
      reports.get(version)!.entries.filter((entry) => entry.subject === "groupVersion").map((entry) => `${entry.change} ${entry.path}`);
    expect(groupVersionChanges("1.25")).toEqual([
      "removed autoscaling/v2beta1",
      "removed batch/v1beta1",
      "removed discovery.k8s.io/v1beta1",
      "removed events.k8s.io/v1beta1",
      "added networking.k8s.io/v1alpha1",
      "removed node.k8s.io/v1beta1",
      "removed policy/v1beta1",
    ]);
    expect(groupVersionChanges("1.29")).toEqual([
      "added flowcontrol.apiserver.k8s.io/v1",
      "removed flowcontrol.apiserver.k8s.io/v1beta2",
      "added storage.k8s.io/v1alpha1",
    ]);
    expect(groupVersionChanges("1.34")).toContain("added resource.k8s.io/v1");
  });

  it("ends, after twelve incremental regenerations, byte-identical to a fresh generation of 1.35", async () => {
    const server = await startModernTestServer({ version: "1.35" });
    try {
      const fresh = path.join(root, "fresh-1.35");
      const result = await generate({ connection: connectionTo(server), out: fresh, cacheDir });
      expect(result.reused).toEqual({ all: false, files: 0 });
      expect(await readTree(chain)).toEqual(await readTree(fresh));
    } finally {
      await server.close();
    }
  });

  it("prints the report through the CLI, and --check exits 3 with it before the folder is regenerated (1.28 → 1.29)", async () => {
    const out = path.join(root, "cli");
    const old = await startModernTestServer({ version: "1.28" });
    try {
      const kubeconfig = await writeKubeconfigFor(path.join(root, "1.28.kubeconfig"), old);
      expect(await main(["generate", "--kubeconfig", kubeconfig, "--out", out, "--cache-dir", cacheDir, "--quiet"], captureIo())).toBe(0);
    } finally {
      await old.close();
    }
    const before = await readTree(out);
    const server = await startModernTestServer({ version: "1.29" });
    try {
      const kubeconfig = await writeKubeconfigFor(path.join(root, "1.29.kubeconfig"), server);
      const check = captureIo();
      expect(await main(["generate", "--kubeconfig", kubeconfig, "--out", out, "--cache-dir", cacheDir, "--check"], check)).toBe(3);
      expect(check.out).toContain(`${out} is out of date; generate would change:\n`);
      expect(check.out).toContain(formatChangeReport(reports.get("1.29")!));
      expect(await readTree(out)).toEqual(before);

      const run = captureIo();
      expect(await main(["generate", "--kubeconfig", kubeconfig, "--out", out, "--cache-dir", cacheDir], run)).toBe(0);
      expect(run.out.startsWith(formatChangeReport(reports.get("1.29")!))).toBe(true);
      expect(run.out).toMatch(/BREAKING removed +groupVersion +flowcontrol\.apiserver\.k8s\.io\/v1beta2\n/);
      expect(run.out).toMatch(/\nwrote .*: 31 group\/versions, .* from https:\/\/127\.0\.0\.1:\d+ \(v1\.29\.0\) in [\d.]+s; 31 OpenAPI documents from the cache\n$/);
    } finally {
      await server.close();
    }
  });

  it("kubetyped diff gives the same report between OpenAPI folders, generated folders, or one of each", async () => {
    for (const [from, to] of [["1.24", "1.25"], ["1.33", "1.34"]] as const) {
      const io = captureIo();
      expect(await main(["diff", "--from", path.join(openapiRoot, from), "--to", path.join(openapiRoot, to), "--json"], io)).toBe(0);
      expect((JSON.parse(io.out) as ChangeReport).entries).toEqual(reports.get(to)!.entries);
    }
    const text = captureIo();
    expect(await main(["diff", "--from", path.join(root, "v1.27"), "--to", path.join(openapiRoot, "1.35"), "--quiet"], text)).toBe(0);
    const json = captureIo();
    expect(await main(["diff", "--from", path.join(root, "v1.27"), "--to", chain, "--json"], json)).toBe(0);
    expect(text.out).toBe(formatChangeReport(JSON.parse(json.out) as ChangeReport));
    expect(text.out).toMatch(/^API changes: \d+ added, \d+ removed, \d+ changed, \d+ breaking\n/);
  });

  it("a program written against the 1.27 clients fails to compile against 1.35 exactly where the report announced breaking changes", async () => {
    const diff = captureIo();
    expect(await main(["diff", "--from", path.join(root, "v1.27"), "--to", chain, "--json"], diff)).toBe(0);
    const breaking = new Set((JSON.parse(diff.out) as ChangeReport).entries.filter((entry) => entry.breaking).map(describeEntry));

    const marked = new Map<number, string>();
    USER_PROGRAM.split("\n").forEach((line, index) => {
      const marker = /\/\/ breaks: (.*)$/.exec(line);
      if (marker) marked.set(index + 1, marker[1]!);
    });
    // The program only counts on breaks the report announces.
    for (const entry of marked.values()) expect([entry, breaking.has(entry)]).toEqual([entry, true]);
    expect(marked.size).toBeGreaterThanOrEqual(10);

    const against = async (name: string, generated: string) => {
      const dir = path.join(root, name);
      await mkdir(dir, { recursive: true });
      await cp(generated, path.join(dir, "gen"), { recursive: true });
      await writeFile(path.join(dir, "program.ts"), USER_PROGRAM);
      return typecheckFolder(dir);
    };
    expect(await against("program-1.27", path.join(root, "v1.27"))).toBe("");

    const output = await against("program-1.35", chain);
    const errors = output.split("\n").filter((line) => / error TS\d+:/.test(line));
    // The 1.35 output itself type-checks under strict: every error is in the program.
    expect(errors.filter((line) => !line.startsWith("program.ts("))).toEqual([]);
    const errorLines = new Map<number, string[]>();
    for (const line of errors) {
      const lineNumber = Number(/^program\.ts\((\d+),/.exec(line)![1]);
      errorLines.set(lineNumber, [...(errorLines.get(lineNumber) ?? []), line]);
    }
    const failing = [...errorLines.keys()].sort((a, b) => a - b).map((line) => `${line}: ${marked.get(line) ?? `unannounced: ${errorLines.get(line)!.join(" / ")}`}`);
    const announced = [...marked.keys()].sort((a, b) => a - b).map((line) => `${line}: ${marked.get(line)}`);
    expect(failing).toEqual(announced);
  }, 240_000);
});

/**
 * Written against clients generated from Kubernetes 1.27 (in ./gen). A line marked `breaks:` uses what the
 * 1.27 → 1.35 report announces as that breaking change; every other line must keep compiling.
 */
const USER_PROGRAM = `import type { KubeClient } from "kubetyped/runtime";
import { deployments, type Deployment } from "./gen/apps/v1.js";
import { jobs, type Job } from "./gen/batch/v1.js";
import {
  configMaps,
  persistentVolumeClaims,
  type ClaimSource, // breaks: removed type core/v1 ClaimSource
  type HostAlias,
  type PersistentVolumeClaimSpec,
  type PersistentVolumeClaimStatus,
  type PodResourceClaim,
} from "./gen/core/v1.js";
import { flowSchemas } from "./gen/flowcontrol.apiserver.k8s.io/v1beta2.js"; // breaks: removed groupVersion flowcontrol.apiserver.k8s.io/v1beta2
import { priorityLevelConfigurations } from "./gen/flowcontrol.apiserver.k8s.io/v1beta3.js"; // breaks: removed groupVersion flowcontrol.apiserver.k8s.io/v1beta3
import { selfSubjectReviews } from "./gen/authentication.k8s.io/v1beta1.js"; // breaks: removed groupVersion authentication.k8s.io/v1beta1
import {
  validatingAdmissionPolicies, // breaks: removed resource admissionregistration.k8s.io/v1alpha1 validatingadmissionpolicies
  type ValidatingAdmissionPolicy, // breaks: removed type admissionregistration.k8s.io/v1alpha1 ValidatingAdmissionPolicy
} from "./gen/admissionregistration.k8s.io/v1alpha1.js";
import { networkPolicies, type NetworkPolicy } from "./gen/networking.k8s.io/v1.js";

export async function run(kube: KubeClient, namespace: string) {
  const job: Job = {
    metadata: { name: "nightly" },
    spec: { backoffLimit: 2, template: { spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox" }] } } },
  };
  await kube.resource(jobs).create(job, { namespace });
  const web: Deployment = await kube.resource(deployments).get("web", { namespace });
  const settings = await kube.resource(configMaps).list({ namespace, labelSelector: "app=web" });

  const alias: HostAlias = { hostnames: ["db.local"] }; // breaks: changed field core/v1 HostAlias.ip
  const claim: PodResourceClaim = {
    name: "gpu",
    source: { resourceClaimName: "gpu" }, // breaks: removed field core/v1 PodResourceClaim.source
  };
  const template: ClaimSource = { resourceClaimTemplateName: "gpu-template" };
  const spec: PersistentVolumeClaimSpec = {
    accessModes: ["ReadWriteOnce"],
    resources: {
      requests: { storage: "1Gi" },
      claims: [{ name: "gpu" }], // breaks: changed field core/v1 PersistentVolumeClaimSpec.resources
    },
  };
  const pvc = await kube.resource(persistentVolumeClaims).create({ metadata: { name: "data" }, spec }, { namespace });
  const resizing = (status: PersistentVolumeClaimStatus | undefined) => status?.resizeStatus !== undefined; // breaks: removed field core/v1 PersistentVolumeClaimStatus.resizeStatus

  const policy: NetworkPolicy = await kube.resource(networkPolicies).status.get("deny-all", { namespace }); // breaks: removed subresource networking.k8s.io/v1 networkpolicies/status
  const policyConditions = policy.status?.conditions ?? []; // breaks: removed field networking.k8s.io/v1 NetworkPolicy.status

  const flows = await kube.resource(flowSchemas).list();
  const levels = await kube.resource(priorityLevelConfigurations).list();
  const me = await kube.resource(selfSubjectReviews).create({});
  const admission: ValidatingAdmissionPolicy = { metadata: { name: "no-latest" }, spec: { validations: [{ expression: "true" }] } };
  await kube.resource(validatingAdmissionPolicies).create(admission);

  return { web, settings, alias, claim, template, resizing: resizing(pvc.status), policyConditions, flows, levels, me };
}
`;

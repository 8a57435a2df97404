import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main, type CliIo } from "../../../generator/cli/main.js";
import { COMMANDS } from "../../../generator/cli/commands.js";
import { snapshot } from "../../../generator/snapshot.js";
import { GENERATOR_VERSION } from "../../../generator/version.js";
import { listTree } from "../../../generator/write/index.js";
import { LIVE_SNAPSHOT, liveSnapshotAvailable } from "../sources/fixtures.js";

function captureIo(options: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}): CliIo & { out: string; err: string } {
  const io = {
    out: "",
    err: "",
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
    env: options.env ?? {},
    stderrIsTty: options.tty ?? false,
    columns: 80,
  };
  return io;
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "kubetyped-cli-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("kubetyped main", () => {
  it("prints the version and the help of each command with every flag", async () => {
    const version = captureIo();
    expect(await main(["--version"], version)).toBe(0);
    expect(version.out).toBe(`kubetyped ${GENERATOR_VERSION}\n`);
    for (const spec of Object.values(COMMANDS).filter((c) => c.flags.length > 0)) {
      const io = captureIo();
      expect(await main([spec.name, "--help"], io)).toBe(0);
      for (const flag of spec.flags) expect(io.out).toContain(`--${flag.name}`);
    }
  });

  it("exits 2 on usage errors, with the suggestion on stderr", async () => {
    const typo = captureIo();
    expect(await main(["generate", "--grups", "batch"], typo)).toBe(2);
    expect(typo.err).toBe("error: unknown flag --grups for `kubetyped generate`; did you mean --groups? (see kubetyped generate --help)\n");
    const command = captureIo();
    expect(await main(["genrate"], command)).toBe(2);
    expect(command.err).toContain("did you mean `kubetyped generate`?");
    const inCluster = captureIo();
    expect(await main(["generate", "--in-cluster", "--context", "kind"], inCluster)).toBe(2);
    expect(inCluster.err).toContain("--in-cluster cannot be combined with --kubeconfig or --context");
    const insecureFolder = captureIo();
    expect(await main(["generate", "--from", "x", "--insecure-skip-tls-verify"], insecureFolder)).toBe(2);
    expect(insecureFolder.err).toContain("--insecure-skip-tls-verify applies to clusters");
    const recordSeveral = captureIo();
    expect(await main(["generate", "--from", "x", "--from", "y", "--record", "r"], recordSeveral)).toBe(2);
    expect(recordSeveral.err).toContain("--record records one cluster");
    const badGroups = captureIo();
    expect(await main(["generate", "--from", "x", "--groups", "a/b/c"], badGroups)).toBe(2);
    expect(badGroups.err).toMatch(/"a\/b\/c" is not `group` or `group\/version`/);
    const missing = captureIo();
    expect(await main(["generate", "--from", join(root, "nowhere"), "--out", join(root, "o")], missing)).toBe(1);
    expect(missing.err).toMatch(/^error: .*nowhere: no such folder; --from takes a snapshot folder \(`npx kubetyped snapshot --out DIR` records one\)/);
    const snapshotWithoutOut = captureIo();
    expect(await main(["snapshot"], snapshotWithoutOut)).toBe(2);
    expect(snapshotWithoutOut.err).toContain("snapshot needs --out DIR");
  });

  it("exits 1 with the fix when no cluster is configured", async () => {
    const io = captureIo({ env: { HOME: root } });
    expect(await main(["generate", "--out", join(root, "never")], io)).toBe(1);
    expect(io.err).toMatch(/^error: .*no cluster configured.*npx kubetyped local-cluster up/);
  });
});

describe.runIf(liveSnapshotAvailable())("kubetyped generate --from a snapshot", () => {
  it("generates, reports, and --check detects drift with exit 3", async () => {
    const out = join(root, "gen");
    const first = captureIo();
    expect(await main(["generate", "--from", LIVE_SNAPSHOT, "--out", out, "--groups", "batch/v1"], first)).toBe(0);
    expect(first.out).toMatch(/^first generation: \d+ module\(s\)\n/);
    expect(first.out).toMatch(/^wrote .*gen: 1 group\/version, 1 resource, \d+ types, \d+ files from snapshot .* \(v1\.20\.2\) in \d+\.\ds$/m);
    expect(first.err).toMatch(/^kubetyped: reading \/version, \/api and \/apis from snapshot /m);
    const manifest = JSON.parse(await readFile(join(out, "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({ generator: "kubetyped", clusterVersion: "v1.20.2", openapi: "v2", files: expect.arrayContaining(["batch/v1.ts"]) });
    expect(Object.keys(manifest.sourceHashes)).toEqual(["batch/v1"]);

    const check = captureIo();
    expect(await main(["generate", "--from", LIVE_SNAPSHOT, "--out", out, "--groups", "batch/v1", "--check", "--quiet"], check)).toBe(0);
    expect(check.out + check.err).toBe("");

    await writeFile(join(out, "batch/v1.ts"), "// edited by hand\n");
    const drift = captureIo();
    expect(await main(["generate", "--from", LIVE_SNAPSHOT, "--out", out, "--groups", "batch/v1", "--check"], drift)).toBe(3);
    expect(drift.out).toContain(`${out} is out of date; generate would change:\n  changed batch/v1.ts\n`);
    expect(await readFile(join(out, "batch/v1.ts"), "utf8")).toBe("// edited by hand\n");
  });

  it("shows progress as a live line on a TTY and nothing with --quiet", async () => {
    const tty = captureIo({ tty: true });
    expect(await main(["generate", "--from", LIVE_SNAPSHOT, "--out", join(root, "tty"), "--groups", "batch/v1"], tty)).toBe(0);
    expect(tty.err).toContain("\r\x1b[2Kbuilding the model");
    expect(tty.err).not.toContain("\n");
    const quiet = captureIo({ tty: true });
    expect(await main(["generate", "--from", LIVE_SNAPSHOT, "--out", join(root, "quiet"), "--groups", "batch/v1", "--quiet"], quiet)).toBe(0);
    expect(quiet.err + quiet.out).toBe("");
  });

  it("diff reports API changes between generated folders or snapshots, as text or JSON", async () => {
    const a = join(root, "a");
    const b = join(root, "b");
    expect(await main(["generate", "--from", LIVE_SNAPSHOT, "--out", a, "--groups", "batch/v1", "--quiet"], captureIo())).toBe(0);
    expect(await main(["generate", "--from", LIVE_SNAPSHOT, "--out", b, "--groups", "batch/v1,apps/v1", "--quiet"], captureIo())).toBe(0);
    const json = captureIo();
    expect(await main(["diff", "--from", a, "--to", b, "--json"], json)).toBe(0);
    const report = JSON.parse(json.out);
    expect(report.entries).toContainEqual({ change: "added", subject: "groupVersion", path: "apps/v1", breaking: false });
    expect(report.breaking).toBe(0);
    const reverse = captureIo();
    expect(await main(["diff", "--from", b, "--to", a], reverse)).toBe(0);
    expect(reverse.out).toMatch(/^BREAKING removed +groupVersion +apps\/v1$/m);

    // Snapshot vs an edited copy: a verb removed from batch/v1 jobs is a breaking change.
    const edited = join(root, "edited-snapshot");
    await cp(LIVE_SNAPSHOT, edited, { recursive: true });
    const file = join(edited, "apis/batch/v1.json");
    const list = JSON.parse(await readFile(file, "utf8"));
    list.resources[0].verbs = list.resources[0].verbs.filter((verb: string) => verb !== "deletecollection");
    await writeFile(file, JSON.stringify(list));
    const snapshots = captureIo();
    expect(await main(["diff", "--from", LIVE_SNAPSHOT, "--to", edited, "--groups", "batch/v1"], snapshots)).toBe(0);
    expect(snapshots.out).toMatch(/^BREAKING removed +verb +batch\/v1 jobs verb deletecollection$/m);
  });
});

describe.runIf(liveSnapshotAvailable())("snapshot (re-recording a snapshot)", () => {
  it("records what generation reads, replaces an earlier snapshot, and refuses any other non-empty folder", async () => {
    const target = join(root, "resnap");
    const first = await snapshot({ from: LIVE_SNAPSHOT, out: target, groups: ["batch/v1"] });
    expect(first.groupVersions).toEqual(["batch/v1"]);
    expect(await listTree(target)).toEqual(["api.json", "apis.json", "apis/batch/v1.json", "openapi/v2.json", "version.json"]);
    await snapshot({ from: LIVE_SNAPSHOT, out: target, groups: ["apps/v1"] });
    expect(await listTree(target)).toContain("apis/apps/v1.json");
    expect(await listTree(target)).not.toContain("apis/batch/v1.json");

    const project = join(root, "project");
    await mkdir(project, { recursive: true });
    await writeFile(join(project, "package.json"), "{}");
    await expect(snapshot({ from: LIVE_SNAPSHOT, out: project })).rejects.toThrow(/project: is not empty and not an earlier snapshot/);
    expect(await listTree(project)).toEqual(["package.json"]);
  });
});

describe("kubetyped generate --from an OpenAPI v3 folder", () => {
  const folder = join(LIVE_SNAPSHOT, "..", "..", "openapi-v3", "1.35");
  it.runIf(liveSnapshotAvailable())("derives discovery from the documents and generates the chosen group/versions", async () => {
    const out = join(root, "v3");
    const io = captureIo();
    expect(await main(["generate", "--from", folder, "--out", out, "--groups", "batch/v1"], io)).toBe(0);
    expect(io.err).toContain("reading the OpenAPI v3 folder");
    const manifest = JSON.parse(await readFile(join(out, "manifest.json"), "utf8"));
    expect(manifest.openapi).toBe("v3");
    expect(Object.keys(manifest.sourceHashes)).toEqual(["batch/v1"]);
    expect(JSON.parse(await readFile(join(out, ".summary/batch/v1.json"), "utf8")).resources.cronjobs).toMatchObject({ kind: "CronJob", namespaced: true });
    expect(await readFile(join(out, "batch/v1.ts"), "utf8")).toMatch(/export interface CronJob\b/);
  });
});

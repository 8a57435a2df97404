import { chmod, mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ControlPlaneBinariesNotFoundError,
  ControlPlaneBuildError,
  ensureControlPlaneBinaries,
  findControlPlaneBinaries,
} from "../../../local-cluster/binaries.js";
import { mergeFlags, withFeatureGates } from "../../../local-cluster/cluster.js";
import { findRelease, NEWEST_RELEASE, OLDEST_RELEASE, releaseCacheDir, UnknownControlPlaneVersionError } from "../../../local-cluster/releases.js";
import { makeTempDir } from "../../support/tmp.js";

/** A folder with executable stand-ins for the named commands. */
async function fakeBinaries(prefix: string, names: string[]): Promise<string> {
  const dir = await makeTempDir(prefix);
  for (const name of names) {
    await writeFile(join(dir, name), "#!/bin/sh\nexit 0\n");
    await chmod(join(dir, name), 0o755);
  }
  return dir;
}

describe("findControlPlaneBinaries", () => {
  it("honours KUBEBUILDER_ASSETS, through symlinks, before everything else", async () => {
    const real = await fakeBinaries("real", ["kube-apiserver", "etcd"]);
    const assets = await makeTempDir("assets");
    await symlink(join(real, "kube-apiserver"), join(assets, "kube-apiserver"));
    await symlink(join(real, "etcd"), join(assets, "etcd"));
    const onPath = await fakeBinaries("path", ["kube-apiserver", "etcd"]);
    const found = await findControlPlaneBinaries({ KUBEBUILDER_ASSETS: assets, PATH: onPath, ETCD_BIN: join(onPath, "etcd") });
    expect(found).toEqual({ apiserver: join(assets, "kube-apiserver"), etcd: join(assets, "etcd"), source: `KUBEBUILDER_ASSETS=${assets}` });
  });

  it("names the missing etcd when KUBEBUILDER_ASSETS lacks it", async () => {
    const assets = await fakeBinaries("no-etcd", ["kube-apiserver"]);
    const found = findControlPlaneBinaries({ KUBEBUILDER_ASSETS: assets, PATH: "" });
    await expect(found).rejects.toBeInstanceOf(ControlPlaneBinariesNotFoundError);
    await expect(found).rejects.toThrow(`KUBEBUILDER_ASSETS=${assets} names a folder without an executable ${join(assets, "etcd")}`);
  });

  it("takes KUBE_APISERVER_BIN and ETCD_BIN, and rejects one that is not executable", async () => {
    const bins = await fakeBinaries("bins", ["my-apiserver", "my-etcd"]);
    const env = { KUBE_APISERVER_BIN: join(bins, "my-apiserver"), ETCD_BIN: join(bins, "my-etcd"), PATH: "" };
    await expect(findControlPlaneBinaries(env)).resolves.toMatchObject({ apiserver: env.KUBE_APISERVER_BIN, etcd: env.ETCD_BIN });
    await chmod(env.ETCD_BIN, 0o644);
    await expect(findControlPlaneBinaries(env)).rejects.toThrow(`ETCD_BIN=${env.ETCD_BIN} is not an executable file`);
  });

  it("uses the PATH, then the newest release's build in the per-user cache", async () => {
    const both = await fakeBinaries("both", ["kube-apiserver", "etcd"]);
    await expect(findControlPlaneBinaries({ PATH: both })).resolves.toMatchObject({ apiserver: join(both, "kube-apiserver"), source: "PATH" });

    const cache = await makeTempDir("cache");
    const cachedDir = releaseCacheDir(cache, NEWEST_RELEASE);
    await mkdir(cachedDir, { recursive: true });
    for (const name of ["kube-apiserver", "etcd"]) {
      await writeFile(join(cachedDir, name), "#!/bin/sh\n");
      await chmod(join(cachedDir, name), 0o755);
    }
    const empty = await makeTempDir("empty-path");
    const found = await findControlPlaneBinaries({ PATH: empty, KUBETYPED_CACHE_DIR: cache });
    expect(found).toMatchObject({ apiserver: join(cachedDir, "kube-apiserver"), etcd: join(cachedDir, "etcd"), release: NEWEST_RELEASE });
    expect(found.source).toContain(cache);

    const xdg = await makeTempDir("xdg");
    await expect(findControlPlaneBinaries({ PATH: empty, XDG_CACHE_HOME: xdg })).rejects.toThrow(
      `${join(releaseCacheDir(join(xdg, "kubetyped"), NEWEST_RELEASE), "kube-apiserver")} does not exist. Run \`npx kubetyped local-cluster build --version ${NEWEST_RELEASE.minor}\``,
    );
  });

  it("answers a release asked for by version from its cache only, 1.20 with etcd from the PATH", async () => {
    const both = await fakeBinaries("both-on-path", ["kube-apiserver", "etcd"]);
    const cache = await makeTempDir("cache-120");
    // Binaries on the PATH do not answer for a version: they may be any release.
    await expect(findControlPlaneBinaries({ PATH: both, KUBETYPED_CACHE_DIR: cache }, OLDEST_RELEASE)).rejects.toThrow(/does not exist.*--version 1\.20/);
    const cachedDir = releaseCacheDir(cache, OLDEST_RELEASE);
    await mkdir(cachedDir, { recursive: true });
    await writeFile(join(cachedDir, "kube-apiserver"), "#!/bin/sh\n");
    await chmod(join(cachedDir, "kube-apiserver"), 0o755);
    const found = await findControlPlaneBinaries({ PATH: both, KUBETYPED_CACHE_DIR: cache }, OLDEST_RELEASE);
    expect(found).toMatchObject({ apiserver: join(cachedDir, "kube-apiserver"), etcd: join(both, "etcd"), release: OLDEST_RELEASE });
    const noEtcd = await makeTempDir("no-etcd-path");
    await expect(findControlPlaneBinaries({ PATH: noEtcd, KUBETYPED_CACHE_DIR: cache }, OLDEST_RELEASE)).rejects.toThrow("exists but etcd is not on the PATH");
  });

  it("says how to fix it when nothing is found", async () => {
    const empty = await makeTempDir("empty");
    await expect(findControlPlaneBinaries({ PATH: empty, KUBETYPED_CACHE_DIR: empty })).rejects.toThrow(/neither kube-apiserver nor etcd.*local-cluster build --version.*or set KUBEBUILDER_ASSETS/);
  });
});

describe("ensureControlPlaneBinaries", () => {
  it("does not build when told not to", async () => {
    const empty = await makeTempDir("nobuild");
    await expect(ensureControlPlaneBinaries({ build: false, env: { PATH: empty, KUBETYPED_CACHE_DIR: empty } })).rejects.toBeInstanceOf(
      ControlPlaneBinariesNotFoundError,
    );
  });

  it("turns the build script's exit 3 (no apt-get) into advice to set KUBEBUILDER_ASSETS", async () => {
    // A PATH holding only bash: the script finds no apt-get and exits 3 before touching anything.
    const pathDir = await makeTempDir("only-bash");
    const bash = (await import("node:child_process")).execFileSync("sh", ["-c", "command -v bash"]).toString().trim();
    await symlink(bash, join(pathDir, "bash"));
    const cache = await makeTempDir("build-cache");
    const lines: string[] = [];
    const env = { PATH: pathDir, HOME: cache, KUBETYPED_CACHE_DIR: cache };
    const attempt = ensureControlPlaneBinaries({ build: true, release: OLDEST_RELEASE, log: (line) => lines.push(line), env });
    await expect(attempt).rejects.toBeInstanceOf(ControlPlaneBuildError);
    await expect(attempt).rejects.toMatchObject({ exitCode: 3, message: expect.stringContaining("Set KUBEBUILDER_ASSETS") });
    expect(lines.join("\n")).toContain("apt-get not found");

    // The Go recipe of the newest release says in one line that Go is missing, and leaves nothing in the cache.
    const goAttempt = ensureControlPlaneBinaries({ build: true, log: (line) => lines.push(line), env });
    await expect(goAttempt).rejects.toMatchObject({ exitCode: 1, message: expect.stringContaining("go is not on the PATH") });
    await expect(findControlPlaneBinaries(env, NEWEST_RELEASE)).rejects.toBeInstanceOf(ControlPlaneBinariesNotFoundError);
  });
});

describe("findRelease", () => {
  it("takes a minor or a full version, with or without v, and lists the releases it has otherwise", () => {
    for (const spelling of ["1.20", "v1.20", "1.20.2", "v1.20.2"]) expect(findRelease(spelling)).toBe(OLDEST_RELEASE);
    expect(findRelease(NEWEST_RELEASE.minor)).toBe(NEWEST_RELEASE);
    expect(() => findRelease("1.20.3")).toThrow(UnknownControlPlaneVersionError);
    expect(() => findRelease("1.19")).toThrow(`no control plane "1.19" can be built here; choose one of ${NEWEST_RELEASE.minor} (${NEWEST_RELEASE.kubernetes})`);
  });
});

describe("mergeFlags", () => {
  it("replaces a default flag of the same name instead of repeating it", () => {
    expect(mergeFlags(["--a=1", "--b=x,y", "--c"], ["--b=", "--d=4", "--c"])).toEqual(["--a=1", "--c", "--b=", "--d=4", "--c"]);
  });
});

describe("withFeatureGates", () => {
  it("adds one --feature-gates flag, joined with one given among the extra flags (the option wins per gate)", () => {
    expect(withFeatureGates(["--v=2"], { CBORServingAndStorage: true })).toEqual(["--v=2", "--feature-gates=CBORServingAndStorage=true"]);
    expect(withFeatureGates(["--feature-gates=A=true,B=true", "--v=2"], { B: false, C: true })).toEqual(["--v=2", "--feature-gates=A=true,B=false,C=true"]);
    expect(withFeatureGates(["--feature-gates=A=true"], {})).toEqual(["--feature-gates=A=true"]);
  });

  it("refuses a name that is not a feature gate, naming it", () => {
    expect(() => withFeatureGates([], { "cbor=true": true })).toThrow('featureGates: "cbor=true" is not a feature gate name; names are CamelCase, e.g. CBORServingAndStorage');
  });
});

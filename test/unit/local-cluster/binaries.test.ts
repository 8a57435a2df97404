import { chmod, mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ControlPlaneBinariesNotFoundError,
  ControlPlaneBuildError,
  ensureControlPlaneBinaries,
  findControlPlaneBinaries,
} from "../../../local-cluster/binaries.js";
import { mergeFlags } from "../../../local-cluster/cluster.js";
import { KUBE_APISERVER_BUILD } from "../../../local-cluster/paths.js";
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

  it("uses the PATH, then the per-user cache with etcd from the PATH", async () => {
    const both = await fakeBinaries("both", ["kube-apiserver", "etcd"]);
    await expect(findControlPlaneBinaries({ PATH: both })).resolves.toMatchObject({ apiserver: join(both, "kube-apiserver"), source: "PATH" });

    const etcdOnly = await fakeBinaries("etcd-only", ["etcd"]);
    const cache = await makeTempDir("cache");
    const cachedDir = join(cache, "kube-apiserver", KUBE_APISERVER_BUILD);
    await mkdir(cachedDir, { recursive: true });
    await writeFile(join(cachedDir, "kube-apiserver"), "#!/bin/sh\n");
    await chmod(join(cachedDir, "kube-apiserver"), 0o755);
    const found = await findControlPlaneBinaries({ PATH: etcdOnly, KUBETYPED_CACHE_DIR: cache });
    expect(found).toMatchObject({ apiserver: join(cachedDir, "kube-apiserver"), etcd: join(etcdOnly, "etcd") });
    expect(found.source).toContain(cache);

    const xdg = await makeTempDir("xdg");
    await expect(findControlPlaneBinaries({ PATH: etcdOnly, XDG_CACHE_HOME: xdg })).rejects.toThrow(
      `${join(xdg, "kubetyped", "kube-apiserver", KUBE_APISERVER_BUILD, "kube-apiserver")} does not exist`,
    );
  });

  it("says how to fix it when nothing is found", async () => {
    const empty = await makeTempDir("empty");
    await expect(findControlPlaneBinaries({ PATH: empty, KUBETYPED_CACHE_DIR: empty })).rejects.toThrow(/neither kube-apiserver nor etcd.*Set KUBEBUILDER_ASSETS/);
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
    const attempt = ensureControlPlaneBinaries({ build: true, log: (line) => lines.push(line), env: { PATH: pathDir, HOME: cache, KUBETYPED_CACHE_DIR: cache } });
    await expect(attempt).rejects.toBeInstanceOf(ControlPlaneBuildError);
    await expect(attempt).rejects.toMatchObject({ exitCode: 3, message: expect.stringContaining("Set KUBEBUILDER_ASSETS") });
    expect(lines.join("\n")).toContain("apt-get not found");
  });
});

describe("mergeFlags", () => {
  it("replaces a default flag of the same name instead of repeating it", () => {
    expect(mergeFlags(["--a=1", "--b=x,y", "--c"], ["--b=", "--d=4", "--c"])).toEqual(["--a=1", "--c", "--b=", "--d=4", "--c"]);
  });
});

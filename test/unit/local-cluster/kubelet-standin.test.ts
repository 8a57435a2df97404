import { chmod, mkdir, readdir, realpath, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ControlPlaneBinariesNotFoundError } from "../../../local-cluster/binaries.js";
import { canHaveKubeletStandIn, ensureKubeletStandIn } from "../../../local-cluster/kubelet-standin.js";
import { makeTempDir } from "../../support/tmp.js";

describe("the kubelet stand-in's build", () => {
  it("without a build or Go, is said to be unavailable, and asking for it without building names the missing binary", async () => {
    const env = { KUBETYPED_CACHE_DIR: await makeTempDir("standin-cache"), PATH: await makeTempDir("empty-path") };
    expect(await canHaveKubeletStandIn(env)).toBe(false);
    const error = await ensureKubeletStandIn({ build: false, env }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ControlPlaneBinariesNotFoundError);
    expect((error as Error).message).toMatch(/kubelet-standin\/[0-9a-f]{16}\/kubelet-standin does not exist/);
  });

  it("is found in the cache under the hash of its sources, without Go", async () => {
    const env = { KUBETYPED_CACHE_DIR: await makeTempDir("standin-cache"), PATH: await makeTempDir("empty-path") };
    const missing = ((await ensureKubeletStandIn({ build: false, env }).catch((caught: Error) => caught)) as Error).message;
    const binary = /(\/\S+\/kubelet-standin) does not exist/.exec(missing)![1]!;
    await mkdir(join(binary, ".."), { recursive: true });
    await writeFile(binary, "#!/bin/sh\n");
    await chmod(binary, 0o755);
    expect(await canHaveKubeletStandIn(env)).toBe(true);
    expect(await ensureKubeletStandIn({ build: false, env })).toBe(binary);
  });

  it("a build without Go fails with the build script's one-line reason and leaves nothing in the cache", async () => {
    const onlyBash = await makeTempDir("only-bash");
    await symlink(await realpath("/bin/bash"), join(onlyBash, "bash"));
    const cache = await makeTempDir("standin-cache");
    const env = { ...process.env, KUBETYPED_CACHE_DIR: cache, PATH: onlyBash };
    await expect(ensureKubeletStandIn({ build: true, env })).rejects.toThrow(/go is not on the PATH: install Go/);
    expect(await readdir(cache)).toEqual([]);
  });
});

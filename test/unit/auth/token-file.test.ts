import { rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createAuthProvider } from "../../../runtime/auth/index.js";
import { Secret } from "../../../runtime/config/secret.js";
import type { Credentials } from "../../../runtime/config/types.js";
import { makeTempDir } from "../../support/tmp.js";

const connection = (credentials: Credentials) => ({ server: "https://x", tls: { insecureSkipVerify: false }, credentials, namespace: "default", source: "test" });

describe("token file", () => {
  it("notices rotation (including an atomic rename) without a 401", async () => {
    const dir = await makeTempDir("token-");
    const file = path.join(dir, "token");
    await writeFile(file, "first-token\n");
    const auth = createAuthProvider(connection({ type: "tokenFile", path: file }));
    expect(await auth.headers()).toEqual({ authorization: "Bearer first-token" });
    await writeFile(path.join(dir, "next"), "second-token-longer");
    await rename(path.join(dir, "next"), file);
    expect(await auth.headers()).toEqual({ authorization: "Bearer second-token-longer" });
  });

  it("re-reads after a 401 and only asks for a retry when the token changed", async () => {
    const dir = await makeTempDir("token-");
    const file = path.join(dir, "token");
    await writeFile(file, "aaaa");
    const auth = createAuthProvider(connection({ type: "tokenFile", path: file }));
    const rejected = await auth.headers();
    expect(await auth.refreshAfterUnauthorized(rejected)).toBe(false);
    await writeFile(file, "bbbb");
    expect(await auth.refreshAfterUnauthorized(rejected)).toBe(true);
    expect(await auth.headers()).toEqual({ authorization: "Bearer bbbb" });
  });

  it("explains an unreadable or empty file", async () => {
    const dir = await makeTempDir("token-");
    await expect(createAuthProvider(connection({ type: "tokenFile", path: path.join(dir, "nope") })).headers()).rejects.toThrow(/cannot read token file .*nope \(ENOENT\)/);
    await writeFile(path.join(dir, "empty"), "\n");
    await expect(createAuthProvider(connection({ type: "tokenFile", path: path.join(dir, "empty") })).headers()).rejects.toThrow(/is empty/);
  });
});

describe("static credentials", () => {
  it("token and basic auth never refresh", async () => {
    const token = createAuthProvider(connection({ type: "token", token: new Secret("abc") }));
    expect(await token.headers()).toEqual({ authorization: "Bearer abc" });
    expect(await token.refreshAfterUnauthorized()).toBe(false);
    const basic = createAuthProvider(connection({ type: "basic", username: "u", password: new Secret("p") }));
    expect(await basic.headers()).toEqual({ authorization: `Basic ${Buffer.from("u:p").toString("base64")}` });
    expect(await basic.refreshAfterUnauthorized()).toBe(false);
    expect(await createAuthProvider(connection({ type: "none" })).headers()).toEqual({});
  });
});

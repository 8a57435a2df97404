import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { listTree } from "../../generator/write/index.js";
import { connect, type KubeClient } from "../../runtime/index.js";
import { defineResource } from "../../runtime/entries/plumbing.js";
import { describeWithCluster } from "../support/cluster.js";
import { createNamespace } from "../support/cluster-ops.js";
import { asRun, installFreshProject, npx, packageJson, packOnce, readmeQuickStart, root, sh, show, TSCONFIG_BASE, userEnv, type Toolchain } from "../support/fresh-project.js";

/**
 * What a new user does: `npm install` the packed tarball into a fresh npm project (outside this repository),
 * `npx kubetyped generate --out src/k8s` against the local control plane, then compile a small program with
 * their own strict tsconfig (moduleResolution node16, and bundler) and run it; and `require()` the runtime
 * from CommonJS (Node 20.19+ / 22.12+ load ESM without top-level await through require).
 */
const PROGRAM = `import { connect, fields, isNotFound, labels, RUNTIME_VERSION } from "kubetyped/runtime";
import { waitFor, type WaitPredicate } from "kubetyped/runtime/controller";
import { configMaps, namespaces, type ConfigMap } from "./k8s/core/v1.js";
import { jobs } from "./k8s/batch/v1.js";

const kube = await connect();
const version = await kube.nonResource.version();
console.log(\`runtime \${RUNTIME_VERSION} connected to Kubernetes \${version.gitVersion}\`);

const namespace = process.argv[2] ?? "default";
await kube.resource(namespaces).create({ metadata: { name: namespace } }).catch((error: unknown) => {
  if ((error as { code?: number }).code !== 409) throw error;
});
const cms = kube.resource(configMaps);
const settings: ConfigMap = { metadata: { name: "fresh-settings", labels: { app: "fresh", tier: "a" } }, data: { mode: "fast" } };
await cms.create(settings, { namespace });
const patched = await cms.patch("fresh-settings", { data: { mode: "safe" } }, { namespace });
console.log(\`configmap \${patched.metadata?.name} mode=\${patched.data?.["mode"]}\`);
const safe: WaitPredicate<ConfigMap> = (cm) => cm?.data?.["mode"] === "safe";
console.log(\`waited mode=\${(await waitFor(cms, "fresh-settings", safe, { namespace, timeoutMs: 30_000 }))?.data?.["mode"]}\`);

const selected = await cms.list({ namespace, labelSelector: labels({ app: "fresh", tier: ["a", "b"] }), fieldSelector: fields({ "metadata.name": "fresh-settings" }) });
console.log(\`selected \${selected.items.map((cm) => cm.metadata?.name).join(",")}\`);

const jobClient = kube.resource(jobs);
// @ts-expect-error jobs/status has get, patch and update only
jobClient.status.create;
try {
  await jobClient.get("no-such-job", { namespace });
} catch (error) {
  console.log(\`missing job: isNotFound=\${isNotFound(error)}\`);
}
await cms.delete("fresh-settings", { namespace });
await kube.close();
`;

/** The subpath exports of kubetyped/runtime, in package.json's order. */
const RUNTIME_SUBPATHS = ["controller", "streams", "validate", "plumbing"];

const REQUIRE_CJS = `const runtime = require("kubetyped/runtime");
const { labels, connect } = runtime;
const { defineResource } = require("kubetyped/runtime/plumbing");
console.log("labels:", labels({ app: "web", tier: ["b", "a"] }));
const configMaps = defineResource()({ group: "", version: "v1", plural: "configmaps", kind: "ConfigMap", namespaced: true, verbs: ["list"] });
(async () => {
  const kube = await connect();
  const list = await kube.resource(configMaps).list({ namespace: "kube-system" });
  console.log("cjs listed", list.kind);
  await kube.close();
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;


describe("the published package (npm pack)", () => {
  let files: string[];
  beforeAll(async () => {
    files = (await packOnce()).files;
  }, 120_000);

  it("holds the compiled runtime and CLI with declarations and source maps, and no tests, fixtures or benchmarks", () => {
    const runtimeEntries = RUNTIME_SUBPATHS.map((subpath) => `runtime/entries/${subpath}`);
    for (const entry of ["runtime/index", ...runtimeEntries, "runtime/selectors", "runtime/core/version", "generator/index", "generator/cli/main"]) {
      for (const extension of [".js", ".d.ts", ".js.map"]) expect(files, `dist/${entry}${extension}`).toContain(`dist/${entry}${extension}`);
    }
    expect(files).toEqual(expect.arrayContaining(["bin/kubetyped.js", "package.json", "README.md", "CHANGELOG.md", "dist/local-cluster/cli.js"]));
    for (const bundle of ["index", ...RUNTIME_SUBPATHS.map((subpath) => `entries/${subpath}`)]) {
      for (const extension of [".js", ".js.map"]) expect(files).toContain(`dist/runtime-bundle/${bundle}${extension}`);
    }
    // The examples ship as source, for users to read beside the README that links them.
    const unwanted = files.filter((file) => !file.startsWith("examples/") && /(^|\/)(test|tests|fixtures|bench|examples|generated)\/|\.test\.|(^|\/)demo\.|\.ts$(?<!\.d\.ts)/.test(file));
    expect(unwanted).toEqual([]);
    expect(files.filter((file) => file.startsWith("examples/"))).toEqual(expect.arrayContaining(["examples/quickstart.ts", "examples/watch-informer.ts", "examples/operator.ts"]));
    // The kubelet stand-in ships as Go source its build script compiles on first need, as the control plane's scripts do.
    expect(files.filter((file) => !/^(dist|bin|examples)\/|^(package\.json|README\.md|CHANGELOG\.md|LICENSE|local-cluster\/build-[a-z-]+\.sh|local-cluster\/kubelet-standin\/(main\.go|go\.mod|go\.sum))$/.test(file))).toEqual([]);
  });

  it("declares engines, exports for kubetyped, kubetyped/runtime and its subpaths (types first), and the bin", async () => {
    const manifest = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
    expect(manifest.engines).toEqual({ node: ">=20.19.0" });
    expect(manifest.exports["."]).toEqual({ types: "./dist/generator/index.d.ts", default: "./dist/generator/index.js" });
    // The runtime entries load as bundles (one file each, shared chunks): ~100 separate modules start several times slower.
    expect(manifest.exports["./runtime"]).toEqual({ types: "./dist/runtime/index.d.ts", default: "./dist/runtime-bundle/index.js" });
    expect(Object.keys(manifest.exports["./runtime"])[0]).toBe("types");
    // The validator interpreter is its own entry, so a program that never validates never loads it.
    for (const subpath of RUNTIME_SUBPATHS) {
      expect(manifest.exports[`./runtime/${subpath}`]).toEqual({ types: `./dist/runtime/entries/${subpath}.d.ts`, default: `./dist/runtime-bundle/entries/${subpath}.js` });
    }
    expect(Object.keys(manifest.exports).filter((key) => key.startsWith("./runtime/"))).toEqual(RUNTIME_SUBPATHS.map((subpath) => `./runtime/${subpath}`));
    expect(manifest.bin).toEqual({ kubetyped: "./bin/kubetyped.js" });
    expect(manifest.type).toBe("module");
  });
});

describeWithCluster("a fresh npm project using the packed tarball", (cluster) => {
  let project: string;
  let home: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    // Outside the repository, so nothing resolves from its node_modules.
    const base = await mkdtemp(join(tmpdir(), "kubetyped-fresh-"));
    project = join(base, "my-app");
    home = join(base, "home");
    await mkdir(project, { recursive: true });
    await mkdir(home, { recursive: true });
    env = userEnv(home, { KUBECONFIG: cluster.kubeconfigPath });

    // One install: the tarball (its dependencies as its package.json pins them) and the user's own toolchain.
    await installFreshProject(project, env);
  }, 360_000);

  afterAll(async () => {
    if (project) await rm(join(project, ".."), { recursive: true, force: true });
  });

  it("installs kubetyped with its bin", async () => {
    const installed = JSON.parse(await readFile(join(project, "node_modules", "kubetyped", "package.json"), "utf8"));
    expect(installed.version).toBe(packageJson.version);
    const help = await sh(npx, ["kubetyped", "--help"], { cwd: project, env });
    expect(help.code, show(help)).toBe(0);
    expect(help.stdout).toMatch(/^Usage: kubetyped <command> \[flags\]$/m);
    expect(help.stdout).toMatch(/^ {2}generate {8}/m);
    const version = await sh(npx, ["kubetyped", "--version"], { cwd: project, env });
    expect(version.stdout).toBe(`kubetyped ${packageJson.version}\n`);
  });

  it("prints the fix when no cluster is configured, and a suggestion for a mistyped flag", async () => {
    const bare = userEnv(home);
    const none = await sh(npx, ["kubetyped", "generate", "--out", "src/nowhere"], { cwd: project, env: bare });
    expect(none.code, show(none)).toBe(1);
    expect(none.stderr).toContain("no cluster configured: set KUBECONFIG, use --context, or start a local one with `npx kubetyped local-cluster up`");
    expect(existsSync(join(project, "src", "nowhere"))).toBe(false);
    const typo = await sh(npx, ["kubetyped", "generate", "--ot", "src/k8s"], { cwd: project, env });
    expect(typo.code, show(typo)).toBe(2);
    expect(typo.stderr).toContain("unknown flag --ot for `kubetyped generate`; did you mean --out?");
  });

  it("generates clients with npx kubetyped generate --out src/k8s, importing only kubetyped/runtime's subpath exports", async () => {
    const generate = await sh(npx, ["kubetyped", "generate", "--out", "src/k8s"], { cwd: project, env, timeout: 240_000 });
    expect(generate.code, show(generate)).toBe(0);
    expect(generate.stdout).toMatch(/^wrote src\/k8s: \d+ group\/versions, \d+ resources/m);
    const manifest = JSON.parse(await readFile(join(project, "src", "k8s", "manifest.json"), "utf8"));
    expect(manifest.runtimeVersion).toBe(`^${packageJson.version}`);
    expect(manifest.clusterVersion).toBe(cluster.version);
    const files = (await listTree(join(project, "src", "k8s"))).filter((file) => file.endsWith(".ts"));
    expect(files).toEqual(expect.arrayContaining(["core/v1.ts", "batch/v1.ts", "meta/v1.ts", "index.ts"]));
    const packages = new Set<string>();
    for (const file of files) {
      const text = await readFile(join(project, "src", "k8s", file), "utf8");
      for (const [, specifier] of text.matchAll(/^(?:import|export)[^"]*from "([^"]+)"/gm)) if (!specifier!.startsWith(".")) packages.add(specifier!);
    }
    // defineResource from /plumbing (and validateWithModule from /validate where validators are generated).
    expect([...packages]).toContain("kubetyped/runtime/plumbing");
    expect([...packages].filter((specifier) => !["kubetyped/runtime/plumbing", "kubetyped/runtime/validate"].includes(specifier))).toEqual([]);
    expect(await readFile(join(project, "src", "k8s", "batch", "v1.ts"), "utf8")).toMatch(/runtime: "\d+(\.\d+)?"/);
  }, 300_000);

  it("compiles the user's program under strict with moduleResolution node16 and bundler, and runs it", async () => {
    await writeFile(join(project, "src", "main.ts"), PROGRAM);
    await writeFile(
      join(project, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { ...TSCONFIG_BASE, module: "node16", moduleResolution: "node16", outDir: "dist", rootDir: "src" }, include: ["src"] }, null, 2),
    );
    await writeFile(
      join(project, "tsconfig.bundler.json"),
      // skipLibCheck as most bundler setups have it: the node16 config already checks our declarations.
      JSON.stringify({ compilerOptions: { ...TSCONFIG_BASE, module: "preserve", moduleResolution: "bundler", noEmit: true, skipLibCheck: true }, include: ["src"] }, null, 2),
    );
    const node16 = await sh(npx, ["tsc", "-p", "tsconfig.json"], { cwd: project, env, timeout: 240_000 });
    expect(node16.code, show(node16)).toBe(0);
    const bundler = await sh(npx, ["tsc", "-p", "tsconfig.bundler.json"], { cwd: project, env, timeout: 240_000 });
    expect(bundler.code, show(bundler)).toBe(0);

    const namespace = `fresh-${Date.now().toString(36)}`;
    const program = await sh(process.execPath, [join(project, "dist", "main.js"), namespace], { cwd: project, env });
    expect(program.code, show(program)).toBe(0);
    expect(program.stdout.split("\n")).toEqual([
      `runtime ${packageJson.version} connected to Kubernetes ${cluster.version}`,
      "configmap fresh-settings mode=safe",
      "waited mode=safe",
      "selected fresh-settings",
      "missing job: isNotFound=true",
      "",
    ]);
  }, 300_000);

  it("the compile fails when the program breaks a verb limit (the published types carry them)", async () => {
    await writeFile(join(project, "src", "main.ts"), PROGRAM.replace("// @ts-expect-error jobs/status has get, patch and update only\n", ""));
    const broken = await sh(npx, ["tsc", "-p", "tsconfig.bundler.json"], { cwd: project, env, timeout: 240_000 });
    expect(broken.code).not.toBe(0);
    expect(broken.stdout).toMatch(/src\/main\.ts\(\d+,\d+\): error TS2339: Property 'create' does not exist/);
    await writeFile(join(project, "src", "main.ts"), PROGRAM);
  }, 300_000);

  it("refuses a module generated for another runtime line, naming it and the fix", async () => {
    const compiled = await readFile(join(project, "dist", "k8s", "batch", "v1.js"), "utf8");
    expect(compiled).toMatch(/runtime: "\d+(\.\d+)?"/);
    await writeFile(join(project, "dist", "k8s", "batch", "v1-stale.js"), compiled.replace(/runtime: "[^"]*"/g, 'runtime: "9"'));
    const stale = await sh(process.execPath, ["--input-type=module", "-e", 'await import("./dist/k8s/batch/v1-stale.js");'], { cwd: project, env });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("RuntimeVersionError: generated module batch/v1 (resource ");
    expect(stale.stderr).toContain(
      `was generated for kubetyped/runtime 9.x.x, but kubetyped/runtime ${packageJson.version} is installed`,
    );
    expect(stale.stderr).toContain("regenerate it with this version (npx kubetyped generate --out <folder>)");
  });

  it("require()s kubetyped/runtime from CommonJS (no top-level await in its graph)", async () => {
    await writeFile(join(project, "use-runtime.cjs"), REQUIRE_CJS);
    const cjs = await sh(process.execPath, ["use-runtime.cjs"], { cwd: project, env });
    expect(cjs.code, show(cjs)).toBe(0);
    expect(cjs.stdout).toBe("labels: app=web,tier in (a,b)\ncjs listed ConfigMapList\n");
  });

  it("require()s the programmatic API (kubetyped) from CommonJS too", async () => {
    const file = join(project, "use-generator.cjs");
    await writeFile(file, `const { GENERATOR_VERSION, generate } = require("kubetyped");\nconsole.log(GENERATOR_VERSION, typeof generate);\n`);
    const cjs = await sh(process.execPath, [relative(project, file)], { cwd: project, env });
    expect(cjs.code, show(cjs)).toBe(0);
    expect(cjs.stdout).toBe(`${packageJson.version} function\n`);
  });
});

const deployments = defineResource<{ metadata?: { name?: string; labels?: Record<string, string> }; spec?: object }, { scale: { spec?: { replicas?: number } } }>()({
  group: "apps",
  version: "v1",
  plural: "deployments",
  kind: "Deployment",
  namespaced: true,
  verbs: ["create"],
  subresources: { scale: { verbs: ["get"], kind: "Scale", group: "autoscaling", version: "v1" } },
});
const configMaps = defineResource<{ metadata?: { name?: string }; data?: Record<string, string> }>()({
  group: "",
  version: "v1",
  plural: "configmaps",
  kind: "ConfigMap",
  namespaced: true,
  verbs: ["get"],
});

/** The Bun and Deno versions README's Requirements name, as npm installs them (the packages ship the binaries). */
const BUN = "1.4.5";
const DENO = "2.9.6";

/** A watch that sees its own ConfigMap added, changed and deleted, then stops by its signal. */
const WATCH_PROGRAM = `import { connect, labels } from "kubetyped/runtime";
import { configMaps } from "./k8s/core/v1.js";

const kube = await connect();
const cms = kube.resource(configMaps);
const name = \`watched-\${process.argv[2]}\`;
const stop = new AbortController();
const seen: string[] = [];
// From the list's resourceVersion: every change made after the list is seen, however late the watch connects.
const { resourceVersion } = (await cms.list({ labelSelector: labels({ watched: name }) })).metadata;
const watching = (async () => {
  for await (const event of cms.watch({ labelSelector: labels({ watched: name }), resourceVersion, signal: stop.signal })) {
    // A resuming watch throws what it cannot resume from; it never yields an ERROR event.
    seen.push(\`\${event.type} \${event.object.metadata.name}\`);
    if (event.type === "DELETED") stop.abort();
  }
})();
await cms.apply({ metadata: { name, labels: { watched: name } }, data: { step: "1" } }, { fieldManager: "watch-test" });
await cms.patch(name, { data: { step: "2" } });
await cms.delete(name);
await watching;
console.log(seen.join("\\n"));
await kube.close();
`;

/**
 * README's Quick start, every line as written, in an empty folder: `npm init -y`, the installs (the packed
 * tarball for `kubetyped`; the day's TypeScript, or the oldest the README names with the @types/node it says
 * that one needs), `npx kubetyped generate`, its src/main.ts and tsconfig.json, then `npx tsc && node dist/main.js`
 * against the local control plane, in a namespace of its own (the kubeconfig context's) holding the `web`
 * Deployment the program scales.
 */
describeWithCluster("README's Quick start, line by line in an empty folder", (cluster) => {
  describe.each<{ name: string; toolchain: Toolchain; commonJs: boolean; alsoBunAndDeno: boolean }>([
    { name: "the TypeScript npm installs today", toolchain: {}, commonJs: true, alsoBunAndDeno: true },
    { name: "TypeScript 5.4 and @types/node 20", toolchain: { typescript: "5.4.5", typesNode: "20" }, commonJs: false, alsoBunAndDeno: false },
  ])("with $name", ({ toolchain, commonJs, alsoBunAndDeno }) => {
    let project: string;
    let env: NodeJS.ProcessEnv;
    let kube: KubeClient;
    let namespace: string;
    const quickStart = readmeQuickStart();
    const build = "npx tsc && node dist/main.js";

    beforeAll(async () => {
      const base = await mkdtemp(join(tmpdir(), "kubetyped-quickstart-"));
      project = join(base, "my-app");
      await mkdir(project, { recursive: true });
      await mkdir(join(base, "home"), { recursive: true });
      namespace = `quickstart-${Date.now().toString(36)}`;
      const kubeconfig = parse(await readFile(cluster.kubeconfigPath, "utf8")) as { "current-context": string; contexts: Array<{ name: string; context: { namespace?: string } }> };
      kubeconfig.contexts.find((context) => context.name === kubeconfig["current-context"])!.context.namespace = namespace;
      await writeFile(join(base, "kubeconfig"), stringify(kubeconfig));
      env = userEnv(join(base, "home"), { KUBECONFIG: join(base, "kubeconfig") });
      kube = await connect({ kubeconfig: cluster.kubeconfigPath, namespace });
      await createNamespace(kube, namespace);
      const labels = { app: "web", tier: "a" };
      const template = { metadata: { labels }, spec: { containers: [{ name: "web", image: "nginx" }] } };
      await kube.resource(deployments).create({ metadata: { name: "web", labels }, spec: { replicas: 1, selector: { matchLabels: labels }, template } });
    }, 120_000);

    afterAll(async () => {
      await kube?.close();
      if (project) await rm(join(project, ".."), { recursive: true, force: true });
    });

    it("compiles and runs as written", async () => {
      expect(quickStart.commands.at(-1)).toBe(build);
      for (const command of quickStart.commands.slice(0, -1)) {
        const outcome = await sh("sh", ["-c", await asRun(command, toolchain)], { cwd: project, env, timeout: 300_000 });
        expect(outcome.code, `${command}\n${show(outcome)}`).toBe(0);
      }
      expect(JSON.parse(await readFile(join(project, "package.json"), "utf8")).type).toBe("module");
      const tsc = await sh(npx, ["tsc", "--version"], { cwd: project, env });
      if (toolchain.typescript !== undefined) expect(tsc.stdout.trim()).toBe(`Version ${toolchain.typescript}`);
      console.log(`quick start compiled with TypeScript ${tsc.stdout.trim()}`);
      await writeFile(join(project, "src", "main.ts"), quickStart.files["src/main.ts"]!);
      await writeFile(join(project, "tsconfig.json"), quickStart.files["tsconfig.json"]!);

      const run = await sh("sh", ["-c", build], { cwd: project, env, timeout: 300_000 });
      expect(run.code, show(run)).toBe(0);
      expect(run.stdout).toBe("web 0\n");
      expect((await kube.resource(configMaps).get("app")).data).toEqual({ mode: "fast" });
      expect((await kube.resource(deployments).scale.get("web")).spec?.replicas).toBe(3);
    }, 900_000);

    it.runIf(alsoBunAndDeno)("runs the compiled Quick start and a watch under Bun and Deno, installed from npm", async () => {
      const install = await sh("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", "-D", `bun@${BUN}`, `deno@${DENO}`], { cwd: project, env, timeout: 300_000 });
      expect(install.code, show(install)).toBe(0);
      await writeFile(join(project, "src", "watch.ts"), WATCH_PROGRAM);
      const tsc = await sh(npx, ["tsc"], { cwd: project, env, timeout: 300_000 });
      expect(tsc.code, show(tsc)).toBe(0);
      const bin = (name: string) => join(project, "node_modules", ".bin", name);
      for (const [runtime, command] of [
        [`bun ${BUN}`, [bin("bun")]],
        [`deno ${DENO}`, [bin("deno"), "run", "--allow-all"]],
      ] as const) {
        const version = await sh(command[0], ["--version"], { cwd: project, env });
        expect(version.stdout, runtime).toContain(runtime.split(" ")[1]!);
        const quick = await sh(command[0], [...command.slice(1), "dist/main.js"], { cwd: project, env, timeout: 120_000 });
        expect(quick.code, `${runtime}\n${show(quick)}`).toBe(0);
        expect(quick.stdout, runtime).toBe("web 0\n");
        const watch = await sh(command[0], [...command.slice(1), "dist/watch.js", runtime.split(" ")[0]!], { cwd: project, env, timeout: 120_000 });
        expect(watch.code, `${runtime}\n${show(watch)}`).toBe(0);
        const name = `watched-${runtime.split(" ")[0]}`;
        expect(watch.stdout, runtime).toBe(`ADDED ${name}\nMODIFIED ${name}\nDELETED ${name}\n`);
      }
      // The project holds the Quick start alone again.
      await rm(join(project, "src", "watch.ts"));
    }, 900_000);

    it.runIf(commonJs)("in the same project made CommonJS, compiles and runs the CommonJS variant", async () => {
      expect(await sh("npm", ["pkg", "set", "type=commonjs"], { cwd: project, env })).toMatchObject({ code: 0 });
      await rm(join(project, "dist"), { recursive: true, force: true });
      await writeFile(join(project, "src", "main.ts"), quickStart.files["src/main.ts, CommonJS"]!);
      await writeFile(join(project, "tsconfig.json"), quickStart.files["tsconfig.json, CommonJS"]!);
      const run = await sh("sh", ["-c", build], { cwd: project, env, timeout: 300_000 });
      expect(run.code, show(run)).toBe(0);
      expect(await readFile(join(project, "dist", "main.js"), "utf8")).toContain('require("kubetyped/runtime")');
      expect(run.stdout).toBe("[ 'app' ]\n");
    }, 600_000);
  });
});

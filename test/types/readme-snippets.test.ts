// Every TypeScript block of the README compiles, under the newest TypeScript and the oldest the README names, with
// modules generated from the recorded 1.20.2 cluster: a snippet a user copies must not fail on a renamed option.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, expect, it } from "vitest";
import { emitModules } from "../../generator/emit/index.js";
import { buildModel } from "../../generator/model/index.js";
import { loadSources } from "../../generator/sources/index.js";
import { writeFiles } from "../corpus/support/typecheck.js";
import { describeWithSharedData } from "../support/shared-data.js";
import { makeTempDir } from "../support/tmp.js";
import type { Reported } from "./support/compiler.js";
import { COMPILERS, compileWith, compilerOf, writeUserTsconfig, type Compiler } from "./support/tsc.js";

const readmePath = fileURLToPath(new URL("../../README.md", import.meta.url));

/** The newest compiler the suite has (7.x) and the oldest the README names (5.4.5, `typescript-oldest`). */
const SNIPPET_COMPILERS: readonly Compiler[] = [COMPILERS.at(-1)!, compilerOf("typescript-oldest")];

/** One ```ts block: where it starts in README.md and its text. */
interface Snippet {
  line: number;
  text: string;
}

/**
 * The README's ```ts blocks, but the first under "Mistakes the compiler catches": every line of that one is an error
 * on purpose, and test/types/compile-corpus.test.ts holds each quoted message to what the compilers print.
 */
function readmeSnippets(readme: string): Snippet[] {
  const lines = readme.split("\n");
  const snippets: Snippet[] = [];
  let firstOfMistakes = false;
  for (let index = 0; index < lines.length; index++) {
    if (lines[index]!.startsWith("## ")) firstOfMistakes = lines[index] === "## Mistakes the compiler catches";
    if (lines[index] !== "```ts") continue;
    const end = lines.indexOf("```", index + 1);
    if (!firstOfMistakes) snippets.push({ line: index + 2, text: lines.slice(index + 1, end).join("\n") });
    firstOfMistakes = false;
    index = end;
  }
  return snippets;
}

/**
 * What the README's snippets take as given, by the name they use: each assumption is written once here, with the
 * names it needs in turn. A snippet gets only the assumptions it uses and does not declare or import itself.
 * The Widget operator's names stand on cert-manager's Certificate (a CRD of the recording with status conditions).
 */
const ASSUMED: Record<string, { needs?: string[]; lines: string[] }> = {
  kube: { lines: ['import type { KubeClient } from "kubetyped/runtime";', "declare const kube: KubeClient;"] },
  connect: { lines: ['import { connect } from "kubetyped/runtime";'] },
  cert: { lines: ['import * as cert from "./k8s/cert-manager.io/v1.js";'] },
  fields: { lines: ['import { fields } from "kubetyped/runtime";'] },
  gadgets: {
    lines: [
      'import { defineResource } from "kubetyped/runtime/plumbing";',
      "interface Gadget { metadata?: { name?: string }; spec?: { color?: string; size?: string; shape?: string } }",
      'const gadgets = defineResource<Gadget, {}, "spec.color" | "spec.size">()({ group: "demo.kubetyped.dev", version: "v1", plural: "gadgets", kind: "Gadget", namespaced: true, verbs: ["list", "watch"] });',
    ],
  },
  object: { lines: ['import type { Certificate as CertificateObject } from "./k8s/cert-manager.io/v1.js";', "declare const object: CertificateObject;"] },
  configMaps: { lines: ['import { configMaps } from "./k8s/core/v1.js";'] },
  pods: { lines: ['import { pods } from "./k8s/core/v1.js";'] },
  nodes: { lines: ['import { nodes } from "./k8s/core/v1.js";'] },
  tokenReviews: { lines: ['import { tokenReviews } from "./k8s/authentication.k8s.io/v1.js";'] },
  deployment: { lines: ['import type { Deployment } from "./k8s/apps/v1.js";', "declare const deployment: Deployment;"] },
  identity: { lines: ["declare const identity: string;"] },
  stop: { lines: ["declare const stop: AbortController;"] },
  widgetClient: { needs: ["kube"], lines: ['import { certificates } from "./k8s/cert-manager.io/v1.js";', "const widgetClient = kube.resource(certificates);"] },
  widget: { lines: ['import type { Certificate } from "./k8s/cert-manager.io/v1.js";', "declare const widget: Certificate;"] },
  FINALIZER: { lines: ['const FINALIZER = "demo.kubetyped.dev/cleanup";'] },
  ensure: { lines: ['import type { Certificate as Widget } from "./k8s/cert-manager.io/v1.js";', "declare function ensure(widget: Widget): Promise<void>;"] },
  cleanup: { lines: ['import type { Certificate as Widget } from "./k8s/cert-manager.io/v1.js";', "declare function cleanup(widget: Widget): Promise<void>;"] },
  condition: { lines: ["declare const condition: { message: string };"] },
};

/** Names a snippet declares or imports itself. */
function ownNames(text: string): Set<string> {
  const declared = [...text.matchAll(/\b(?:const|let|function|class)\s+(\w+)/g)].map((match) => match[1]!);
  const imported = [...text.matchAll(/import(?: type)?\s*\{([^}]*)\}/g)].flatMap((match) =>
    match[1]!.split(",").map((name) => name.trim().replace(/^type\s+/, "").split(/\s+as\s+/).at(-1)!),
  );
  return new Set([...declared, ...imported].filter(Boolean));
}

/** The assumptions `text` uses, with what they need, in ASSUMED's order; each import line once. */
function preludeFor(text: string): string[] {
  const own = ownNames(text);
  const wanted = new Set<string>();
  const want = (name: string): void => {
    if (own.has(name) || wanted.has(name)) return;
    for (const need of ASSUMED[name]!.needs ?? []) want(need);
    wanted.add(name);
  };
  for (const name of Object.keys(ASSUMED)) if (new RegExp(`\\b${name}\\b`).test(text)) want(name);
  const lines = Object.keys(ASSUMED).filter((name) => wanted.has(name)).flatMap((name) => ASSUMED[name]!.lines);
  return [...new Set(lines)];
}

/** One file per snippet: the prelude, then the snippet as written. Lines marked `// error` or `// compile error` must fail, alone. */
interface SnippetFile {
  name: string;
  snippet: Snippet;
  preludeLines: number;
  expectedErrorLines: number[];
}

async function writeSnippet(dir: string, snippet: Snippet): Promise<SnippetFile> {
  const prelude = preludeFor(snippet.text);
  const name = `readme-${snippet.line}.ts`;
  await writeFile(path.join(dir, name), [...prelude, "export {};", snippet.text, ""].join("\n"));
  const preludeLines = prelude.length + 1;
  const expectedErrorLines = snippet.text.split("\n").flatMap((line, index) => (/\/\/ (compile )?error\b/.test(line) ? [preludeLines + index + 1] : []));
  return { name, snippet, preludeLines, expectedErrorLines };
}

/** `README.md:<line>: <message>` for each diagnostic, pointing at the README line it came from. */
function inReadme(file: SnippetFile, reported: readonly Reported[]): string[] {
  return reported.map((diagnostic) => {
    const readmeLine = diagnostic.line > file.preludeLines ? `${file.snippet.line + diagnostic.line - file.preludeLines - 1}` : `prelude line ${diagnostic.line}`;
    return `README.md:${readmeLine}: ${diagnostic.full}`;
  });
}

describeWithSharedData("live/v1.20.2-with-crds", "the README's TypeScript snippets, with modules generated from the 1.20.2 recording", (live) => {
  let files: SnippetFile[];
  const reports = new Map<string, Map<string, Reported[]>>();

  beforeAll(async () => {
    const dir = await makeTempDir("readme-snippets-");
    await writeFiles(path.join(dir, "k8s"), emitModules(buildModel(await loadSources({ from: live }))));
    await writeFile(path.join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
    files = await Promise.all(readmeSnippets(await readFile(readmePath, "utf8")).map((snippet) => writeSnippet(dir, snippet)));
    await writeUserTsconfig(dir, files.map((file) => file.name));
    for (const compiler of SNIPPET_COMPILERS) reports.set(compiler.label, await compileWith(compiler, dir));
  }, 300_000);

  it("finds the README's snippets (the Quick start, watch and informer, selectors, a controller, ...)", () => {
    expect(files.length).toBeGreaterThanOrEqual(9);
    expect(files.map((file) => file.snippet.text).join("\n")).toMatch(/createInformer[\s\S]*deletecollection/);
  });

  for (const compiler of SNIPPET_COMPILERS) {
    it(`${compiler.label}: every snippet compiles, but the lines it marks as errors`, () => {
      const reported = reports.get(compiler.label)!;
      const unexpected = files.flatMap((file) => inReadme(file, (reported.get(file.name) ?? []).filter((d) => !file.expectedErrorLines.includes(d.line))));
      expect(unexpected).toEqual([]);
      const elsewhere = [...reported.keys()].filter((name) => !files.some((file) => file.name === name));
      expect(elsewhere.map((name) => `${name}: ${reported.get(name)![0]?.full}`)).toEqual([]);
    });

    it(`${compiler.label}: each line the README marks "// error" is one`, () => {
      const reported = reports.get(compiler.label)!;
      const marked = files.flatMap((file) => file.expectedErrorLines.map((line) => ({ file, line })));
      expect(marked.length).toBeGreaterThanOrEqual(1);
      const silent = marked.filter(({ file, line }) => !(reported.get(file.name) ?? []).some((d) => d.line === line));
      expect(silent.map(({ file, line }) => `README.md:${file.snippet.line + line - file.preludeLines - 1}`)).toEqual([]);
    });
  }
});

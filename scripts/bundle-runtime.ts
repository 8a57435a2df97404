// `npm run build`'s last step: each runtime entry of package.json `exports` bundled into one file (shared code in
// chunks), because Node loads ~100 small ES modules several times slower than the same code in one file, and a
// user program pays that at every start. The per-file build stays for the generator and the declarations.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

export const BUNDLE_DIR = "dist/runtime-bundle";

interface Entry {
  types: string;
  default: string;
}

/** The bundles package.json asks for: `./dist/runtime-bundle/X.js` from the per-file `./dist/runtime/X.js` its types sit beside. */
export function runtimeEntries(exports: Record<string, unknown>): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const [subpath, target] of Object.entries(exports)) {
    const entry = target as Partial<Entry>;
    if (typeof entry.default !== "string" || !entry.default.startsWith(`./${BUNDLE_DIR}/`)) continue;
    if (typeof entry.types !== "string" || !entry.types.startsWith("./dist/runtime/")) throw new Error(`package.json exports["${subpath}"]: a bundled entry needs its types under ./dist/runtime/`);
    const name = entry.default.slice(`./${BUNDLE_DIR}/`.length).replace(/\.js$/, "");
    const source = entry.types.replace(/\.d\.ts$/, ".js");
    if (source.slice("./dist/runtime/".length) !== `${name}.js`) throw new Error(`package.json exports["${subpath}"]: ${entry.default} does not match its types ${entry.types}`);
    entries[name] = source;
  }
  return entries;
}

export async function bundleRuntime(root: string): Promise<string[]> {
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { exports: Record<string, unknown>; dependencies: Record<string, string> };
  const result = await build({
    absWorkingDir: root,
    entryPoints: runtimeEntries(manifest.exports),
    bundle: true,
    // One copy of every class across entries (an error thrown by one is `instanceof` in another).
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outdir: BUNDLE_DIR,
    // Dependencies stay imports: the user's install dedupes them, and their own files load as they always did.
    external: Object.keys(manifest.dependencies),
    // Maps chain through tsc's to the TypeScript sources (inlined), so stack traces name runtime/*.ts lines.
    sourcemap: "linked",
    logLevel: "warning",
    metafile: true,
  });
  return Object.keys(result.metafile.outputs).filter((file) => file.endsWith(".js")).map((file) => relative(root, join(root, file)));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const written = await bundleRuntime(process.cwd());
  console.log(`bundled the runtime entries: ${written.join(", ")}`);
}

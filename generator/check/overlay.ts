// The user's project as TypeScript sees it, with the generated folder's files taken from another folder: nothing on disk moves.
import path from "node:path";
import type { ts } from "ts-morph";

type TypeScript = typeof ts;

/**
 * What TypeScript reads through: every path inside `folder` is answered from `replacement` instead, so
 * imports of the generated modules resolve exactly as before (module resolution, `package.json` lookups and
 * `node_modules` all stay where they are, for `node16` and `bundler` alike) while the files are the new ones.
 * A file the replacement lacks does not exist.
 */
export interface FolderOverlay {
  /** Absolute path of the folder being replaced. */
  readonly folder: string;
  /** Where a path is read from: inside `folder`, the same place in the replacement; elsewhere, itself. */
  map(file: string): string;
  fileExists(file: string): boolean;
  readFile(file: string, encoding?: string): string | undefined;
  directoryExists(dir: string): boolean;
  getDirectories(dir: string): string[];
  realpath(file: string): string;
  /** `ts.sys.readDirectory`, without the folder's files that the replacement lacks. */
  readDirectory(root: string, extensions?: readonly string[], exclude?: readonly string[], include?: readonly string[], depth?: number): string[];
}

/** No overlay: `folder` is read as it is (the baseline program). */
export function identityOverlay(typescript: TypeScript, folder: string, memory?: ReadonlyMap<string, string>): FolderOverlay {
  return createOverlay(typescript, folder, undefined, memory);
}

/** `memory`: files that exist only there (the `lib` files of a TypeScript without them on disk), by absolute path. */
export function createOverlay(typescript: TypeScript, folder: string, replacement: string | undefined, memory: ReadonlyMap<string, string> = new Map()): FolderOverlay {
  const sys = withFilesInMemory(typescript.sys, memory);
  const root = path.resolve(folder);
  const inside = (file: string) => {
    const resolved = path.resolve(file);
    return resolved === root || resolved.startsWith(`${root}${path.sep}`);
  };
  const map = (file: string) => (replacement === undefined || !inside(file) ? file : path.join(replacement, path.relative(root, path.resolve(file))));
  return {
    folder: root,
    map,
    fileExists: (file) => sys.fileExists(map(file)),
    readFile: (file, encoding) => sys.readFile(map(file), encoding),
    directoryExists: (dir) => sys.directoryExists(map(dir)),
    getDirectories: (dir) => sys.getDirectories(map(dir)),
    // Inside the overlay a path is its own real path: the replacement's location must never leak out.
    realpath: (file) => (replacement !== undefined && inside(file) ? path.resolve(file) : (sys.realpath?.(file) ?? file)),
    readDirectory(start, extensions, exclude, include, depth) {
      const listed = sys.readDirectory(start, extensions, exclude, include, depth);
      if (replacement === undefined) return listed;
      // The folder's files that the replacement has too: the project's patterns list what they listed before,
      // a module the replacement lacks is gone, and one only it has is read when something imports it.
      return listed.filter((file) => !inside(file) || sys.fileExists(map(file)));
    },
  };
}

/** `sys` with `files` (absolute path → text) readable as if on disk. */
function withFilesInMemory(sys: ts.System, files: ReadonlyMap<string, string>): ts.System {
  if (files.size === 0) return sys;
  const directories = new Set([...files.keys()].map((file) => path.dirname(file)));
  return {
    ...sys,
    fileExists: (file) => files.has(path.resolve(file)) || sys.fileExists(file),
    readFile: (file, encoding) => files.get(path.resolve(file)) ?? sys.readFile(file, encoding),
    directoryExists: (dir) => directories.has(path.resolve(dir)) || sys.directoryExists(dir),
  };
}

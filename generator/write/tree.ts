import { cp, link, mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { WriteError } from "./errors.js";

/** A file of the output tree, path relative to the output folder with `/` separators. */
export interface OutputFile {
  path: string;
  content: string;
}

/** The file operations the swap uses; replaceable in tests to simulate a crash at any step. */
export interface TreeIo {
  writeFile(path: string, content: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}

const defaultIo: TreeIo = {
  writeFile: (path, content) => writeFile(path, content),
  rename: (from, to) => rename(from, to),
};

/** A relative path with `/` separators and no `.`/`..`/empty segments: never escapes the output folder. */
export function assertSafeRelativePath(path: string): void {
  const segments = path.split("/");
  if (path.startsWith("/") || segments.some((s) => s === "" || s === "." || s === ".." || s.includes("\\"))) {
    throw new WriteError("output file path must be relative, with no `.`, `..` or empty segments (a kubetyped bug)", { path });
  }
}

/** Every file under `root`, relative with `/` separators, sorted; empty when `root` does not exist. */
export async function listTree(root: string): Promise<string[]> {
  const walk = async (dir: string): Promise<string[]> => {
    const entries = await readdir(dir, { withFileTypes: true });
    const nested = await Promise.all(
      entries.map((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [relative(root, join(dir, entry.name)).split(sep).join("/")])),
    );
    return nested.flat();
  };
  try {
    return (await walk(root)).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return [];
    if (code === "ENOTDIR") throw new WriteError("exists and is not a folder; choose another --out", { path: root, cause: error });
    throw error;
  }
}


/**
 * A new tree built beside `out` in `<out>.tmp-<pid>`, file by file as the caller has them, then swapped in
 * with `keep` (files of the old tree carried over as they are, timestamps included: those the generator does
 * not own, and its own files that did not change), atomically as far as the file system allows: the old tree
 * is renamed aside and the new one renamed in. Any failure leaves the old tree in place.
 */
export class StagedTree {
  private constructor(
    private readonly out: string,
    private readonly staging: string,
    private readonly io: TreeIo,
  ) {}

  static async open(out: string, io: TreeIo = defaultIo): Promise<StagedTree> {
    const existing = await stat(out).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    if (existing !== undefined && !existing.isDirectory()) throw new WriteError("exists and is not a folder; choose another --out", { path: out });
    const staging = stagingFolderFor(out);
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    return new StagedTree(out, staging, io);
  }

  async write(file: OutputFile): Promise<void> {
    assertSafeRelativePath(file.path);
    const target = join(this.staging, ...file.path.split("/"));
    try {
      await mkdir(dirname(target), { recursive: true });
      await this.io.writeFile(target, file.content);
    } catch (error) {
      await this.discard();
      throw wrap(error, this.staging, "could not write the new tree (the previous output is untouched)");
    }
  }

  async commit(keep: readonly string[]): Promise<void> {
    try {
      for (const path of keep) await carryOver(join(this.out, ...path.split("/")), join(this.staging, ...path.split("/")));
    } catch (error) {
      await this.discard();
      throw wrap(error, this.staging, "could not write the new tree (the previous output is untouched)");
    }
    await swapFolderInto(this.staging, this.out, this.io);
  }

  async discard(): Promise<void> {
    await rm(this.staging, { recursive: true, force: true });
  }
}

/** Errors of `link` that mean the file system has no hard links here; any other is a real failure. */
const NO_HARD_LINKS = new Set(["EXDEV", "EPERM", "ENOTSUP", "EOPNOTSUPP", "EMLINK", "ENOSYS"]);

/**
 * Puts a file of the old tree into the new one as it is, timestamps included: a hard link where the file
 * system has them (no bytes copied: 1,000 unchanged modules in a fifth of a copy's time; the old tree keeps
 * its own link until the swap), else a copy.
 */
async function carryOver(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  try {
    await link(from, to);
  } catch (error) {
    if (!NO_HARD_LINKS.has((error as NodeJS.ErrnoException).code ?? "")) throw error;
    await cp(from, to, { preserveTimestamps: true });
  }
}

/**
 * Moves a complete folder to `out`: the old `out` (if any) is renamed aside first and removed only once the
 * new one is in place; a failure restores it. `staging` is removed whatever happens.
 */
export async function swapFolderInto(staging: string, out: string, io: TreeIo = defaultIo): Promise<void> {
  const backup = `${out}.bak-${process.pid}`;
  const existed = await stat(out).then(
    () => true,
    () => false,
  );
  await mkdir(dirname(out), { recursive: true });
  if (existed) {
    try {
      await io.rename(out, backup);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw wrap(error, out, "could not move the previous output aside (it is untouched)");
    }
  }
  try {
    await io.rename(staging, out);
  } catch (error) {
    if (existed) await rename(backup, out);
    await rm(staging, { recursive: true, force: true });
    throw wrap(error, out, "could not move the new tree in (the previous output was restored)");
  }
  if (existed) await rm(backup, { recursive: true, force: true });
}

/** Whether process `pid` still runs (signal 0 probes without signalling). */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Cleans up after a run that was killed mid-write: its staging folder (`<out>.tmp-<pid>`) is removed, and its
 * backup (`<out>.bak-<pid>`) is renamed back when the kill fell between the swap's two renames and `out` is
 * missing, or removed when the new tree was already in place. Folders of runs still alive are left alone.
 * Returns what it did, for the caller to report.
 */
export async function recoverInterruptedSwap(out: string): Promise<string[]> {
  const parent = dirname(out);
  const prefix = `${basename(out)}.`;
  const entries = await readdir(parent).catch(() => [] as string[]);
  const leftovers = entries
    .map((name) => ({ name, match: /^(tmp|bak)-(\d+)$/.exec(name.slice(prefix.length)) }))
    .filter(({ name, match }) => name.startsWith(prefix) && match !== null && !isRunning(Number(match[2])))
    .map(({ name, match }) => ({ path: join(parent, name), kind: match![1] as "tmp" | "bak" }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  const done: string[] = [];
  for (const { path, kind } of leftovers) {
    const outExists = await stat(out).then(
      () => true,
      () => false,
    );
    if (kind === "bak" && !outExists) {
      await rename(path, out);
      done.push(`restored ${out} from ${path}, left by an interrupted run`);
    } else {
      await rm(path, { recursive: true, force: true });
      done.push(`removed ${path}, left by an interrupted run`);
    }
  }
  return done;
}

/** The temporary sibling a new tree is built in: same file system as `out`, so the final rename is atomic. */
export function stagingFolderFor(out: string): string {
  return `${out}.tmp-${process.pid}`;
}

function wrap(error: unknown, path: string, what: string): WriteError {
  if (error instanceof WriteError) return error;
  return new WriteError(`${what}: ${(error as Error).message}`, { path, cause: error });
}

import { readFile, stat } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { ConfigError } from "./errors.js";
import { LOCAL_CLUSTER_HINT } from "../core/local-cluster-hint.js";

/** One parsed kubeconfig file; `data` is the YAML as plain values, not yet validated. */
export interface KubeconfigDocument {
  file: string;
  data: unknown;
}

/** Bigger than any real kubeconfig; refuses accidents (a log file) and YAML bombs before parsing. */
export const MAX_KUBECONFIG_BYTES = 8 * 1024 * 1024;

export interface KubeconfigPathOptions {
  /** Explicit file, like `--kubeconfig`: only that file is read. */
  kubeconfig?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  homeDir?: string | undefined;
}

/** The files kubectl would read, in precedence order, and whether the list came from an explicit path. */
export function kubeconfigPaths(options: KubeconfigPathOptions = {}): { paths: string[]; explicit: boolean; fromEnv: boolean } {
  if (options.kubeconfig) return { paths: [path.resolve(options.kubeconfig)], explicit: true, fromEnv: false };
  const env = options.env ?? process.env;
  const list = (env.KUBECONFIG ?? "").split(path.delimiter).filter((p) => p.trim() !== "");
  if (list.length > 0) return { paths: [...new Set(list.map((p) => path.resolve(p)))], explicit: false, fromEnv: true };
  return { paths: [defaultKubeconfigPath(options)], explicit: false, fromEnv: false };
}

export function defaultKubeconfigPath(options: { env?: NodeJS.ProcessEnv | undefined; homeDir?: string | undefined } = {}): string {
  const env = options.env ?? process.env;
  const home = options.homeDir ?? env.HOME ?? env.USERPROFILE ?? homedir();
  return path.join(home, ".kube", "config");
}

/**
 * Reads the kubeconfig files as kubectl does: an explicit file must exist; in a `KUBECONFIG` list missing
 * files are skipped, but at least one must exist.
 */
export async function readKubeconfigFiles(options: KubeconfigPathOptions = {}): Promise<KubeconfigDocument[]> {
  const { paths, explicit, fromEnv } = kubeconfigPaths(options);
  const documents: KubeconfigDocument[] = [];
  for (const file of paths) {
    const document = await readKubeconfigFile(file, { mustExist: explicit });
    if (document) documents.push(document);
  }
  if (documents.length === 0) {
    const hint = fromEnv
      ? `none of the files in KUBECONFIG exist (${paths.join(", ")}); fix KUBECONFIG or ${LOCAL_CLUSTER_HINT}`
      : `no kubeconfig at ${paths[0]}; set KUBECONFIG, pass --kubeconfig, or ${LOCAL_CLUSTER_HINT}`;
    throw new ConfigError(hint);
  }
  return documents;
}

/** Reads and parses one file; returns undefined for a missing file unless `mustExist`. */
export async function readKubeconfigFile(file: string, options: { mustExist: boolean }): Promise<KubeconfigDocument | undefined> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new ConfigError("is not a file; point --kubeconfig or KUBECONFIG at a kubeconfig file", { file });
    size = info.size;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && !options.mustExist) return undefined;
    throw new ConfigError(`cannot read kubeconfig (${(error as NodeJS.ErrnoException).code ?? String(error)}); check the path`, {
      file,
      cause: error,
    });
  }
  if (size > MAX_KUBECONFIG_BYTES) {
    throw new ConfigError(
      `kubeconfig is ${size} bytes, more than the ${MAX_KUBECONFIG_BYTES} allowed; is this really a kubeconfig?`,
      { file },
    );
  }
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read kubeconfig (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { file, cause: error });
  }
  return { file, data: parseKubeconfigYaml(text, file) };
}

/** Parses YAML with alias expansion bounded (against "billion laughs" documents). */
export function parseKubeconfigYaml(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: false, lineCounter });
  const [first] = document.errors;
  if (first) {
    const line = lineCounter.linePos(first.pos[0]);
    const at = line ? ` at line ${line.line}, column ${line.col}` : "";
    // The YAML library's message may quote the offending line, which could hold a token: report only the kind.
    throw new ConfigError(`invalid YAML${at} (${first.code}); fix the syntax`, { file });
  }
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new ConfigError(`invalid YAML: ${(error as Error).message}`, { file, cause: error });
  }
}

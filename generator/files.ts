import { readFile } from "node:fs/promises";

/** A file's text, or undefined when there is none (missing, or a folder in the way); other errors throw. */
export async function readIfExists(file: string): Promise<string | undefined> {
  return readFile(file, "utf8").catch(absentAsUndefined);
}

/** The same as bytes, for hashing without decoding. */
export async function readBytesIfExists(file: string): Promise<Buffer | undefined> {
  return readFile(file).catch(absentAsUndefined);
}

function absentAsUndefined(error: NodeJS.ErrnoException): undefined {
  if (error.code === "ENOENT" || error.code === "ENOTDIR" || error.code === "EISDIR") return undefined;
  throw error;
}

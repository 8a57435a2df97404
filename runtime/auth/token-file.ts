import { readFile, stat } from "node:fs/promises";
import { AuthError } from "./errors.js";
import type { AuthProvider } from "./provider.js";

/**
 * A bearer token read from a file that may be rotated (projected ServiceAccount tokens, `tokenFile`).
 * A stat per request notices rotation (size, mtime or inode, since the kubelet swaps a symlink);
 * a 401 always forces a re-read.
 */
export function tokenFileAuth(file: string): AuthProvider {
  let cached: { fingerprint: string; token: string } | undefined;

  async function fingerprint(): Promise<string> {
    try {
      const info = await stat(file);
      return `${info.ino}:${info.size}:${info.mtimeMs}`;
    } catch (error) {
      throw unreadable(error);
    }
  }

  async function load(): Promise<string> {
    const print = await fingerprint();
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw unreadable(error);
    }
    const token = text.trim();
    if (!token) throw new AuthError(`token file ${file} is empty; write the bearer token into it`, { subject: file });
    cached = { fingerprint: print, token };
    return token;
  }

  function unreadable(error: unknown): AuthError {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return new AuthError(`cannot read token file ${file} (${code}); check the tokenFile path and its permissions`, {
      subject: file,
      cause: error,
    });
  }

  return {
    async headers() {
      const token = cached && cached.fingerprint === (await fingerprint()) ? cached.token : await load();
      return { authorization: `Bearer ${token}` };
    },
    async refreshAfterUnauthorized(rejectedHeaders) {
      const before = rejectedHeaders?.authorization ?? (cached ? `Bearer ${cached.token}` : undefined);
      const token = await load();
      return `Bearer ${token}` !== before;
    },
  };
}

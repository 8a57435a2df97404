import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import type {} from "./provided-context.js";

let fallbackRoot: string | undefined;

/** A fresh folder under the run's temp root, removed after the run by the global setup's teardown. */
export async function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tempRoot(), sanitize(prefix)));
}

/** Synchronous makeTempDir, for describe bodies. */
export function makeTempDirSync(prefix: string): string {
  return mkdtempSync(join(tempRoot(), sanitize(prefix)));
}

function tempRoot(): string {
  const provided = inject("kubetypedTmpRoot");
  if (provided) {
    mkdirSync(provided, { recursive: true });
    return provided;
  }
  // Without the global setup (another config), clean up when this worker exits.
  if (!fallbackRoot) {
    const root = mkdtempSync(join(tmpdir(), "kubetyped-test-"));
    process.on("exit", () => rmSync(root, { recursive: true, force: true }));
    fallbackRoot = root;
  }
  return fallbackRoot;
}

function sanitize(prefix: string): string {
  const safe = prefix.replace(/[^\w.-]/g, "-");
  return safe.endsWith("-") ? safe : `${safe}-`;
}

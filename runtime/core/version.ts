/**
 * The runtime's version and the compatibility line generated modules target.
 *
 * Generated code depends on the runtime's public API, so kubetyped follows semver for it: a new major
 * (a new minor while 0.x, as npm's `^` does) may break generated modules, anything else may not. Each
 * generated descriptor names the line it was emitted for (`runtime: "0.1"`), and `defineResource` refuses a
 * descriptor of another line with a message saying how to fix it.
 */

import { groupVersionKey } from "./group-version.js";

/** This runtime's version; a unit test keeps it equal to package.json's (no file read at import time). */
export const RUNTIME_VERSION = "0.1.0";

/**
 * `"<major>"` from 1.0 on, `"0.<minor>"` before: the versions `^version` accepts share it. Literal-typed so a
 * generated module of another line also fails to type-check, not only at run time.
 */
export const RUNTIME_COMPATIBILITY = "0.1";
/** The runtime line generated descriptors name (`"0.1"`; the major from 1.0 on). */
export type RuntimeCompatibility = typeof RUNTIME_COMPATIBILITY;

/** The compatibility line of a semver version: `1.4.2` → `"1"`, `0.3.1` → `"0.3"`; undefined when not semver. */
export function compatibilityLine(version: string): string | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(version.trim());
  if (!match) return undefined;
  const [, major, minor] = match;
  return major === "0" ? `0.${Number(minor)}` : String(Number(major));
}

/** A generated module was emitted for a runtime line other than this one. */
export class RuntimeVersionError extends Error {
  override readonly name = "RuntimeVersionError";
  /** The line the generated module targets (`"0.1"`, `"2"`, ...). */
  readonly generatedFor: string;
  /** The group/version module that carried it (`batch/v1`, `core/v1`). */
  readonly module: string;

  constructor(module: string, plural: string, generatedFor: string) {
    super(
      `generated module ${module} (resource ${plural}) was generated for kubetyped/runtime ${describeLine(generatedFor)}, ` +
        `but kubetyped/runtime ${RUNTIME_VERSION} is installed (${describeLine(RUNTIME_COMPATIBILITY)}): ` +
        `regenerate it with this version (npx kubetyped generate --out <folder>), ` +
        `or install the kubetyped version it was generated with (npm install kubetyped@${installRange(generatedFor)})`,
    );
    this.generatedFor = generatedFor;
    this.module = module;
  }
}

function describeLine(line: string): string {
  return line.startsWith("0.") ? `${line}.x` : `${line}.x.x`;
}

function installRange(line: string): string {
  return line.startsWith("0.") ? `~${line}.0` : `^${line}.0.0`;
}

/**
 * Throws `RuntimeVersionError` when a descriptor names a compatibility line other than this runtime's.
 * Descriptors without one (written by hand, or by generators before the marker) are accepted.
 */
export function assertRuntimeCompatible(descriptor: { group: string; version: string; plural: string; runtime?: unknown }): void {
  const target = descriptor.runtime;
  if (target === undefined || target === RUNTIME_COMPATIBILITY) return;
  const module = groupVersionKey(descriptor.group, descriptor.version);
  throw new RuntimeVersionError(module, descriptor.plural, String(target));
}

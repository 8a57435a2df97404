import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const versionOf = (name: string): string => (require(`${name}/package.json`) as { version: string }).version;

/**
 * Versions of the toolchain that shapes output bytes, read from package.json without loading the packages:
 * importing ts-morph alone takes about a second, which an unchanged regeneration never needs.
 * ts-morph's version pins the TypeScript printer it bundles.
 */
export const PRETTIER_VERSION = versionOf("prettier");
export const TS_MORPH_VERSION = versionOf("ts-morph");

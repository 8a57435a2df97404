import type { Options } from "prettier";
import { WriteError } from "./errors.js";

/** A file of the output tree, path relative to the output folder with `/` separators. */
export interface OutputFile {
  path: string;
  content: string;
}

/**
 * Fixed options, never merged with a `.prettierrc` found near the output: the same input must give the
 * same bytes on every machine. `quoteProps: "preserve"` keeps the emitter's quoting of names like `x-y`.
 */
export const PRETTIER_OPTIONS: Options = {
  parser: "typescript",
  printWidth: 120,
  tabWidth: 2,
  useTabs: false,
  semi: true,
  singleQuote: false,
  quoteProps: "preserve",
  trailingComma: "all",
  bracketSpacing: true,
  arrowParens: "always",
  endOfLine: "lf",
};

/** Formats emitted TypeScript; other files (JSON, Markdown) pass through unchanged. */
export async function formatOutputFiles(files: readonly OutputFile[]): Promise<OutputFile[]> {
  return Promise.all(files.map(async (file) => ({ path: file.path, content: await formatOutputFile(file) })));
}

export async function formatOutputFile(file: OutputFile): Promise<string> {
  if (!file.path.endsWith(".ts")) return file.content;
  try {
    // Loaded on first use: a run that reuses every file never pays for prettier.
    const { format } = await import("prettier");
    return await format(file.content, PRETTIER_OPTIONS);
  } catch (error) {
    throw new WriteError(
      `generated code does not parse as TypeScript (${(error as Error).message.split("\n")[0]}); this is a kubetyped bug — please report it with the --groups used`,
      { path: file.path, cause: error },
    );
  }
}

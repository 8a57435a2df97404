// Reads the product sources with the TypeScript compiler: their import graph (static and lazy imports apart) and the length of every function.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import ts from "typescript";

/** One product file's relative imports (resolved to files under the root) and its named functions. */
export interface SourceFacts {
  imports: string[];
  /** The imports that load code when the file loads (`import type` / `export type` left out: they are erased). */
  valueImports: string[];
  /** Product files loaded with `import("./x.js")`: no load-order edge, but still a tie a circle can close. */
  lazyImports: string[];
  functions: Array<{ name: string; line: number; lines: number }>;
}

/** Every `.ts` file below `folders` (tests and declarations left out), keyed by path relative to `root`. */
export function readSources(root: string, folders: readonly string[]): Map<string, SourceFacts> {
  const files = folders.flatMap((folder) => listTs(join(root, folder))).map((file) => relative(root, file).split("\\").join("/"));
  const facts = new Map<string, SourceFacts>();
  for (const file of files) facts.set(file, factsOf(root, file, new Set(files)));
  return facts;
}

function listTs(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return listTs(path);
    return path.endsWith(".ts") && !path.endsWith(".d.ts") && !path.endsWith(".test.ts") ? [path] : [];
  });
}

function factsOf(root: string, file: string, known: ReadonlySet<string>): SourceFacts {
  const source = ts.createSourceFile(file, readFileSync(join(root, file), "utf8"), ts.ScriptTarget.Latest, true);
  const facts: SourceFacts = { imports: [], valueImports: [], lazyImports: [], functions: [] };
  const visit = (node: ts.Node): void => {
    const target = importTarget(node, file, known);
    if (target !== undefined) facts.imports.push(target);
    if (target !== undefined && !isTypeOnly(node)) facts.valueImports.push(target);
    const lazy = lazyImportTarget(node, file, known);
    if (lazy !== undefined) facts.lazyImports.push(lazy);
    const name = functionName(node);
    if (name !== undefined) {
      const first = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
      facts.functions.push({ name, line: first, lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return facts;
}

/** The product file a static `import`/`export ... from` names, when it is one. */
function importTarget(node: ts.Node, file: string, known: ReadonlySet<string>): string | undefined {
  if (!(ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) || !node.moduleSpecifier || !ts.isStringLiteral(node.moduleSpecifier)) return undefined;
  return productFile(node.moduleSpecifier.text, file, known);
}

function isTypeOnly(node: ts.Node): boolean {
  return (ts.isImportDeclaration(node) && node.importClause?.isTypeOnly === true) || (ts.isExportDeclaration(node) && node.isTypeOnly);
}

/** Every product file that loads when `entry` loads (lazy and type-only imports not followed). */
export function loadedWith(facts: ReadonlyMap<string, Pick<SourceFacts, "valueImports">>, entry: string): Set<string> {
  const loaded = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (loaded.has(file)) continue;
    loaded.add(file);
    pending.push(...(facts.get(file)?.valueImports ?? []));
  }
  return loaded;
}

function productFile(specifier: string, file: string, known: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = join(dirname(file), specifier).split("\\").join("/").replace(/\.js$/, "");
  return [`${base}.ts`, `${base}/index.ts`].find((candidate) => known.has(candidate));
}

/** The product file an `import("./x.js")` call or a `typeof import("./x.js")` type names, when it is one. */
function lazyImportTarget(node: ts.Node, file: string, known: ReadonlySet<string>): string | undefined {
  const call = ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword ? node.arguments[0] : undefined;
  const type = ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) ? node.argument.literal : undefined;
  const specifier = call ?? type;
  return specifier !== undefined && ts.isStringLiteral(specifier) ? productFile(specifier.text, file, known) : undefined;
}

function functionName(node: ts.Node): string | undefined {
  if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) return node.name?.getText() ?? "(anonymous)";
  if ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) && ts.isVariableDeclaration(node.parent)) return node.parent.name.getText();
  return undefined;
}

/** The strongly connected components with more than one file: each is an import circle. */
export function importCircles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const strong = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        strong(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) circles.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) strong(node);
  return circles;
}

/** The room a file belongs to: its folder under `runtime/` or `generator/`, or the file itself at their top. */
export function roomOf(file: string): string {
  const parts = file.split("/");
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : file;
}

/** Imports from a room to one of the same or a higher rank (rooms are ranked low to high; unranked rooms are reported). */
export function upwardImports(facts: ReadonlyMap<string, Pick<SourceFacts, "imports">>, rank: (room: string) => number | undefined, room: (file: string) => string = roomOf): string[] {
  const found: string[] = [];
  for (const [file, { imports }] of facts) {
    const from = room(file);
    for (const target of imports) {
      const to = room(target);
      if (from === to) continue;
      const [a, b] = [rank(from), rank(to)];
      if (a === undefined || b === undefined) found.push(`${file} -> ${target}: room ${a === undefined ? from : to} has no rank`);
      else if (b >= a) found.push(`${file} -> ${target}: ${from} (rank ${a}) may not import ${to} (rank ${b})`);
    }
  }
  return found;
}


/** A read of one property of a typed value: where, and which key. */
export interface PropertyRead {
  file: string;
  line: number;
  key: string;
}

/**
 * Every read of a property of a value whose type is the interface `typeName` declared in `declaredIn` (through
 * aliases, `| undefined` and intersections), in the `.ts` files below `folders`: `x.key`, `x?.key`, `x["key"]`
 * and `const { key } = x`. Spreads copy the value whole and are not reads of a key.
 */
export function propertyReads(root: string, folders: readonly string[], typeName: string, declaredIn: string): PropertyRead[] {
  const files = folders.flatMap((folder) => listTs(join(root, folder)));
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true, noEmit: true, skipLibCheck: true, types: [], lib: ["lib.es2023.d.ts"] };
  // Product files only: a package's types (undici, ...) cannot hold the type looked for, and resolving them is most of the time.
  const host = ts.createCompilerHost(options);
  host.resolveModuleNameLiterals = (literals, containing) =>
    literals.map((literal) => ({ resolvedModule: literal.text.startsWith(".") ? ts.resolveModuleName(literal.text, containing, options, host).resolvedModule : undefined }));
  const program = ts.createProgram(files, options, host);
  const checker = program.getTypeChecker();
  const isTarget = (type: ts.Type): boolean => {
    const parts = type.isUnionOrIntersection() ? type.types : [type];
    return parts.some((part) => {
      const symbol = part.aliasSymbol ?? part.getSymbol();
      const declaration = symbol?.declarations?.[0];
      return symbol?.getName() === typeName && declaration !== undefined && relative(root, declaration.getSourceFile().fileName).split("\\").join("/") === declaredIn;
    });
  };
  const reads: PropertyRead[] = [];
  for (const source of program.getSourceFiles()) {
    const file = relative(root, source.fileName).split("\\").join("/");
    if (!files.some((path) => relative(root, path).split("\\").join("/") === file)) continue;
    const record = (node: ts.Node, key: string) => reads.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, key });
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAccessExpression(node) && isTarget(checker.getTypeAtLocation(node.expression))) record(node, node.name.text);
      if (ts.isElementAccessExpression(node) && ts.isStringLiteral(node.argumentExpression) && isTarget(checker.getTypeAtLocation(node.expression))) record(node, node.argumentExpression.text);
      if (ts.isObjectBindingPattern(node) && isTarget(checker.getTypeAtLocation(node))) {
        for (const element of node.elements) if (!element.dotDotDotToken) record(element, (element.propertyName ?? element.name).getText());
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return reads;
}

// Which API change is behind a type error: what the erring code used from the generated folder, matched against the change report.
import path from "node:path";
import type { ts } from "ts-morph";
import type { ChangeEntry } from "../model/compare.js";
import type { ProjectDiagnostic, TypeScript } from "./typecheck.js";

/** What a diagnostic is explained against: the current program (old generated code) and the changes to the target. */
export interface ExplainContext {
  /** The project as it is, so the erring code's names resolve to the generated declarations it was written against; without it, the message alone. */
  typescript?: TypeScript;
  program?: ts.Program;
  /** Absolute path of the generated folder. */
  folder: string;
  /** Breaking changes from the folder's API to the target's. */
  changes: readonly ChangeEntry[];
  /** The target, as sentences name it (`v1.25.0`). */
  label: string;
}

/** The API changes behind one error, as sentences ("batch/v1beta1 is not served by v1.25.0"); empty when none is found. */
export function explainDiagnostic(diagnostic: ProjectDiagnostic, context: ExplainContext): string[] {
  const members = quotedNames(diagnostic.message);
  const code = candidatesFromCode(diagnostic, context);
  // Closest first: what the message and the name at the error point at; only then the rest of the statement.
  for (const tier of [[...candidatesFromMessage(diagnostic, context.folder), ...code.at], code.statement]) {
    const matched = new Set<ChangeEntry>();
    for (const candidate of tier) for (const entry of context.changes) if (matches(entry, candidate, members)) matched.add(entry);
    if (matched.size > 0) return [...matched].map((entry) => sentence(entry, context.label));
  }
  return [];
}

/** A generated thing the erring code used: `batch/v1beta1`, `batch/v1 cronjobs`, `core/v1 PodSpec`, `core/v1 PodSpec.schedulingGates`. */
type Candidate = string;

/** Module specifiers and `Property 'x' ... type 'T'` pairs the message names. */
function candidatesFromMessage(diagnostic: ProjectDiagnostic, folder: string): Candidate[] {
  const found: Candidate[] = [];
  for (const [, specifier] of diagnostic.message.matchAll(/'"?(\.{1,2}\/[^'"]+)"?'/g)) {
    if (diagnostic.file === undefined) continue;
    const key = moduleKeyOf(path.resolve(path.dirname(diagnostic.file), specifier!), folder);
    if (key !== undefined) found.push(key);
  }
  for (const [, member, type] of diagnostic.message.matchAll(/'([\w$]+)' does not exist (?:on|in) type '([\w$]+)'/g)) found.push(`* ${type}.${member}`);
  for (const [, member, type] of diagnostic.message.matchAll(/Property '([\w$]+)' is missing in type '.*?' but required in type '([\w$]+)'/g)) found.push(`* ${type}.${member}`);
  return found;
}

/**
 * What the name at the error, and the names of its whole statement, resolve to in the current program, where
 * they are declared in the generated folder.
 */
function candidatesFromCode(diagnostic: ProjectDiagnostic, context: ExplainContext): { at: Candidate[]; statement: Candidate[] } {
  const { typescript, program: baseline } = context;
  const source = diagnostic.file === undefined ? undefined : baseline?.getSourceFile(diagnostic.file);
  if (typescript === undefined || baseline === undefined || source === undefined || diagnostic.start === undefined) return { at: [], statement: [] };
  const checker = baseline.getTypeChecker();
  const at = innermostNode(typescript, source, diagnostic.start);
  const resolve = (nodes: ts.Node[]) =>
    nodes.filter((node): node is ts.Identifier => typescript.isIdentifier(node)).flatMap((identifier) =>
      declarationsOf(typescript, checker, identifier).flatMap((declaration) => describeDeclaration(typescript, declaration, context.folder) ?? []),
    );
  return { at: resolve([at]), statement: resolve(identifiersIn(typescript, enclosingStatement(typescript, at))) };
}

function declarationsOf(typescript: TypeScript, checker: ts.TypeChecker, identifier: ts.Identifier): ts.Declaration[] {
  let symbol = checker.getSymbolAtLocation(identifier);
  // A key of an object literal: the property of the type the literal is written against.
  const parent = identifier.parent;
  if ((typescript.isPropertyAssignment(parent) || typescript.isShorthandPropertyAssignment(parent)) && parent.name === identifier) {
    const contextual = checker.getContextualType(parent.parent as ts.ObjectLiteralExpression);
    symbol = contextual?.getProperty(identifier.text) ?? symbol;
  }
  if (symbol !== undefined && symbol.flags & typescript.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return symbol?.declarations ?? [];
}

/** A declaration inside the generated folder as a change report path, or undefined for anything else. */
function describeDeclaration(typescript: TypeScript, declaration: ts.Declaration, folder: string): Candidate | undefined {
  const key = moduleKeyOf(path.resolve(declaration.getSourceFile().fileName), folder);
  if (key === undefined) return undefined;
  if (typescript.isSourceFile(declaration)) return key;
  if (typescript.isVariableDeclaration(declaration)) {
    const plural = /\bplural:\s*"([^"]+)"/.exec(declaration.getText())?.[1];
    return plural === undefined ? key : `${key} ${plural}`;
  }
  const owner = namedAncestor(typescript, declaration);
  if (owner === undefined) return key;
  const ownerName = owner.name.text;
  if (typescript.isPropertySignature(declaration) && declaration.parent === owner && typescript.isIdentifier(declaration.name)) return `${key} ${ownerName}.${declaration.name.text}`;
  if (typescript.isPropertySignature(declaration) && typescript.isStringLiteral(declaration.name)) return `${key} ${ownerName}.${declaration.name.text}`;
  return `${key} ${ownerName}`;
}

function namedAncestor(typescript: TypeScript, node: ts.Node): ts.InterfaceDeclaration | ts.TypeAliasDeclaration | undefined {
  for (let current: ts.Node | undefined = node; current !== undefined; current = current.parent) {
    if (typescript.isInterfaceDeclaration(current) || typescript.isTypeAliasDeclaration(current)) return current;
  }
  return undefined;
}

/** `<folder>/batch/v1.ts` (or `.js`, `.d.ts`, no extension) → `batch/v1`; undefined outside the folder. */
function moduleKeyOf(file: string, folder: string): string | undefined {
  const relative = path.relative(folder, file);
  if (relative === "" || relative.startsWith("..") || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join("/").replace(/(\.d)?\.(ts|js|mts|mjs)$/, "");
}

function matches(entry: ChangeEntry, candidate: Candidate, members: ReadonlySet<string>): boolean {
  if (candidate.startsWith("* ")) return entry.subject === "field" && entry.path.endsWith(` ${candidate.slice(2)}`);
  if (entry.path === candidate) return true;
  if (entry.subject === "groupVersion") return candidate.startsWith(`${entry.path} `);
  if (entry.subject === "type" || entry.subject === "resource") return candidate.startsWith(`${entry.path}.`) || candidate.startsWith(`${entry.path}/`);
  // A verb or subresource of the resource the code uses, named in the message (`Property 'watch' does not exist`).
  const verb = /^(.*) verb (\w+)$/.exec(entry.path);
  if (verb !== null) return verb[1] === candidate && members.has(verb[2]!);
  if (entry.subject === "subresource") return entry.path.startsWith(`${candidate}/`) && members.has(entry.path.slice(candidate.length + 1));
  // A field of a type the code uses, named in the message (`Property 'ip' is missing ... in type 'HostAlias'`).
  if (entry.subject === "field") return entry.path.startsWith(`${candidate}.`) && members.has(entry.path.slice(candidate.length + 1));
  return false;
}

function sentence(entry: ChangeEntry, label: string): string {
  const [module, ...rest] = entry.path.split(" ");
  const what = rest.join(" ");
  if (entry.subject === "groupVersion") return `${entry.path} is not served by ${label}`;
  if (entry.subject === "verb") {
    const [resource, , verb] = what.split(" ");
    return `${resource} (${module}) does not allow ${verb} on ${label}`;
  }
  if (entry.change === "removed") return `${what} (${module}) is not ${entry.subject === "field" || entry.subject === "type" ? "in" : "served by"} ${label}`;
  if (entry.change === "added") return `${what} (${module}) is required on ${label}`;
  return `${what} (${module}) changed on ${label}: ${entry.detail ?? "differs"}`;
}

function quotedNames(message: string): Set<string> {
  return new Set([...message.matchAll(/'([\w$]+)'/g)].map((match) => match[1]!));
}

function innermostNode(typescript: TypeScript, source: ts.SourceFile, position: number): ts.Node {
  let node: ts.Node = source;
  for (let deeper: ts.Node | undefined = source; deeper !== undefined; ) {
    node = deeper;
    deeper = typescript.forEachChild(node, (child) => (child.getStart(source) <= position && position < child.getEnd() ? child : undefined));
  }
  return node;
}

function enclosingStatement(typescript: TypeScript, node: ts.Node): ts.Node {
  let current = node;
  while (current.parent !== undefined && !typescript.isSourceFile(current.parent) && !typescript.isBlock(current.parent) && !typescript.isModuleBlock(current.parent)) {
    current = current.parent;
  }
  return current;
}

function identifiersIn(typescript: TypeScript, node: ts.Node): ts.Node[] {
  const found: ts.Node[] = [];
  const visit = (child: ts.Node): void => {
    if (typescript.isIdentifier(child)) found.push(child);
    typescript.forEachChild(child, visit);
  };
  visit(node);
  return found;
}

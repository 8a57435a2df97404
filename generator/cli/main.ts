import type { ClusterConnection } from "../../runtime/core/connection.js";
import { parseArgs, suggestFlag, UsageError, type ParsedArgs } from "./args.js";
import { COMMANDS, commandHelp, mainHelp, type CommandSpec } from "./commands.js";
import { describeFailure } from "./errors.js";
import { createCliLog, processIo, type CliIo } from "./output.js";
import { generate, type GenerateResult, type SourceOptions } from "../generate.js";
import { diffApis, snapshot } from "../snapshot.js";
import { parseGroupSelection } from "../sources/group-selection.js";
import { GENERATOR_VERSION } from "../version.js";
import { defaultOpenApiCacheDir } from "../cache/cache-dir.js";
import { formatCarried, formatChangeReport, formatOmissions } from "./report.js";
import { formatCheck } from "./check-report.js";
import type { TargetSource } from "../targets.js";
import { printable } from "../../runtime/core/printable.js";

export type { CliIo } from "./output.js";

/**
 * `kubetyped <command> [flags]`; resolves to the exit code (0 ok, 1 error, 2 usage error, 3 --check drift).
 * `io` defaults to the process's streams and environment.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      io.stderr(mainHelp(GENERATOR_VERSION));
      return 2;
    }
    if (command === "--help" || command === "-h" || command === "help") {
      const topic = rest[0] === undefined ? undefined : COMMANDS[rest[0]];
      io.stdout(topic === undefined ? mainHelp(GENERATOR_VERSION) : commandHelp(topic));
      return 0;
    }
    if (command === "--version" || command === "version") {
      io.stdout(`kubetyped ${GENERATOR_VERSION}\n`);
      return 0;
    }
    switch (command) {
      case "generate":
        return await runGenerate(rest, io);
      case "snapshot":
        return await runSnapshot(rest, io);
      case "diff":
        return await runDiff(rest, io);
      case "check":
        return await runCheck(rest, io);
      case "validate":
        return await runValidate(rest, io);
      case "local-cluster": {
        // Loaded on demand: only this command needs the control-plane tooling.
        const { runLocalClusterCommand } = await import("../../local-cluster/cli.js");
        return await runLocalClusterCommand(rest, { stdout: io.stdout, stderr: io.stderr, env: io.env });
      }
      default: {
        // `--hlep` is a mistyped top-level flag, `genrate` a mistyped command: suggest from the matching list.
        const isFlag = command.startsWith("-");
        const nearest = suggestFlag(command.replace(/^-+/, ""), isFlag ? ["help", "version"] : Object.keys(COMMANDS));
        const suggestion = nearest === undefined ? "" : isFlag ? `; did you mean \`kubetyped --${nearest}\`?` : `; did you mean \`kubetyped ${nearest}\`?`;
        throw new UsageError(`unknown ${isFlag ? "flag" : "command"} ${JSON.stringify(command)}${suggestion} (see kubetyped --help)`);
      }
    }
  } catch (error) {
    const failure = await describeFailure(error);
    io.stderr(failure.text);
    return failure.exitCode;
  }
}

function parseCommand(spec: CommandSpec, argv: string[], io: CliIo): ParsedArgs | undefined {
  const parsed = parseArgs(argv, spec.flags, spec.name);
  if (parsed.flags.get("help") === true) {
    io.stdout(commandHelp(spec));
    return undefined;
  }
  if (parsed.positionals.length > 0) {
    throw new UsageError(`\`kubetyped ${spec.name}\` takes no arguments, got ${JSON.stringify(parsed.positionals[0])} (see kubetyped ${spec.name} --help)`);
  }
  return parsed;
}

const stringFlag = (args: ParsedArgs, name: string): string | undefined => {
  const value = args.flags.get(name);
  return typeof value === "string" ? value : undefined;
};
const booleanFlag = (args: ParsedArgs, name: string): boolean => args.flags.get(name) === true;

function groupsFrom(args: ParsedArgs): string[] | undefined {
  const text = stringFlag(args, "groups");
  if (text === undefined) return undefined;
  const groups = text.split(",").map((entry) => entry.trim()).filter((entry) => entry !== "");
  try {
    parseGroupSelection(groups);
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^--groups: /, ""));
  }
  return groups;
}

/** A live cluster from the connection flags, or a snapshot with --from (never both): what `snapshot` reads. */
async function sourceFrom(args: ParsedArgs, io: CliIo): Promise<SourceOptions> {
  return { connection: await liveConnection(args, io, stringFlag(args, "context")) };
}

/**
 * Every target `generate` reads: each --from folder, then each --context (with --kubeconfig), or the one
 * cluster of the connection flags (or of the environment, when there is no --from at all).
 */
async function targetsFrom(args: ParsedArgs, io: CliIo, folderFlag: "from" | "against" = "from"): Promise<TargetSource[]> {
  const folders = args.lists.get(folderFlag) ?? [];
  const contexts = args.lists.get("context") ?? [];
  if (booleanFlag(args, "in-cluster") && (args.flags.has("kubeconfig") || contexts.length > 0)) {
    throw new UsageError("--in-cluster cannot be combined with --kubeconfig or --context");
  }
  if (args.flags.has("insecure-skip-tls-verify") && contexts.length === 0 && !args.flags.has("kubeconfig") && !args.flags.has("in-cluster") && folders.length > 0) {
    throw new UsageError(`--insecure-skip-tls-verify applies to clusters; --${folderFlag} reads folders, which need no TLS`);
  }
  const live = contexts.length > 0 ? contexts : args.flags.has("kubeconfig") || args.flags.has("in-cluster") || folders.length === 0 ? [undefined] : [];
  const targets: TargetSource[] = folders.map((from) => ({ from }));
  for (const context of live) targets.push({ connection: await liveConnection(args, io, context) });
  if (targets.length > 1 && args.flags.has("record")) throw new UsageError("--record records one cluster; record each with `npx kubetyped snapshot --out DIR`");
  return targets;
}

async function liveConnection(args: ParsedArgs, io: CliIo, context: string | undefined): Promise<ClusterConnection> {
  if (booleanFlag(args, "in-cluster") && (args.flags.has("kubeconfig") || context !== undefined)) {
    throw new UsageError("--in-cluster cannot be combined with --kubeconfig or --context");
  }
  const kubeconfig = stringFlag(args, "kubeconfig");
  // Loaded here: the runtime (its kubeconfig reader brings a YAML parser) is what `--from` never needs.
  const { resolveConnection } = await import("../../runtime/entries/plumbing.js");
  // inCluster: false would mean "never in-cluster"; without the flag the choice is resolveConnection's.
  const resolved = await resolveConnection({ env: io.env, kubeconfig, context, contextFrom: "--context", inCluster: booleanFlag(args, "in-cluster") || undefined });
  // Only the user's explicit flag turns verification off; the kubeconfig's own setting is kept otherwise.
  return booleanFlag(args, "insecure-skip-tls-verify") ? { ...resolved, tls: { ...resolved.tls, insecureSkipVerify: true } } : resolved;
}

async function runGenerate(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommand(COMMANDS.generate!, argv, io);
  if (args === undefined) return 0;
  const quiet = booleanFlag(args, "quiet");
  const groups = groupsFrom(args);
  const out = stringFlag(args, "out") ?? "generated";
  const record = stringFlag(args, "record");
  const targets = await targetsFrom(args, io);
  const cacheDir = openApiCacheDir(args, io, targets);
  const log = createCliLog(io, quiet);
  let result: GenerateResult;
  try {
    result = await generate({
      ...(targets.length === 1 ? targets[0] : { targets }),
      out,
      log,
      check: booleanFlag(args, "check"),
      allowEmpty: booleanFlag(args, "allow-empty"),
      strictTargets: booleanFlag(args, "strict-targets"),
      allowUntyped: booleanFlag(args, "allow-untyped"),
      validators: !booleanFlag(args, "no-validators"),
      groups,
      record,
      cacheDir,
    });
  } finally {
    log.done();
  }
  const omitted = result.omitted === undefined || quiet ? "" : formatOmissions(result.omitted, result.targets ?? []) + formatCarried(result.carried ?? []);
  if (result.drift) {
    io.stdout(printable(`${out} is out of date; generate would change:\n${result.changes.map((c) => `  ${c.change.padEnd(8)}${c.path}\n`).join("")}`, { keepNewlines: true }));
    if (!quiet) io.stdout(formatChangeReport(result.report, { color: io.color === true }) + omitted);
    return 3;
  }
  if (quiet) return 0;
  io.stdout(formatChangeReport(result.report, { color: io.color === true }) + omitted);
  io.stdout(`${summaryLine(result, out, booleanFlag(args, "check"))}\n`);
  return 0;
}

/** The OpenAPI cache folder for cluster reads: --cache-dir, else the per-user default; none with --no-cache or only --from. */
function openApiCacheDir(args: ParsedArgs, io: CliIo, targets: readonly TargetSource[]): string | undefined {
  const explicit = stringFlag(args, "cache-dir");
  if (explicit !== undefined && booleanFlag(args, "no-cache")) throw new UsageError("--cache-dir and --no-cache contradict each other; pass one");
  if (targets.every((target) => target.from !== undefined)) {
    if (explicit !== undefined) throw new UsageError("--cache-dir caches documents read from a cluster; --from reads a snapshot, which needs no cache");
    return undefined;
  }
  if (booleanFlag(args, "no-cache")) return undefined;
  return explicit ?? defaultOpenApiCacheDir(io.env);
}

function summaryLine(result: GenerateResult, out: string, check: boolean): string {
  const what = [
    count(result.groupVersions.length, "group/version"),
    count(result.resources, "resource"),
    count(result.types, "type"),
    count(result.files, "file"),
  ].join(", ");
  const from =
    result.targets === undefined
      ? `${result.origin}${result.serverVersion ? ` (${result.serverVersion})` : ""}`
      : result.targets.map((target) => (target.origin.endsWith(target.label) ? target.origin : `${target.origin} (${target.label})`)).join(" + ");
  const verdict = check ? `${out} is up to date` : result.written ? `wrote ${out}` : `${out} was already up to date`;
  const skipped = result.skipped.length === 0 ? "" : `; skipped ${result.skipped.map((s) => s.groupVersion).join(", ")}`;
  const cached = result.cache === undefined || result.cache.hits === 0 ? "" : `; ${count(result.cache.hits, "OpenAPI document")} from the cache`;
  // `from` is /version's gitVersion, `skipped` names groups: text the server chose, escaped.
  return printable(`${verdict}: ${what} from ${from} in ${(result.durationMs / 1000).toFixed(1)}s${cached}${skipped}`);
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

async function runSnapshot(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommand(COMMANDS.snapshot!, argv, io);
  if (args === undefined) return 0;
  const out = stringFlag(args, "out");
  if (out === undefined) throw new UsageError("snapshot needs --out DIR (the folder to record into)");
  const groups = groupsFrom(args);
  const source = await sourceFrom(args, io);
  const log = createCliLog(io, booleanFlag(args, "quiet"));
  try {
    const result = await snapshot({ ...source, out, log, groups });
    log.done();
    if (!booleanFlag(args, "quiet")) {
      const skipped = result.skipped.length === 0 ? "" : `; skipped ${result.skipped.map((s) => s.groupVersion).join(", ")}`;
      const version = result.serverVersion ? ` (${result.serverVersion})` : "";
      io.stdout(`${printable(`recorded ${count(result.groupVersions.length, "group/version")} from ${result.origin}${version} into ${out} in ${(result.durationMs / 1000).toFixed(1)}s${skipped}`)}\n`);
    }
    return 0;
  } finally {
    log.done();
  }
}

async function runDiff(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommand(COMMANDS.diff!, argv, io);
  if (args === undefined) return 0;
  const from = stringFlag(args, "from");
  const to = stringFlag(args, "to");
  if (from === undefined || to === undefined) throw new UsageError("diff needs --from DIR and --to DIR (snapshot or generated folders)");
  const groups = groupsFrom(args);
  const log = createCliLog(io, booleanFlag(args, "quiet"));
  try {
    const report = await diffApis(from, to, { log, groups });
    log.done();
    // JSON.stringify leaves DEL, C1 and bidi controls raw; escaped as \uXXXX the JSON stays the same JSON.
    io.stdout(booleanFlag(args, "json") ? `${printable(JSON.stringify(report, null, 2), { keepNewlines: true })}\n` : formatChangeReport(report, { color: io.color === true }));
    return 0;
  } finally {
    log.done();
  }
}

async function runCheck(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommand(COMMANDS.check!, argv, io);
  if (args === undefined) return 0;
  const live = ["context", "kubeconfig", "in-cluster"].some((name) => args.flags.has(name));
  if (!args.lists.has("against") && !live) {
    throw new UsageError("check needs a target: --against DIR (a snapshot or OpenAPI v3 folder) or --context NAME (a cluster of your kubeconfig)");
  }
  const targets = await targetsFrom(args, io, "against");
  const cacheDir = openApiCacheDir(args, io, targets);
  const quiet = booleanFlag(args, "quiet");
  const log = createCliLog(io, quiet);
  // Loaded on demand: the checker brings TypeScript.
  const { checkAgainst } = await import("../check/index.js");
  let result: Awaited<ReturnType<typeof checkAgainst>>;
  try {
    const project = stringFlag(args, "project");
    result = await checkAgainst({
      targets,
      out: stringFlag(args, "out") ?? "generated",
      log,
      ...(project === undefined ? {} : { project }),
      strictTargets: booleanFlag(args, "strict-targets"),
      ...(cacheDir === undefined ? {} : { cacheDir }),
    });
  } finally {
    log.done();
  }
  io.stdout(formatCheck(result, { cwd: process.cwd(), quiet }));
  return result.compatible ? 0 : 3;
}

async function runValidate(argv: string[], io: CliIo): Promise<number> {
  // `-f` is kubectl's short form of --filename.
  const expanded = argv.map((arg) => (arg === "-f" ? "--filename" : arg.startsWith("-f=") ? `--filename=${arg.slice(3)}` : arg));
  const args = parseCommand(COMMANDS.validate!, expanded, io);
  if (args === undefined) return 0;
  const files = args.lists.get("filename") ?? [];
  if (files.length === 0) throw new UsageError("validate needs manifests: -f FILE, -f DIR or -f - (stdin); repeat -f for several");
  const output = stringFlag(args, "output") ?? "text";
  if (output !== "text" && output !== "json") throw new UsageError(`--output is text or json, got ${JSON.stringify(output)}`);
  const live = ["context", "kubeconfig", "in-cluster"].some((name) => args.flags.has(name));
  const targets = args.lists.has("from") || live ? await targetsFrom(args, io) : [];
  const cacheDir = targets.length > 0 ? openApiCacheDir(args, io, targets) : undefined;
  const { validateManifests, formatProblems } = await import("../validate/index.js");
  const result = await validateManifests({
    files,
    out: stringFlag(args, "out") ?? "generated",
    targets,
    ...(cacheDir === undefined ? {} : { cacheDir }),
    log: createCliLog(io, true),
  });
  const badInput = result.problems.some((problem) => problem.badInput);
  if (output === "json") {
    io.stdout(`${JSON.stringify({ valid: result.problems.length === 0, documents: result.documents, problems: result.problems }, null, 2)}\n`);
  } else {
    io.stdout(printable(formatProblems(result.problems), { keepNewlines: true }));
  }
  return badInput ? 1 : result.problems.length > 0 ? 3 : 0;
}

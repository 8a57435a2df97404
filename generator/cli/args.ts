/** A command-line flag, kubectl style: `--name value`, `--name=value`; booleans also `--name=false`. */
export interface FlagSpec {
  name: string;
  type: "string" | "boolean";
  description: string;
  /** Shown in help: `--out DIR`. */
  valueName?: string;
  default?: string;
  /** May be given several times (`--from A --from B`): every value is kept, in order, in `ParsedArgs.lists`. */
  repeatable?: boolean;
}

export interface ParsedArgs {
  /** The last value of each flag given. */
  flags: Map<string, string | boolean>;
  /** Every value of each repeatable flag given, in command-line order. */
  lists: Map<string, string[]>;
  positionals: string[];
}

/** Wrong use of the command line: exit code 2, message says what to type instead. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Parses `argv` against the flags a command accepts; unknown flags are errors naming the nearest known one. */
export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[], command: string): ParsedArgs {
  const flags = new Map<string, string | boolean>();
  const lists = new Map<string, string[]>();
  const positionals: string[] = [];
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === "--") {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (arg === "-h") {
      flags.set("help", true);
      continue;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, "");
    const equals = body.indexOf("=");
    const name = equals < 0 ? body : body.slice(0, equals);
    const spec = byName.get(name);
    if (spec === undefined) {
      const nearest = suggestFlag(name, specs.map((s) => s.name));
      throw new UsageError(
        `unknown flag --${name} for \`kubetyped ${command}\`${nearest ? `; did you mean --${nearest}?` : ""} (see kubetyped ${command} --help)`,
      );
    }
    if (spec.type === "boolean") {
      const text = equals < 0 ? "true" : body.slice(equals + 1);
      if (text !== "true" && text !== "false") throw new UsageError(`--${name} takes no value, or =true / =false; got ${JSON.stringify(text)}`);
      flags.set(name, text === "true");
      continue;
    }
    let value: string | undefined = equals < 0 ? undefined : body.slice(equals + 1);
    if (value === undefined) {
      const next = argv[index + 1];
      if (next === undefined || (next.startsWith("--") && next.length > 2)) {
        throw new UsageError(`--${name} needs a value: --${name} ${spec.valueName ?? "VALUE"} or --${name}=${spec.valueName ?? "VALUE"}`);
      }
      value = next;
      index++;
    }
    if (value === "") throw new UsageError(`--${name} needs a non-empty value`);
    flags.set(name, value);
    if (spec.repeatable) lists.set(name, [...(lists.get(name) ?? []), value]);
  }
  return { flags, lists, positionals };
}

/** The known name closest to `name` (edit distance, or a prefix/suffix match), when close enough to be a typo. */
export function suggestFlag(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    // A prefix counts as far as the letters it lacks, so `--outut` suggests --output, not --out.
    const prefix = candidate.startsWith(name) || name.startsWith(candidate);
    const distance = prefix ? Math.min(2, Math.max(1, Math.abs(candidate.length - name.length))) : editDistance(name, candidate);
    if (best === undefined || distance < best.distance) best = { name: candidate, distance };
  }
  if (best === undefined) return undefined;
  return best.distance <= Math.max(2, Math.floor(name.length / 3)) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

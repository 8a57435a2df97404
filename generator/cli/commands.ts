import type { FlagSpec } from "./args.js";

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  flags: FlagSpec[];
  /** Extra help paragraphs after the flags. */
  notes?: string;
}

const connectionFlags: FlagSpec[] = [
  { name: "kubeconfig", type: "string", valueName: "FILE", description: "kubeconfig file to use (default: $KUBECONFIG, else ~/.kube/config)" },
  { name: "context", type: "string", valueName: "NAME", description: "kubeconfig context to use (default: current-context)" },
  { name: "in-cluster", type: "boolean", description: "use the pod's ServiceAccount (KUBERNETES_SERVICE_HOST, /var/run/secrets/kubernetes.io/serviceaccount)" },
  {
    name: "insecure-skip-tls-verify",
    type: "boolean",
    description: "do not verify the server's certificate (unsafe; only when you ask for it)",
  },
];
const groupsFlag: FlagSpec = {
  name: "groups",
  type: "string",
  valueName: "LIST",
  description: "comma-separated group/versions to generate: batch (every version), apps/v1, core/v1 (default: all served)",
};
const cacheFlags: FlagSpec[] = [
  {
    name: "cache-dir",
    type: "string",
    valueName: "DIR",
    default: "${XDG_CACHE_HOME:-~/.cache}/kubetyped/openapi",
    description: "where OpenAPI documents read from a cluster are cached by content hash",
  },
  { name: "no-cache", type: "boolean", description: "fetch every OpenAPI document, neither reading nor writing the cache" },
];
const strictTargetsFlag: FlagSpec = {
  name: "strict-targets",
  type: "boolean",
  description: "take OpenAPI folders of a release as they are (by default they keep the other targets' or the folder's CRD groups)",
};
const quietFlag: FlagSpec = { name: "quiet", type: "boolean", description: "print nothing but errors" };
const generateQuietFlag: FlagSpec = { ...quietFlag, description: "print nothing but errors (and --check's drift)" };
const helpFlag: FlagSpec = { name: "help", type: "boolean", description: "show this help" };

export const EXIT_CODES = `Exit codes:
  0  success
  1  error (cluster unreachable, bad document, write failure)
  2  usage error (unknown flag, missing value)
  3  --check found that the output would change; check found errors against a target`;

export const COMMANDS: Record<string, CommandSpec> = {
  generate: {
    name: "generate",
    summary: "generate typed clients from a cluster, a snapshot, or what several of them all serve",
    usage:
      "kubetyped generate [--kubeconfig FILE] [--context NAME]... [--from DIR]... [--groups LIST] [--out DIR] [--check] [--cache-dir DIR | --no-cache]",
    flags: [
      ...connectionFlags.map((flag) =>
        flag.name === "context" ? { ...flag, repeatable: true, description: `${flag.description}; repeat for several clusters` } : flag,
      ),
      { name: "out", type: "string", valueName: "DIR", default: "generated", description: "output folder, replaced atomically" },
      groupsFlag,
      {
        name: "from",
        type: "string",
        valueName: "DIR",
        repeatable: true,
        description: "read a snapshot (kubetyped snapshot --out) or OpenAPI v3 folder instead of a cluster; repeat, or mix with --context",
      },
      { name: "check", type: "boolean", description: "write nothing; exit 3 and list the files that would change" },
      {
        name: "allow-empty",
        type: "boolean",
        description: "write the folder even when the sources serve no group/version, or a target contributes none (an error otherwise)",
      },
      strictTargetsFlag,
      {
        name: "allow-untyped",
        type: "boolean",
        description: "generate resources no OpenAPI schema describes as untyped (an error otherwise, after waiting up to 30s for a new CRD's schema)",
      },
      { name: "record", type: "string", valueName: "DIR", description: "also record every document read into a snapshot folder" },
      {
        name: "no-validators",
        type: "boolean",
        description: "do not write <group>/<version>.validate.ts (the schema's rules as data, loaded only by validate() and before-send checks)",
      },
      ...cacheFlags,
      generateQuietFlag,
      helpFlag,
    ],
    notes:
      "Every run prints the API changes since the previous generation (from <out>/manifest.json),\n" +
      "with removals and type changes marked BREAKING.\n" +
      "Several targets (--context A --context B, --from DIR --from DIR, or a mix) generate what every one\n" +
      "of them serves: group/versions, resources, verbs and fields missing from one are left out, types that\n" +
      "differ take the form all accept; the run lists what was left out and why, as does manifest.json.\n" +
      "An OpenAPI folder of a release (only built-in groups, as ../openapi-v3/1.25) describes no cluster's CRDs:\n" +
      "it keeps the CRD groups the other targets serve, and the run says so (--strict-targets: it does not).\n" +
      "Regenerating is incremental: documents whose hash is cached are not fetched again, unchanged files\n" +
      "are not rewritten, and an unchanged cluster over an untouched folder is a no-op.\n" +
      "$KUBETYPED_CACHE_DIR, when set, replaces ${XDG_CACHE_HOME:-~/.cache}/kubetyped.",
  },
  check: {
    name: "check",
    summary: "type-check the project against another cluster's API before upgrading to it",
    usage: "kubetyped check --against DIR... | --context NAME... [--kubeconfig FILE] [--out DIR] [--project FILE]",
    flags: [
      {
        name: "against",
        type: "string",
        valueName: "DIR",
        repeatable: true,
        description: "a snapshot or OpenAPI v3 folder of the cluster to check against; repeat for several",
      },
      ...connectionFlags.map((flag) =>
        flag.name === "context" ? { ...flag, repeatable: true, description: "a kubeconfig context to check against (a live cluster); repeat for several" } : flag,
      ),
      { name: "out", type: "string", valueName: "DIR", default: "generated", description: "the project's generated folder (what `generate --out` wrote)" },
      { name: "project", type: "string", valueName: "FILE", default: "tsconfig.json", description: "the project's tsconfig" },
      strictTargetsFlag,
      ...cacheFlags,
      quietFlag,
      helpFlag,
    ],
    notes:
      "Generates <out> for each target into a temporary folder and type-checks the project (its tsconfig and\n" +
      "TypeScript) as if that were <out>; nothing in the project changes. Each new error is printed as\n" +
      "file:line with the API change behind it. Errors the project has today are not counted.\n" +
      "An OpenAPI folder of a release (only built-in groups) keeps the CRD groups of <out> (said per target;\n" +
      "--strict-targets: it does not), as the cluster upgraded to that release would.",
  },
  validate: {
    name: "validate",
    summary: "check manifests (YAML/JSON) against the generated validators or the schemas of clusters and folders",
    usage: "kubetyped validate -f FILE|DIR|- ... [--out DIR | --from DIR... | --context NAME...] [--output text|json]",
    flags: [
      {
        name: "filename",
        type: "string",
        valueName: "FILE",
        repeatable: true,
        description: "(-f) a manifest file, a folder (every .yaml/.yml/.json below) or - (stdin); repeat",
      },
      { name: "out", type: "string", valueName: "DIR", default: "generated", description: "the generated folder whose validators (<group>/<version>.validate.ts) to use" },
      { name: "from", type: "string", valueName: "DIR", repeatable: true, description: "check against a snapshot or OpenAPI v3 folder instead; repeat: valid on all" },
      ...connectionFlags.map((flag) => (flag.name === "context" ? { ...flag, repeatable: true, description: "check against a cluster of your kubeconfig; repeat: valid on all" } : flag)),
      { name: "output", type: "string", valueName: "FORMAT", default: "text", description: "text (one line per problem: file:doc:path: message) or json" },
      ...cacheFlags,
      helpFlag,
    ],
    notes:
      "Checks what the API server checks from the schema: types, formats, enums, patterns (Go's regexp dialect),\n" +
      "bounds, lengths, item and property counts, required fields, list-type sets and maps; CEL rules where the\n" +
      "evaluator compiles them. What it cannot check is left to the server, never refused.\n" +
      "Exit 3 when a manifest is invalid; 1 when an input is not YAML, has no apiVersion/kind, or names a kind\n" +
      "the target does not serve.",
  },
  snapshot: {
    name: "snapshot",
    summary: "record discovery and OpenAPI documents of a cluster into a folder",
    usage: "kubetyped snapshot --out DIR [--kubeconfig FILE] [--context NAME] [--groups LIST]",
    flags: [
      ...connectionFlags,
      { name: "out", type: "string", valueName: "DIR", description: "snapshot folder to write (required; replaced if it exists)" },
      groupsFlag,
      quietFlag,
      helpFlag,
    ],
    notes:
      "Layout: one file per URL path (`/apis/batch/v1` → apis/batch/v1.json); aggregated discovery answers\n" +
      "are stored as <path>.aggregated.json. `kubetyped generate --from DIR` replays it without a cluster.",
  },
  diff: {
    name: "diff",
    summary: "show API changes between two snapshots, OpenAPI v3 folders or generated folders",
    usage: "kubetyped diff --from DIR --to DIR [--groups LIST] [--json]",
    flags: [
      { name: "from", type: "string", valueName: "DIR", description: "the older snapshot, OpenAPI v3 folder or generated folder (required)" },
      { name: "to", type: "string", valueName: "DIR", description: "the newer snapshot, OpenAPI v3 folder or generated folder (required)" },
      groupsFlag,
      { name: "json", type: "boolean", description: "print the report as JSON" },
      quietFlag,
      helpFlag,
    ],
    notes:
      "A snapshot is what `kubetyped snapshot --out` records; an OpenAPI v3 folder holds api/v1.json and\n" +
      "apis/<group>/<version>.json; a generated folder is read from its manifest.json. The same report\n" +
      "`kubetyped generate` prints after each run.",
  },
  "local-cluster": {
    name: "local-cluster",
    summary: "run a throwaway etcd + kube-apiserver on 127.0.0.1 (up | down | env | status)",
    usage: "kubetyped local-cluster up|down|env|status",
    flags: [],
  },
};

export function commandHelp(spec: CommandSpec): string {
  const rows = spec.flags.map((flag) => {
    const left = `--${flag.name}${flag.type === "string" ? ` ${flag.valueName ?? "VALUE"}` : ""}`;
    const suffix = flag.default === undefined ? "" : ` (default: ${flag.default})`;
    return `  ${left.padEnd(32)}${flag.description}${suffix}`;
  });
  return [
    `Usage: ${spec.usage}`,
    "",
    `${spec.summary[0]?.toUpperCase()}${spec.summary.slice(1)}.`,
    "",
    "Flags (--flag value or --flag=value):",
    ...rows,
    ...(spec.notes ? ["", spec.notes] : []),
    "",
    EXIT_CODES,
    "",
  ].join("\n");
}

export function mainHelp(version: string): string {
  const rows = Object.values(COMMANDS).map((spec) => `  ${spec.name.padEnd(16)}${spec.summary}`);
  return [
    `kubetyped ${version}: typed, verb-limited Kubernetes clients generated from your own cluster`,
    "",
    "Usage: kubetyped <command> [flags]",
    "",
    "Commands:",
    ...rows,
    "",
    "Flags:",
    `  ${"--help".padEnd(16)}show help (also: kubetyped <command> --help)`,
    `  ${"--version".padEnd(16)}print the version`,
    "",
    "Connection: --kubeconfig/--context as kubectl, --in-cluster inside a pod; without them $KUBECONFIG,",
    "~/.kube/config, then in-cluster. `kubetyped local-cluster up` starts a local control plane to try it on.",
    "",
    EXIT_CODES,
    "",
  ].join("\n");
}

// What the editor must offer on a resource client, derived from the recorded discovery (not from the generated
// code under test): the served verbs, `apply`/`listAll`/`listPages` where they follow, each subresource, `descriptor`.
import { readFileSync } from "node:fs";
import path from "node:path";

/** One `export const x = defineResource<...>()({ group, version, plural, ... })` of a generated module. */
export interface GeneratedDescriptor {
  /** The module path without `.ts` (`core/v1`). */
  module: string;
  exportName: string;
  group: string;
  version: string;
  plural: string;
}

// A descriptor as emitted: on one line when it fits, else one property per line (as prettier lays it out).
const DESCRIPTOR = /^export const (\w+) = defineResource<.*?>\(\)\(\{\s*group: "([^"]*)",\s*version: "([^"]*)",\s*plural: "([^"]*)"/gm;

/** The descriptors of generated module files (`path` relative to the output folder, as `emitModules` answers them). */
export function descriptorsIn(files: readonly { path: string; content: string }[]): GeneratedDescriptor[] {
  return files.flatMap((file) =>
    [...file.content.matchAll(DESCRIPTOR)].map(([, exportName, group, version, plural]) => ({
      module: file.path.replace(/\.ts$/, ""),
      exportName: exportName!,
      group: group!,
      version: version!,
      plural: plural!,
    })),
  );
}

interface DiscoveredResource {
  name: string;
  verbs: string[];
}

/** The recorded discovery of one group/version: each resource's verbs, subresources as `plural/sub`. */
function discovery(liveDir: string, group: string, version: string): DiscoveredResource[] {
  const file = group === "" ? path.join(liveDir, "api", `${version}.json`) : path.join(liveDir, "apis", group, `${version}.json`);
  return (JSON.parse(readFileSync(file, "utf8")) as { resources: DiscoveredResource[] }).resources;
}

// How a client shows a subresource: JSON ones as a property of that name, streaming ones as methods, proxy not at all.
const STREAMING_MEMBERS: Readonly<Record<string, readonly string[]>> = { log: ["log"], exec: ["exec", "execAndCollect"], attach: ["attach"], portforward: ["portforward"], proxy: [] };
const SUBRESOURCE_VERBS = new Set(["get", "create", "update", "patch"]);

/** What completion must list after `kube.resource(d).`, and after `.sub.` for each JSON subresource. */
export function expectedMembers(liveDir: string, descriptor: GeneratedDescriptor): { client: string[]; subresources: Map<string, string[]> } {
  const resources = discovery(liveDir, descriptor.group, descriptor.version);
  const main = resources.find((resource) => resource.name === descriptor.plural);
  if (!main) throw new Error(`${descriptor.module}: ${descriptor.plural} is not in the recorded discovery`);
  const client = new Set([...main.verbs, "descriptor", "validate"]);
  if (main.verbs.includes("patch")) client.add("apply");
  if (main.verbs.includes("list")) ["listAll", "listPages"].forEach((name) => client.add(name));
  const subresources = new Map<string, string[]>();
  for (const resource of resources.filter((candidate) => candidate.name.startsWith(`${descriptor.plural}/`))) {
    const name = resource.name.slice(descriptor.plural.length + 1);
    const streaming = STREAMING_MEMBERS[name];
    if (streaming) streaming.forEach((member) => client.add(member));
    else {
      client.add(name);
      subresources.set(name, resource.verbs.filter((verb) => SUBRESOURCE_VERBS.has(verb)).sort());
    }
  }
  return { client: [...client].sort(), subresources };
}

/** A place in the probe file to ask for completions, and what must come back. */
export interface Probe {
  label: string;
  position: number;
  expected: string[];
}

/**
 * A source file that makes every descriptor's client (and each JSON subresource client) once, with the position
 * right after each `.` where an editor would ask for members.
 */
export function probeSource(liveDir: string, descriptors: readonly GeneratedDescriptor[]): { text: string; probes: Probe[] } {
  const modules = [...new Set(descriptors.map((descriptor) => descriptor.module))];
  let text = 'import type { KubeClient } from "kubetyped/runtime";\n';
  modules.forEach((module, index) => (text += `import * as m${index} from "./gen/${module}.js";\n`));
  text += "declare const kube: KubeClient;\nexport function probes(): void {\n";
  const probes: Probe[] = [];
  const probe = (label: string, prefix: string, expected: string[]) => {
    text += `  void ${prefix}`;
    probes.push({ label, position: text.length, expected });
    text += "descriptor;\n";
  };
  for (const descriptor of descriptors) {
    const client = `kube.resource(m${modules.indexOf(descriptor.module)}.${descriptor.exportName}).`;
    const expected = expectedMembers(liveDir, descriptor);
    probe(`${descriptor.module} ${descriptor.plural}`, client, expected.client);
    for (const [name, verbs] of expected.subresources) probe(`${descriptor.module} ${descriptor.plural}/${name}`, `${client}${name}.`, verbs);
  }
  return { text: `${text}}\n`, probes };
}

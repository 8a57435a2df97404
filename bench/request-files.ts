// `node dist/bench/request-files.js`: the product files one `get` goes through from the KubeClient facade to undici, counted
// two ways on a local server: the call stack (async frames too) when undici is handed the request, and every file
// V8's precise coverage saw a function of run during the second of two gets (helpers that returned before the send too).
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Session } from "node:inspector/promises";
import { Dispatcher } from "undici";
import { clientFromConnection } from "../runtime/index.js";
import { defineResource } from "../runtime/entries/plumbing.js";

const configmaps = defineResource<{ metadata: { name: string } }>()({ group: "", version: "v1", plural: "configmaps", kind: "ConfigMap", namespaced: true, verbs: ["get"] });

interface ScriptCoverage {
  url: string;
  functions: Array<{ functionName: string; ranges: Array<{ count: number }> }>;
}

async function main(): Promise<void> {
  const server = createServer((_request, response) => response.writeHead(200, { "content-type": "application/json" }).end('{"metadata":{"name":"a"}}'));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const kube = clientFromConnection({ server: `http://127.0.0.1:${port}`, tls: { insecureSkipVerify: false }, credentials: { type: "none" }, namespace: "default", source: "request-files" });
  const client = kube.resource(configmaps);
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.startPreciseCoverage", { callCount: true, detailed: false });
  await client.get("a");
  await session.post("Profiler.takePreciseCoverage"); // the first get's counts (and every module's loading) are dropped
  const stack = await stackAtUndici(() => client.get("a"));
  const { result } = (await session.post("Profiler.takePreciseCoverage")) as { result: ScriptCoverage[] };
  const product = result
    .filter((script) => /dist\/runtime\//.test(script.url))
    .map((script) => ({ file: script.url.replace(/^.*dist\//, ""), functions: script.functions.filter((fn) => fn.ranges[0]!.count > 0).map((fn) => fn.functionName || "(anonymous)") }))
    .filter((entry) => entry.functions.length > 0)
    .sort((a, b) => a.file.localeCompare(b.file));
  process.stdout.write(`call stack when undici gets the request (innermost first):\n${stack.map((frame) => `  ${frame}\n`).join("")}`);
  process.stdout.write(`${new Set(stack.map((frame) => frame.replace(/:.*$/, ""))).size} product files on that stack\n\nfiles that ran code:\n`);
  for (const entry of product) process.stdout.write(`  ${entry.file}: ${entry.functions.join(", ")}\n`);
  process.stdout.write(`${product.length} product files run code during one get\n`);
  await kube.close();
  server.close();
}

/** The product frames (`file:function`) on the stack when `run` hands undici its request. */
async function stackAtUndici(run: () => Promise<unknown>): Promise<string[]> {
  const original = Dispatcher.prototype.request;
  let stack = "";
  Error.stackTraceLimit = 100;
  Dispatcher.prototype.request = function (this: Dispatcher, ...args: unknown[]) {
    stack ||= new Error("here").stack ?? "";
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    await run();
  } finally {
    Dispatcher.prototype.request = original;
  }
  return stack
    .split("\n")
    .filter((line) => /dist\/runtime\//.test(line))
    .map((line) => {
      const [, name, file] = /at (?:async )?(?:(\S+) \()?.*?dist\/(runtime\/[^:]+)/.exec(line) ?? [];
      return `${file}:${name ?? "(anonymous)"}`;
    });
}

await main();

// What the stream tests share: a pods descriptor with the streaming subresources, and readers of a stream's bytes.
import type { Readable } from "node:stream";
import { defineResource } from "../../runtime/entries/plumbing.js";

/** Shaped like the generated core/v1 pods descriptor, streaming subresources included. */
export const streamingPods = defineResource<{ apiVersion?: "v1"; kind?: "Pod"; metadata?: { name?: string } }>()({
  group: "",
  version: "v1",
  plural: "pods",
  kind: "Pod",
  namespaced: true,
  verbs: ["create", "delete", "get", "list"],
  subresources: {
    attach: { verbs: ["create", "get"], kind: "PodAttachOptions" },
    exec: { verbs: ["create", "get"], kind: "PodExecOptions" },
    log: { verbs: ["get"] },
    portforward: { verbs: ["create", "get"], kind: "PodPortForwardOptions" },
  },
});

/** Everything the stream gives until it ends, as UTF-8. */
export async function text(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads until at least `expected` bytes have arrived (or the stream ends), then lets go of the stream. */
export async function readBytes(stream: Readable, expected: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of stream) {
    chunks.push(chunk as Buffer);
    received += (chunk as Buffer).length;
    if (received >= expected) break;
  }
  return Buffer.concat(chunks);
}

// Every way the CBOR section decodes a recorded answer: the runtime's own JSON paths, and CBOR through
// cborg, a minimal decoder of our own, cbor-x and cbor2.
import { parseJson, readListPage } from "../../runtime/rest/json-body.js";
import type { ResponseBody } from "../../runtime/rest/types.js";
import { decodeWatchEvents } from "../../runtime/watch/decode.js";
import { decodeKubernetesCbor, decodeKubernetesCborSequence } from "./decode.js";
import { loadCbor2, loadCborX } from "./libraries.js";
import { decodeMinimal } from "./minimal.js";
import type { WireFormat } from "./record.js";

export interface Decoder {
  column: string;
  format: WireFormat;
  /** A list answer to the object JSON.parse gives for it; undefined when this decoder has no such path. */
  list?: (chunks: Buffer[]) => Promise<unknown>;
  /** A watch answer to its events, in order. */
  watch?: (chunks: Buffer[]) => Promise<unknown[]>;
  /** Why it cannot run at all (a library that is not installed). */
  missing?: string;
}

/** A recorded answer as undici's body: its chunks again, or its text. */
function replay(chunks: Buffer[]): ResponseBody {
  return {
    async *[Symbol.asyncIterator]() {
      yield* chunks;
    },
    text: async () => Buffer.concat(chunks).toString("utf8"),
  };
}

/** The columns of the section's table, in order. */
export async function loadDecoders(): Promise<Decoder[]> {
  const sequence = (decode: (data: Buffer) => unknown[]) => ({
    list: async (chunks: Buffer[]) => decode(Buffer.concat(chunks))[0],
    watch: async (chunks: Buffer[]) => decode(Buffer.concat(chunks)),
  });
  const library = async (column: string, load: typeof loadCborX): Promise<Decoder> => {
    const loaded = await load();
    return "missing" in loaded ? { column, format: "cbor", missing: loaded.missing } : { column, format: "cbor", ...sequence((data) => loaded.decode(data)) };
  };
  return [
    {
      column: "json",
      format: "json",
      // What the runtime does with an answer it reads whole (a get, an unpaged list) and with a watch.
      list: async (chunks) => parseJson(Buffer.concat(chunks).toString("utf8"), "bench"),
      watch: async (chunks) => {
        const events: unknown[] = [];
        for await (const event of decodeWatchEvents(replay(chunks), "bench")) events.push(event);
        return events;
      },
    },
    // What it does with a page of a paged list: items parsed in batches as they arrive (rest/json-body.ts).
    { column: "json-batched", format: "json", list: (chunks) => readListPage(replay(chunks), undefined, "bench") },
    {
      column: "cbor",
      format: "cbor",
      list: async (chunks) => decodeKubernetesCbor(Buffer.concat(chunks)),
      watch: async (chunks) => decodeKubernetesCborSequence(Buffer.concat(chunks)),
    },
    { column: "cbor-minimal", format: "cbor", ...sequence(decodeMinimal) },
    await library("cbor-x", loadCborX),
    await library("cbor2", loadCbor2),
  ];
}

export const DECODER_COLUMNS = ["json", "json-batched", "cbor", "cbor-minimal", "cbor-x", "cbor2"] as const;

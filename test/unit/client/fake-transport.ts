import type { RequestTransport, ResponseBody } from "../../../runtime/rest/types.js";

type SentRequest = Parameters<RequestTransport["send"]>[0];
type Reply = { statusCode?: number; body?: unknown; chunks?: string[] } | ((request: SentRequest) => Promise<never> | { statusCode?: number; body?: unknown; chunks?: string[] });

function bodyOf(chunks: string[]): ResponseBody {
  return {
    text: async () => chunks.join(""),
    async *[Symbol.asyncIterator]() {
      for (const chunk of chunks) yield new TextEncoder().encode(chunk);
    },
  };
}

/** A transport that records every request and answers from a queue (default: 200 `{}`). */
export class FakeTransport implements RequestTransport {
  readonly server: string = "https://k8s.example:6443";
  readonly sent: SentRequest[] = [];
  readonly #replies: Reply[] = [];
  closed = false;

  reply(...replies: Reply[]): this {
    this.#replies.push(...replies);
    return this;
  }

  async send(request: SentRequest) {
    this.sent.push(request);
    let reply = this.#replies.shift() ?? { body: {} };
    if (typeof reply === "function") reply = await reply(request);
    const chunks = reply.chunks ?? [typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body ?? {})];
    return { statusCode: reply.statusCode ?? 200, headers: {}, body: bodyOf(chunks) };
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** The last request with its body parsed. */
  get last(): SentRequest & { json: unknown } {
    const request = this.sent.at(-1)!;
    return { ...request, json: typeof request.body === "string" ? JSON.parse(request.body) : undefined };
  }
}

// The platform's fetch as a dispatcher, for runtimes whose `undici` module has no working Agent (Bun ships a stand-in).
import type { EventEmitter } from "node:events";
import { Readable } from "node:stream";
import type { ConnectionOptions } from "node:tls";
import type { Dispatcher } from "undici";

/** True when `undici`'s Agent can send requests here (Node, Deno); false where the module is a stand-in (Bun). */
export function undiciAgentWorks(agent: { prototype: object }): boolean {
  return typeof (agent.prototype as { request?: unknown }).request === "function";
}

/**
 * What the transport uses of an undici dispatcher (`request`, `close`, `destroy`), over `fetch` with the
 * cluster's TLS settings and http(s) proxy in the options Bun's fetch takes (`tls`, `proxy`). Redirects are
 * answered as they are, as undici does; bodies are Node streams with `text()` and `dump()`.
 */
export function createFetchDispatcher(tls: ConnectionOptions, proxyUrl?: string): Dispatcher {
  const open = new Set<AbortController>();
  const dispatcher = {
    async request(options: Dispatcher.RequestOptions): Promise<Pick<Dispatcher.ResponseData, "statusCode" | "headers" | "body">> {
      const controller = new AbortController();
      open.add(controller);
      const forget = linkAbort(options.signal as EventEmitter | AbortSignal | undefined, controller);
      try {
        const response = await fetch(new URL(options.path, options.origin as string), {
          method: options.method,
          headers: options.headers as Record<string, string>,
          body: (options.body ?? null) as Exclude<NonNullable<Parameters<typeof fetch>[1]>["body"], undefined>,
          redirect: "manual",
          signal: controller.signal,
          ...({ tls: bunTlsOptions(tls), ...(proxyUrl === undefined ? {} : { proxy: proxyUrl }) } as object),
        });
        // The signal keeps applying to the body (a watch ends when its caller aborts), until the body closes.
        const done = () => {
          forget();
          open.delete(controller);
        };
        return { statusCode: response.status, headers: Object.fromEntries(response.headers), body: bodyOf(response, controller.signal, done) };
      } catch (error) {
        forget();
        open.delete(controller);
        throw error;
      }
    },
    async close(): Promise<void> {},
    async destroy(): Promise<void> {
      for (const controller of open) controller.abort();
    },
  };
  return dispatcher as unknown as Dispatcher;
}

/** Node's TLS option names as Bun's fetch spells them. */
function bunTlsOptions(tls: ConnectionOptions): object {
  return {
    rejectUnauthorized: tls.rejectUnauthorized !== false,
    ...(tls.ca === undefined ? {} : { ca: tls.ca }),
    ...(tls.cert === undefined ? {} : { cert: tls.cert }),
    ...(tls.key === undefined ? {} : { key: tls.key }),
    ...(tls.servername === undefined ? {} : { serverName: tls.servername }),
  };
}

/** The request's signal (undici takes an AbortSignal or an emitter of `abort`) aborting the fetch; answers the unlink. */
function linkAbort(signal: EventEmitter | AbortSignal | undefined, controller: AbortController): () => void {
  if (signal === undefined) return () => {};
  const abort = () => controller.abort((signal as { reason?: unknown }).reason);
  if ((signal as { aborted?: boolean }).aborted) abort();
  if ("addEventListener" in signal) {
    signal.addEventListener("abort", abort, { once: true });
    return () => signal.removeEventListener("abort", abort);
  }
  signal.once("abort", abort);
  return () => signal.off("abort", abort);
}

/** A fetch body as undici hands bodies out: a Node stream with `text()` and `dump()`. */
function bodyOf(response: Response, aborted: AbortSignal, done: () => void): Dispatcher.ResponseData["body"] {
  const stream = response.body === null ? Readable.from([]) : Readable.fromWeb(response.body as import("node:stream/web").ReadableStream<Uint8Array>);
  stream.once("close", done);
  // Aborting the fetch errors its web stream only when read next; the Node stream must end at once.
  aborted.addEventListener("abort", () => stream.destroy(aborted.reason instanceof Error ? aborted.reason : new Error("aborted")), { once: true });
  return Object.assign(stream, {
    async text(): Promise<string> {
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
      return Buffer.concat(chunks).toString("utf8");
    },
    async json(): Promise<unknown> {
      return JSON.parse(await this.text());
    },
    async dump(): Promise<void> {
      stream.destroy();
    },
  }) as unknown as Dispatcher.ResponseData["body"];
}

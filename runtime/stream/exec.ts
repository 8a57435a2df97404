// exec and attach sessions over the channel protocol: stdout/stderr as streams, stdin as a Writable, the exit status from the error channel.
import { Readable, Writable } from "node:stream";
import type { RestClient } from "../rest/types.js";
import { statusErrorFromStatus } from "../rest/status-errors.js";
import { appendQuery } from "../request/raw.js";
import { RequestValidationError } from "../request/validation.js";
import type { QueryParams } from "../request/query.js";
import { CLOSE_CHANNEL, EXEC_PROTOCOLS, ExecChannel, parseExitStatus, terminalSizeJson, type ChannelMessage, type ExitStatus } from "./channel-protocol.js";
import { openChannelSession, type ChannelSession, type SessionEnd } from "./channel-session.js";

/** What to connect for `attach` (and `exec`): which container and which standard streams. */
export interface AttachOptions {
  /** Container name; the server picks the only one (or the default-container annotation) when omitted. */
  container?: string | undefined;
  /** `true` to write to `session.stdin` yourself; a Readable, string or bytes are sent and then closed. */
  stdin?: boolean | Readable | string | Uint8Array | undefined;
  /** Default true. */
  stdout?: boolean | undefined;
  /** Default true, except with `tty` (a terminal merges stderr into stdout). */
  stderr?: boolean | undefined;
  /** Allocate a terminal; `resize` then sets its size. */
  tty?: boolean | undefined;
  /** Closes the session; `result` rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** The command of an exec session, its container, and which of stdin/stdout/stderr/tty to open. */
export interface ExecOptions extends AttachOptions {
  /** The command and its arguments, not run through a shell: `["sh", "-c", "echo hi"]`. */
  command: readonly string[];
}

/** A running exec or attach session. */
export interface ExecSession {
  /** The subprotocol in use: `v5.channel.k8s.io` (stdin can be closed) or `v4.channel.k8s.io`. */
  readonly protocol: string;
  /** The process's output; ends when the process ends (already ended when not requested). */
  readonly stdout: Readable;
  readonly stderr: Readable;
  /**
   * The process's input. `end()` closes it on v5; v4 has no way to say so, the process keeps waiting.
   * Writes after the session ended are dropped (the outcome is in `result`).
   */
  readonly stdin: Writable;
  /** Sets the terminal size (with `tty`). */
  resize(width: number, height: number): Promise<void>;
  /** How the process ended: exit code 0 for `Success`, else the code from the `NonZeroExitCode` status. */
  readonly result: Promise<ExitStatus>;
  /** Ends the session now (the process may keep running for attach). */
  close(): void;
}

/** Output of `execAndCollect`. */
export interface CollectedExec extends ExitStatus {
  stdout: string;
  stderr: string;
}

/** The query of `pods/exec` and `pods/attach` (PodExecOptions / PodAttachOptions); only `true` flags are sent. */
export function buildExecQuery(options: AttachOptions & { command?: readonly string[] }): QueryParams {
  const tty = options.tty === true;
  const query: Record<string, string | boolean | readonly string[]> = {};
  if (options.command !== undefined) {
    if (!Array.isArray(options.command) || options.command.length === 0 || options.command.some((part) => typeof part !== "string")) {
      throw new RequestValidationError("command", 'give the command as a non-empty array of strings, e.g. ["sh", "-c", "echo hi"]');
    }
    query.command = options.command;
  }
  if (options.container !== undefined) query.container = options.container;
  const streams = { stdin: options.stdin !== undefined && options.stdin !== false, stdout: options.stdout ?? true, stderr: options.stderr ?? !tty };
  if (!streams.stdin && !streams.stdout && !streams.stderr) {
    throw new RequestValidationError("stdin/stdout/stderr", "at least one of stdin, stdout and stderr must be requested");
  }
  for (const [name, wanted] of Object.entries(streams)) if (wanted) query[name] = true;
  if (tty) query.tty = true;
  return query as QueryParams;
}

/**
 * What the process sends back: stdout and stderr as Readables, and the outcome from the error channel (one
 * Status that may arrive in pieces) or from how the session ended. Settles once; later output is dropped.
 */
class ExecOutput {
  readonly stdout = new Readable({ read() {} });
  readonly stderr = new Readable({ read() {} });
  readonly result: Promise<ExitStatus>;
  settled = false;
  #errorText = "";
  #resolve!: (status: ExitStatus) => void;
  #reject!: (error: unknown) => void;

  constructor(private readonly closeSession: () => void) {
    this.result = new Promise<ExitStatus>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // A caller who only reads stdout must not crash the process with an unhandled rejection.
    this.result.catch(() => {});
  }

  message({ channel, data }: ChannelMessage, url: string): void {
    if (channel === ExecChannel.stdout) this.stdout.push(Buffer.from(data));
    else if (channel === ExecChannel.stderr) this.stderr.push(Buffer.from(data));
    else if (channel === ExecChannel.error) {
      this.#errorText += new TextDecoder().decode(data);
      this.#onErrorChannel(url);
    } else if (channel === CLOSE_CHANNEL) {
      if (data[0] === ExecChannel.stdout) this.#end(this.stdout);
      if (data[0] === ExecChannel.stderr) this.#end(this.stderr);
    }
  }

  ended(end: SessionEnd, url: string): void {
    if (end.error) return this.#settle(end.error);
    if (this.#errorText !== "") {
      try {
        this.#onErrorChannel(url);
      } catch (error) {
        return this.#settle(error as Error);
      }
    }
    // client-go reads an empty error stream as success; so does this.
    this.#settle({ exitCode: 0 });
  }

  /** Ends the streams the caller did not ask for, so reading them does not wait forever. */
  endUnrequested(query: QueryParams): void {
    if (query.stdout !== true) this.#end(this.stdout);
    if (query.stderr !== true) this.#end(this.stderr);
  }

  /** The error channel holds one Status; it may arrive in pieces, so parse once it reads as JSON. */
  #onErrorChannel(url: string): void {
    let parsed: ReturnType<typeof parseExitStatus>;
    try {
      parsed = parseExitStatus(this.#errorText);
    } catch (error) {
      if (looksIncomplete(this.#errorText)) return;
      throw error;
    }
    this.#settle("failure" in parsed ? statusErrorFromStatus(parsed.failure, { method: "GET", url }) : parsed);
    this.closeSession();
  }

  #settle(outcome: ExitStatus | Error): void {
    if (this.settled) return;
    this.settled = true;
    this.#end(this.stdout);
    this.#end(this.stderr);
    if (outcome instanceof Error) this.#reject(outcome);
    else this.#resolve(outcome);
  }

  #end(stream: Readable): void {
    if (!stream.readableEnded) stream.push(null);
  }
}

/** Opens `pods/exec` or `pods/attach` at `path` (no query) over WebSocket. */
export async function openExecSession(rest: RestClient, path: string, options: AttachOptions & { command?: readonly string[] }): Promise<ExecSession> {
  const query = buildExecQuery(options);
  let session: ChannelSession | undefined;
  const output = new ExecOutput(() => session?.close());
  let url = "";
  session = await openChannelSession(rest, { path: appendQuery(path, query), protocols: EXEC_PROTOCOLS, ...(options.signal && { signal: options.signal }) }, {
    message: (message) => output.message(message, url),
    ended: (end) => output.ended(end, url),
  });
  url = session.url;
  const open = session;
  output.endUnrequested(query);
  const stdin = stdinWritable(open, query, () => output.settled);
  feedStdin(options.stdin, stdin);
  return {
    protocol: open.protocol,
    stdout: output.stdout,
    stderr: output.stderr,
    stdin,
    resize: async (width, height) => {
      if (!output.settled) await open.send(ExecChannel.resize, terminalSizeJson(width, height));
    },
    result: output.result,
    close: () => open.close(),
  };
}

/** The session's stdin: writes go to the stdin channel until the session settles; `end()` closes the channel (v5). */
function stdinWritable(session: ChannelSession, query: QueryParams, settled: () => boolean): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (query.stdin !== true) return callback(new RequestValidationError("stdin", "stdin was not requested; pass stdin: true"));
      if (settled()) return callback();
      session.send(ExecChannel.stdin, chunk).then(() => callback(), () => callback());
    },
    final(callback) {
      if (!settled()) session.closeChannel(ExecChannel.stdin);
      callback();
    },
  });
}

function feedStdin(source: AttachOptions["stdin"], stdin: Writable): void {
  if (source === undefined || source === true || source === false) return;
  if (typeof source === "string" || source instanceof Uint8Array) {
    stdin.end(source);
    return;
  }
  source.pipe(stdin);
}

/** A Status cut short ends without its closing brace. */
function looksIncomplete(text: string): boolean {
  return !text.trimEnd().endsWith("}");
}

/** `execAndCollect` takes its stdin up front (nothing to write to later). */
export type CollectExecOptions = Omit<ExecOptions, "stdin"> & { stdin?: string | Uint8Array | Readable | undefined };

/** Runs to the end and collects the output as text (UTF-8). */
export async function collectExec(session: ExecSession): Promise<CollectedExec> {
  const [stdout, stderr, status] = await Promise.all([readAll(session.stdout), readAll(session.stderr), session.result]);
  return { ...status, stdout, stderr };
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

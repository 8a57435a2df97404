import { Readable, Writable } from "node:stream";
import type { KubeClient } from "../client/kube-client.js";
import { statusErrorFromStatus } from "../errors.js";
import { buildQuery, RequestValidationError, type QueryParams } from "../request/index.js";
import { EXEC_PROTOCOLS, ExecChannel, parseExitStatus, terminalSizeJson, type ExitStatus } from "./channel-protocol.js";
import { openChannelSession, type ChannelSession, type SessionEnd } from "./channel-session.js";

/** What to connect for `attach` (and `exec`): which container and which standard streams. */
export interface AttachOptions {
  /** Container name; the server picks the only one (or the default-container annotation) when omitted. */
  container?: string;
  /** `true` to write to `session.stdin` yourself; a Readable, string or bytes are sent and then closed. */
  stdin?: boolean | Readable | string | Uint8Array;
  /** Default true. */
  stdout?: boolean;
  /** Default true, except with `tty` (a terminal merges stderr into stdout). */
  stderr?: boolean;
  /** Allocate a terminal; `resize` then sets its size. */
  tty?: boolean;
  /** Closes the session; `result` rejects with the signal's reason. */
  signal?: AbortSignal;
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

/** Opens `pods/exec` or `pods/attach` at `path` (no query) over WebSocket. */
export async function openExecSession(kube: KubeClient, path: string, options: AttachOptions & { command?: readonly string[] }): Promise<ExecSession> {
  const query = buildExecQuery(options);
  const stdout = new Readable({ read() {} });
  const stderr = new Readable({ read() {} });
  let errorText = "";
  let settled = false;
  let session: ChannelSession | undefined;
  let resolveResult!: (status: ExitStatus) => void;
  let rejectResult!: (error: unknown) => void;
  const result = new Promise<ExitStatus>((resolve, reject) => {
    resolveResult = resolve;
    rejectResult = reject;
  });
  // A caller who only reads stdout must not crash the process with an unhandled rejection.
  result.catch(() => {});

  const finishOutput = () => {
    if (!stdout.readableEnded) stdout.push(null);
    if (!stderr.readableEnded) stderr.push(null);
  };
  const settle = (outcome: ExitStatus | Error) => {
    if (settled) return;
    settled = true;
    finishOutput();
    if (outcome instanceof Error) rejectResult(outcome);
    else resolveResult(outcome);
  };
  /** The error channel holds one Status; it may arrive in pieces, so parse once it reads as JSON. */
  const onErrorChannel = (url: string) => {
    let parsed: ReturnType<typeof parseExitStatus>;
    try {
      parsed = parseExitStatus(errorText);
    } catch (error) {
      if (looksIncomplete(errorText)) return;
      throw error;
    }
    settle("failure" in parsed ? statusErrorFromStatus(parsed.failure, { method: "GET", url }) : parsed);
    session?.close();
  };
  const onEnded = (end: SessionEnd, url: string) => {
    if (end.error) return settle(end.error);
    if (errorText !== "") {
      try {
        onErrorChannel(url);
      } catch (error) {
        return settle(error as Error);
      }
    }
    // client-go reads an empty error stream as success; so does this.
    settle({ exitCode: 0 });
  };

  let url = "";
  session = await openChannelSession(kube, { path: path + buildQuery(query), protocols: EXEC_PROTOCOLS, ...(options.signal && { signal: options.signal }) }, {
    message: ({ channel, data }) => {
      if (channel === ExecChannel.stdout) stdout.push(Buffer.from(data));
      else if (channel === ExecChannel.stderr) stderr.push(Buffer.from(data));
      else if (channel === ExecChannel.error) {
        errorText += new TextDecoder().decode(data);
        onErrorChannel(url);
      } else if (channel === 255) {
        const closed = data[0];
        if (closed === ExecChannel.stdout && !stdout.readableEnded) stdout.push(null);
        if (closed === ExecChannel.stderr && !stderr.readableEnded) stderr.push(null);
      }
    },
    ended: (end) => onEnded(end, url),
  });
  url = session.url;
  const open = session;
  if (query.stdout !== true) stdout.push(null);
  if (query.stderr !== true) stderr.push(null);

  const stdin = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (query.stdin !== true) return callback(new RequestValidationError("stdin", "stdin was not requested; pass stdin: true"));
      if (settled) return callback();
      open.send(ExecChannel.stdin, chunk).then(() => callback(), () => callback());
    },
    final(callback) {
      if (!settled) open.closeChannel(ExecChannel.stdin);
      callback();
    },
  });
  feedStdin(options.stdin, stdin);

  return {
    protocol: open.protocol,
    stdout,
    stderr,
    stdin,
    resize: async (width, height) => {
      const size = terminalSizeJson(width, height);
      if (!settled) await open.send(ExecChannel.resize, size);
    },
    result,
    close: () => open.close(),
  };
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

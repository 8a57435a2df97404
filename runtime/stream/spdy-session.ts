// A minimal SPDY/3.1 client session (streams, replies, resets, pings, GOAWAY, flow control) over any byte transport.
import { StreamClosedError, StreamProtocolError } from "./errors.js";
import { DEFAULT_WINDOW, encodeFrame, RstStatus, SETTINGS_INITIAL_WINDOW_SIZE, SpdyFrameReader, type HeaderPairs, type SpdyFrame } from "./spdy-frames.js";
import { HeaderCompression } from "./spdy-headers.js";

/** Data frames carry at most this much, so one stream cannot hold the tunnel for long. */
const MAX_DATA_FRAME = 64 * 1024;

/** Where the session's bytes go: one call per frame, in order. */
export interface SpdyTransport {
  send(bytes: Uint8Array): Promise<void>;
}

/** What one stream hears from the peer; `ended` once, with an error for a reset or a lost session. */
export interface SpdyStreamHandlers {
  data(bytes: Uint8Array): void;
  /** The peer will send nothing more (FIN); we may still write until we end too. */
  remoteEnded(): void;
  ended(error?: Error): void;
}

/** One client-initiated stream. */
export interface SpdyStream {
  readonly id: number;
  /** Sends `data`, waiting for send window when the peer does flow control. */
  write(data: Uint8Array): Promise<void>;
  /** Half-closes: an empty DATA frame with FIN. */
  end(): Promise<void>;
  /** Abandons the stream (RST_STREAM CANCEL). */
  reset(): void;
}

interface StreamState {
  id: number;
  handlers: SpdyStreamHandlers;
  replied: (error?: Error) => void;
  sendWindow: number;
  unacknowledged: number;
  localFin: boolean;
  remoteFin: boolean;
  done: boolean;
}

/**
 * Streams are opened by us only (odd ids); the peer answers each with SYN_REPLY. Flow control: we credit the peer
 * with WINDOW_UPDATEs as data arrives, and hold our sends to the windows once the peer shows it keeps them (a
 * SETTINGS initial window or a WINDOW_UPDATE): the kubelet's SPDY library (spdystream) does neither and never
 * grants window, so holding to the 64 KiB default would stall every upload behind it.
 */
export class SpdySession {
  private readonly reader = new SpdyFrameReader();
  private readonly compression = new HeaderCompression();
  private readonly streams = new Map<number, StreamState>();
  private nextId = 1;
  private initialSendWindow = DEFAULT_WINDOW;
  private sessionSendWindow = DEFAULT_WINDOW;
  private sessionUnacknowledged = 0;
  private peerKeepsWindows = false;
  private goneAway = false;
  private windowWaiters: Array<() => void> = [];
  private incoming: Promise<void> = Promise.resolve();
  private outgoing: Promise<unknown> = Promise.resolve();
  private failure: Error | undefined;

  constructor(
    private readonly transport: SpdyTransport,
    /** Called once when the peer breaks the protocol; the owner ends the transport. */
    private readonly onProtocolError: (error: Error) => void,
  ) {}

  /** Feeds bytes from the transport; frames are handled strictly in order. */
  receive(bytes: Uint8Array): void {
    for (const frame of this.reader.push(bytes)) {
      this.incoming = this.incoming.then(() => (this.failure ? undefined : this.handle(frame))).catch((error: Error) => this.protocolError(error));
    }
  }

  /** Opens a stream with `headers` and resolves once the peer has replied to it. */
  openStream(headers: HeaderPairs, handlers: SpdyStreamHandlers): Promise<SpdyStream> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.goneAway) return Promise.reject(new StreamClosedError("the server sent GOAWAY: this SPDY session opens no new streams", { url: "", closeCode: 0 }));
    const id = this.nextId;
    this.nextId += 2;
    return new Promise<SpdyStream>((resolve, reject) => {
      const state: StreamState = {
        id,
        handlers,
        replied: (error) => (error ? reject(error) : resolve(this.streamHandle(state))),
        sendWindow: this.initialSendWindow,
        unacknowledged: 0,
        localFin: false,
        remoteFin: false,
        done: false,
      };
      this.streams.set(id, state);
      // Ids must reach the peer in increasing order, and each header block continues the same zlib stream.
      this.outgoing = this.outgoing.then(async () => {
        const headerBlock = await this.compression.compress(headers);
        if (this.failure) throw this.failure;
        await this.transport.send(encodeFrame({ kind: "synStream", streamId: id, associatedId: 0, priority: 0, fin: false, headerBlock }));
      });
      this.outgoing.catch((error: Error) => this.finish(state, error));
    });
  }

  /** The transport ended: every open stream ends, with `error` when it ended badly. */
  end(error?: Error): void {
    this.failure ??= error ?? new StreamClosedError("the SPDY session ended", { url: "", closeCode: 1000 });
    for (const state of [...this.streams.values()]) this.finish(state, error ?? (state.remoteFin ? undefined : this.failure));
    this.wakeWindowWaiters();
    this.compression.close();
  }

  private streamHandle(state: StreamState): SpdyStream {
    return {
      id: state.id,
      write: (data) => this.write(state, data),
      end: async () => {
        if (state.localFin || state.done) return;
        state.localFin = true;
        await this.sendFrame({ kind: "data", streamId: state.id, fin: true, data: new Uint8Array(0) });
        if (state.remoteFin) this.finish(state);
      },
      reset: () => {
        if (state.done) return;
        void this.sendFrame({ kind: "rstStream", streamId: state.id, status: RstStatus.cancel }).catch(() => {});
        this.finish(state);
      },
    };
  }

  private async write(state: StreamState, data: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < data.length) {
      if (state.done || state.localFin) throw new StreamClosedError(`cannot write to SPDY stream ${state.id}: it is closed`, { url: "", closeCode: 0 });
      const room = this.peerKeepsWindows ? Math.min(state.sendWindow, this.sessionSendWindow) : MAX_DATA_FRAME;
      if (room <= 0) {
        await new Promise<void>((wake) => this.windowWaiters.push(wake));
        if (this.failure) throw this.failure;
        continue;
      }
      const size = Math.min(room, MAX_DATA_FRAME, data.length - offset);
      state.sendWindow -= size;
      this.sessionSendWindow -= size;
      await this.sendFrame({ kind: "data", streamId: state.id, fin: false, data: data.subarray(offset, offset + size) });
      offset += size;
    }
  }

  private sendFrame(frame: Exclude<SpdyFrame, { kind: "unknown" }>): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return this.transport.send(encodeFrame(frame));
  }

  private async handle(frame: SpdyFrame): Promise<void> {
    switch (frame.kind) {
      case "synReply":
      case "headers":
        await this.compression.decompress(frame.headerBlock); // keeps the zlib context in step; port-forward needs none of them
        return this.replied(frame.streamId, frame.kind === "synReply", frame.fin);
      case "data":
        return this.data(frame.streamId, frame.data, frame.fin);
      case "rstStream":
        return this.reset(frame.streamId, frame.status);
      case "settings":
        return this.settings(frame.entries);
      case "windowUpdate":
        return this.windowUpdate(frame.streamId, frame.delta);
      case "ping":
        // Even ids are the server's; answering is how it knows we are alive.
        if (frame.id % 2 === 0) await this.sendFrame(frame);
        return;
      case "goAway":
        return this.goAway(frame.lastGoodStreamId);
      case "synStream":
        // The port-forward server never opens streams; refuse rather than ignore, as SPDY asks.
        await this.compression.decompress(frame.headerBlock);
        await this.sendFrame({ kind: "rstStream", streamId: frame.streamId, status: RstStatus.refusedStream });
        return;
      case "unknown":
        return;
    }
  }

  private stream(streamId: number): StreamState | undefined {
    const state = this.streams.get(streamId);
    if (!state && streamId >= this.nextId) throw new StreamProtocolError(`the peer sent a frame for SPDY stream ${streamId}, which was never opened`);
    return state;
  }

  private replied(streamId: number, isReply: boolean, fin: boolean): void {
    const state = this.stream(streamId);
    if (!state) return;
    if (isReply) state.replied();
    if (fin) this.remoteFinished(state);
  }

  private data(streamId: number, bytes: Uint8Array, fin: boolean): void {
    const state = this.stream(streamId);
    if (!state) return;
    if (bytes.length > 0) {
      state.handlers.data(bytes);
      this.credit(state, bytes.length);
    }
    if (fin) this.remoteFinished(state);
  }

  /** Grants the peer window again once half of it is used, per stream and for the session (SPDY/3.1). */
  private credit(state: StreamState, size: number): void {
    state.unacknowledged += size;
    this.sessionUnacknowledged += size;
    const updates: Array<{ streamId: number; delta: number }> = [];
    if (state.unacknowledged >= DEFAULT_WINDOW / 2 && !state.remoteFin) updates.push({ streamId: state.id, delta: state.unacknowledged });
    if (this.sessionUnacknowledged >= DEFAULT_WINDOW / 2) updates.push({ streamId: 0, delta: this.sessionUnacknowledged });
    for (const update of updates) {
      if (update.streamId === 0) this.sessionUnacknowledged = 0;
      else state.unacknowledged = 0;
      void this.sendFrame({ kind: "windowUpdate", ...update }).catch(() => {});
    }
  }

  private remoteFinished(state: StreamState): void {
    if (state.remoteFin) return;
    state.remoteFin = true;
    state.handlers.remoteEnded();
    if (state.localFin) this.finish(state);
  }

  private reset(streamId: number, status: number): void {
    const state = this.stream(streamId);
    if (!state) return;
    const name = Object.entries(RstStatus).find(([, code]) => code === status)?.[0] ?? `status ${status}`;
    const error = new StreamProtocolError(`the server reset SPDY stream ${streamId} (${name})`);
    state.replied(error);
    this.finish(state, status === RstStatus.cancel && state.remoteFin ? undefined : error);
  }

  private settings(entries: ReadonlyArray<{ id: number; value: number }>): void {
    const window = entries.find((entry) => entry.id === SETTINGS_INITIAL_WINDOW_SIZE);
    if (!window) return;
    this.peerKeepsWindows = true;
    for (const state of this.streams.values()) state.sendWindow += window.value - this.initialSendWindow;
    this.initialSendWindow = window.value;
    this.wakeWindowWaiters();
  }

  private windowUpdate(streamId: number, delta: number): void {
    this.peerKeepsWindows = true;
    if (streamId === 0) this.sessionSendWindow += delta;
    else {
      const state = this.stream(streamId);
      if (!state) return;
      state.sendWindow += delta;
    }
    this.wakeWindowWaiters();
  }

  private goAway(lastGoodStreamId: number): void {
    const error = new StreamClosedError(`the server is going away (GOAWAY after stream ${lastGoodStreamId})`, { url: "", closeCode: 0 });
    for (const state of [...this.streams.values()]) if (state.id > lastGoodStreamId) this.finish(state, error);
    this.goneAway = true;
  }

  private wakeWindowWaiters(): void {
    const waiters = this.windowWaiters;
    this.windowWaiters = [];
    for (const wake of waiters) wake();
  }

  private finish(state: StreamState, error?: Error): void {
    if (state.done) return;
    state.done = true;
    this.streams.delete(state.id);
    state.replied(error ?? new StreamClosedError(`SPDY stream ${state.id} ended before the server replied`, { url: "", closeCode: 0 }));
    state.handlers.ended(error);
  }

  private protocolError(error: Error): void {
    if (this.failure) return;
    this.onProtocolError(error);
  }
}

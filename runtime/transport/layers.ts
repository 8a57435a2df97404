import type { TransportRequest, TransportResponse } from "./types.js";

/** Sends one request; layers wrap a Send to add behaviour (auth, retry) without touching each other. */
export type Send = (request: TransportRequest) => Promise<TransportResponse>;
export type Layer = (next: Send) => Send;

/** `compose(a, b)(send)` = a(b(send)): the first layer is the outermost. */
export function compose(...layers: Layer[]): Layer {
  return (send) => layers.reduceRight((next, layer) => layer(next), send);
}

import type { Dispatcher } from "undici";

const MAX_BODY_BYTES = 16 * 1024;

/** What came back for an upgrade request: the WHATWG WebSocket hides it, so we watch the exchange ourselves. */
export interface HandshakeAnswer {
  statusCode?: number;
  body: Buffer[];
  /** A failure before any answer (connect, TLS). */
  error?: Error;
}

/**
 * Wraps a dispatcher so the status and (first bytes of the) body of a refused upgrade are kept: a 401 or a
 * 404 `Status` becomes the same typed error as on any other request instead of a bare "1006".
 */
export function observeHandshake(dispatcher: Dispatcher, answer: HandshakeAnswer): Dispatcher {
  let kept = 0;
  return dispatcher.compose((dispatch) => (options, handler) =>
    dispatch(options, {
      onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
      onRequestUpgrade: (controller, statusCode, headers, socket) => {
        answer.statusCode = statusCode;
        handler.onRequestUpgrade?.(controller, statusCode, headers, socket);
      },
      onResponseStart: (controller, statusCode, headers, statusMessage) => {
        // undici's WebSocket sends a refused upgrade a second time after a 401 (undici 7.x): keep the last answer only.
        answer.statusCode = statusCode;
        answer.body = [];
        kept = 0;
        handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
      },
      onResponseData: (controller, chunk) => {
        if (kept < MAX_BODY_BYTES) {
          answer.body.push(chunk);
          kept += chunk.length;
        }
        handler.onResponseData?.(controller, chunk);
      },
      onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(controller, trailers),
      onResponseError: (controller, error) => {
        answer.error ??= error;
        handler.onResponseError?.(controller, error);
      },
    }),
  );
}

import type { Dispatcher } from "undici";

type Body = Dispatcher.ResponseData["body"];

/**
 * Makes failures while a body is read (a reset, a clean close mid-chunk, a stall, the deadline) reach the
 * caller as the transport's typed errors, not raw undici/Node ones: undici ends a failing body through
 * `destroy(error)`, and `text()`, iteration and `dump()` all reject with that error. `onClosed` runs once the
 * body is done with, read or not (it releases the request's deadline).
 */
export function guardBody(body: Body, translate: (error: Error) => Error, onClosed: () => void): Body {
  const destroy = body.destroy.bind(body);
  body.destroy = ((error?: Error | null) => destroy(error ? translate(error) : undefined)) as Body["destroy"];
  if (body.closed) onClosed();
  else body.once("close", onClosed);
  return body;
}

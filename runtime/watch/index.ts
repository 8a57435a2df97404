export { decodeWatchEvents, DEFAULT_MAX_EVENT_BYTES, WatchDecodeError, WatchEventTooLargeError, type WatchDecodeOptions, type WatchEvent, type WatchObjectEvent, type WatchEventType } from "./decode.js";
export { paginate, paginatePages, ExpiredContinueError } from "./paginate.js";
export { resumingWatch, watchEventError, type ResumingWatchOptions, type WatchConnector } from "./resume.js";
export { resourceWatchConnector } from "./connector.js";
export type { WatchBackoff } from "./backoff.js";

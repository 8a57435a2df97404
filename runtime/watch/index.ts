export { decodeWatchEvents, WatchDecodeError, type WatchEvent, type WatchEventType } from "./decode.js";
export { paginate } from "./paginate.js";

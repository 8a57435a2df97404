// `format: date`, `date-time` and `duration` strings as the CEL timestamps and durations the server binds them to (Go's time.Parse and time.ParseDuration).
import { create } from "@bufbuild/protobuf";
import { DurationSchema, TimestampSchema, type Duration, type Timestamp } from "@bufbuild/protobuf/wkt";
import { isCalendarDay } from "../formats.js";

/** A value the server may read differently (or refuses when the rule reads it): the rule is left to it. */
const leftToServer = (what: string, text: string) => new Error(`the ${what} ${JSON.stringify(text)} is left to the server`);

/** A calendar day from year 1 on (a protobuf Timestamp starts there). */
const validDate = (year: number, month: number, day: number) => year >= 1 && isCalendarDay(year, month, day);

function timestamp(millis: number, nanos: number): Timestamp {
  const seconds = Math.floor(millis / 1000);
  return create(TimestampSchema, { seconds: BigInt(seconds), nanos });
}

/** Midnight UTC of a checked calendar date, whatever the year (Date.UTC would read 0-99 as 1900-1999). */
function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date;
}

/** `format: date`: Go's time.Parse("2006-01-02"), midnight UTC. */
export function dateValue(text: string): Timestamp {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const [year, month, day] = (match ?? []).slice(1).map(Number) as [number, number, number];
  if (!match || !validDate(year, month, day)) throw leftToServer("date", text);
  return timestamp(utc(year, month, day).getTime(), 0);
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-](\d{2}):(\d{2}))$/;

/** `format: date-time`: RFC 3339 with a zone, which every strfmt layout reads alike; other spellings are left to the server, and so is an
 * offset other than UTC when `utcOnly` (the rule may print the timestamp, and Go prints the offset it keeps). */
export function dateTimeValue(text: string, utcOnly: boolean): Timestamp {
  const match = DATE_TIME.exec(text);
  if (!match) throw leftToServer("date-time", text);
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = match.slice(1, 7).concat(match.slice(9, 11)).map(Number) as number[] as [number, number, number, number, number, number, number, number];
  const offset = match[8] === "Z" ? 0 : (match[8]?.[0] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes);
  if ((utcOnly && offset !== 0) || offsetHours > 23 || offsetMinutes > 59) throw leftToServer("date-time", text);
  if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 59) throw leftToServer("date-time", text);
  const date = utc(year, month, day, hour, minute - offset, second);
  if (date.getUTCFullYear() < 1 || date.getUTCFullYear() > 9999) throw leftToServer("date-time", text);
  return timestamp(date.getTime(), Number((match[7] ?? "").padEnd(9, "0")));
}

const UNITS: Record<string, bigint> = { ns: 1n, us: 1_000n, "µs": 1_000n, "μs": 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };
const COMPONENT = /(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/y;
const MAX_NANOS = 2n ** 63n - 1n;

/** One `<number><unit>` of Go's time.ParseDuration, exactly; a fraction Go would round through float64 is left to the server. */
function component(whole: string, fraction: string, unit: bigint, text: string): bigint {
  if (whole === "" && fraction === "") throw leftToServer("duration", text);
  const scale = 10n ** BigInt(fraction.length);
  const part = fraction === "" ? 0n : BigInt(fraction);
  if (part !== 0n && (unit % scale !== 0n || part * (unit / scale) > 2n ** 53n)) throw leftToServer("duration", text);
  return BigInt(whole || "0") * unit + (part === 0n ? 0n : part * (unit / scale));
}

/** `format: duration`: Go's time.ParseDuration grammar (strfmt tries it first); strfmt's other spellings ("3 days") are left to the server. */
export function durationValue(text: string): Duration {
  const negative = text.startsWith("-");
  const body = /^[+-]/.test(text) ? text.slice(1) : text;
  let nanos = 0n;
  if (body !== "0") {
    COMPONENT.lastIndex = 0;
    let at = 0;
    for (let match = COMPONENT.exec(body); match && match.index === at; match = COMPONENT.exec(body)) {
      nanos += component(match[1] as string, match[2] ?? "", UNITS[match[3] as string] as bigint, text);
      at = COMPONENT.lastIndex;
    }
    if (at !== body.length || body === "") throw leftToServer("duration", text);
  }
  if (nanos > MAX_NANOS) throw leftToServer("duration", text);
  const signed = negative ? -nanos : nanos;
  return create(DurationSchema, { seconds: signed / 1_000_000_000n, nanos: Number(signed % 1_000_000_000n) });
}

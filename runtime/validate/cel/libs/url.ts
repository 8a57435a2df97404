// Kubernetes' CEL URL library: url(), isURL() and the URL getters, on Go's net/url reading (go-url.ts).
import { celFunc, celMethod, CelScalar, listType, mapType, type CelFunc } from "@bufbuild/cel";
import { opaqueType } from "../opaque.js";
import { escapedPath, GoUrlError, parseRequestUri, parseUrl, query, splitHostPort, textOf, type GoUrl } from "./go-url.js";

const { STRING, BOOL } = CelScalar;
const Url = opaqueType<GoUrl>("URL");
const URL_TYPE = Url.type;

/** url(): ParseRequestURI must accept it (absolute URI or absolute path); the parts are Parse's. */
function toUrl(text: string): unknown {
  parseRequestUri(text);
  const parsed = parseUrl(text);
  return Url.make(comparable(text), parsed);
}

/** What `==` compares: Go compares URL.String(), which lower-cases the scheme and drops an empty fragment; other rewrites are rare enough to compare as written. */
function comparable(text: string): string {
  const colon = text.search(/[^A-Za-z0-9+\-.]/);
  const withScheme = colon > 0 && text[colon] === ":" ? text.slice(0, colon).toLowerCase() + text.slice(colon) : text;
  return withScheme.endsWith("#") && withScheme.indexOf("#") === withScheme.length - 1 ? withScheme.slice(0, -1) : withScheme;
}

/** isURL(): false only where Go's ParseRequestURI refuses the string; anything uncertain propagates. */
export function isUrl(text: string): boolean {
  try {
    parseRequestUri(text);
    return true;
  } catch (error) {
    if (error instanceof GoUrlError) return false;
    throw error;
  }
}

const read = (value: unknown) => Url.read(value);
const getter = (name: string, part: (url: GoUrl) => string) =>
  celMethod(name, URL_TYPE, [], STRING, function () {
    return textOf(part(read(this)));
  });

export const urlFunctions: CelFunc[] = [
  celFunc("url", [STRING], URL_TYPE, (text) => toUrl(text) as never),
  celFunc("isURL", [STRING], BOOL, isUrl),
  getter("getScheme", (url) => url.scheme),
  getter("getHost", (url) => url.host),
  getter("getHostname", (url) => splitHostPort(url.host)[0]),
  getter("getPort", (url) => splitHostPort(url.host)[1]),
  getter("getEscapedPath", escapedPath),
  celMethod("getQuery", URL_TYPE, [], mapType(STRING, listType(STRING)), function () {
    return query(read(this).rawQuery) as never;
  }),
];

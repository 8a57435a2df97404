// Go's net/url (ParseRequestURI, Parse, EscapedPath, Query) as the server's URL library and `format.uri()` read URLs; what Go versions read differently is left to the server.

/** Go refused the URL: a certain answer (isURL is false). Any other error means "left to the server". */
export class GoUrlError extends Error {}

/** A URL's parts as Go's url.URL holds them; strings are byte strings (one UTF-16 unit per byte). */
export interface GoUrl {
  readonly scheme: string;
  readonly host: string;
  readonly path: string;
  readonly rawPath: string;
  readonly rawQuery: string;
}

type Mode = "path" | "host" | "user" | "query" | "fragment";

const UNRESERVED = /[A-Za-z0-9\-_.~]/;
const RESERVED = "$&+,/:;=?@";
const HOST_EXTRA = "!$&'()*+,;=:[]<>\"";

/** Go's shouldEscape for the modes the URL library reaches. */
function shouldEscape(c: string, mode: Mode): boolean {
  if (UNRESERVED.test(c)) return false;
  if (mode === "host" && HOST_EXTRA.includes(c)) return false;
  if (RESERVED.includes(c)) {
    if (mode === "path") return c === "?";
    if (mode === "user") return c === "@" || c === "/" || c === "?" || c === ":";
    if (mode === "query") return true;
    if (mode === "fragment") return false;
  }
  if (mode === "fragment" && "!()*".includes(c)) return false;
  return true;
}

const HEX = /^[0-9A-Fa-f]{2}$/;

/** Go's unescape: `%XX` decoded (each must be well formed), `+` a space in a query component. */
export function unescape(s: string, mode: Mode): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === "%") {
      if (!HEX.test(s.slice(i + 1, i + 3))) throw new GoUrlError(`invalid URL escape ${JSON.stringify(s.slice(i, i + 3))}`);
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === "+" && mode === "query") out += " ";
    else if (mode === "host" && c.charCodeAt(0) < 0x80 && shouldEscape(c, "host")) throw new GoUrlError(`invalid character ${JSON.stringify(c)} in host name`);
    else out += c;
  }
  return out;
}

function escapePath(s: string): string {
  let out = "";
  for (const c of s) out += shouldEscape(c, "path") ? `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}` : c;
  return out;
}

function validEncodedPath(s: string): boolean {
  return [...s].every((c) => "!$&'()*+,;=:@[]%".includes(c) || !shouldEscape(c, "path"));
}

/** Go's URL.EscapedPath. */
export function escapedPath(url: GoUrl): string {
  if (url.rawPath !== "" && validEncodedPath(url.rawPath)) {
    try {
      if (unescape(url.rawPath, "path") === url.path) return url.rawPath;
    } catch {
      // not a valid escaping: fall through to escaping the path
    }
  }
  return url.path === "*" ? "*" : escapePath(url.path);
}

function splitScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ["", raw];
      continue;
    }
    if (c === ":") {
      if (i === 0) throw new GoUrlError("missing protocol scheme");
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ["", raw];
  }
  return ["", raw];
}

const validPort = (port: string) => /^(:[0-9]*)?$/.test(port);

/** Go's parseHost for the hosts every Go version reads alike; IP literals in brackets, several colons, escapes and non-ASCII are left to the server. */
function parseHost(host: string): string {
  if (/[[\]%]|[^\x00-\x7f]/.test(host)) throw new Error(`the URL host ${JSON.stringify(host)} is left to the server`);
  const colon = host.indexOf(":");
  if (colon >= 0 && host.lastIndexOf(":") !== colon) throw new Error(`the URL host ${JSON.stringify(host)} has several colons: left to the server`);
  if (colon >= 0 && !validPort(host.slice(colon))) throw new GoUrlError(`invalid port ${JSON.stringify(host.slice(colon))} after host`);
  return unescape(host, "host");
}

const USERINFO = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;

function parseAuthority(authority: string): string {
  const at = authority.lastIndexOf("@");
  const host = parseHost(authority.slice(at + 1));
  if (at < 0) return host;
  const userinfo = authority.slice(0, at);
  if (!USERINFO.test(userinfo)) throw new GoUrlError("net/url: invalid userinfo");
  const colon = userinfo.indexOf(":");
  for (const part of colon < 0 ? [userinfo] : [userinfo.slice(0, colon), userinfo.slice(colon + 1)]) unescape(part, "user");
  return host;
}

function splitQuery(rest: string): [string, string] {
  if (rest.endsWith("?") && rest.indexOf("?") === rest.length - 1) return [rest.slice(0, -1), ""];
  const q = rest.indexOf("?");
  return q < 0 ? [rest, ""] : [rest.slice(0, q), rest.slice(q + 1)];
}

/** Go's unexported parse(rawURL, viaRequest) on a byte string. */
function parse(raw: string, viaRequest: boolean): GoUrl {
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new GoUrlError("net/url: invalid control character in URL");
  if (raw === "" && viaRequest) throw new GoUrlError("empty url");
  if (raw === "*") return { scheme: "", host: "", path: "*", rawPath: "", rawQuery: "" };
  const [rawScheme, afterScheme] = splitScheme(raw);
  const scheme = rawScheme.toLowerCase();
  let [rest, rawQuery] = splitQuery(afterScheme);
  if (!rest.startsWith("/")) {
    if (scheme !== "") return { scheme, host: "", path: "", rawPath: "", rawQuery };
    if (viaRequest) throw new GoUrlError("invalid URI for request");
    if ((rest.split("/")[0] as string).includes(":")) throw new GoUrlError("first path segment in URL cannot contain colon");
  }
  let host = "";
  if ((scheme !== "" || (!viaRequest && !rest.startsWith("///"))) && rest.startsWith("//")) {
    const slash = rest.indexOf("/", 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? "" : rest.slice(slash);
    host = parseAuthority(authority);
  }
  const path = unescape(rest, "path");
  return { scheme, host, path, rawPath: escapePath(path) === rest ? "" : rest, rawQuery };
}

/** A JavaScript string as the bytes Go sees. */
export function bytesOf(text: string): string {
  return Array.from(new TextEncoder().encode(text), (b) => String.fromCharCode(b)).join("");
}

/** Bytes back to a string; bytes that are not UTF-8 (a CEL string cannot hold them) are left to the server. */
export function textOf(bytes: string): string {
  const array = Uint8Array.from(bytes, (c) => c.charCodeAt(0));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(array);
  } catch {
    throw new Error("a URL part that is not UTF-8 once unescaped is left to the server");
  }
}

/** url.ParseRequestURI: throws GoUrlError where Go refuses the URL. */
export function parseRequestUri(text: string): GoUrl {
  return parse(bytesOf(text), true);
}

/** url.Parse (the fragment cut off first and checked). */
export function parseUrl(text: string): GoUrl {
  const raw = bytesOf(text);
  const hash = raw.indexOf("#");
  const url = parse(hash < 0 ? raw : raw.slice(0, hash), false);
  if (hash >= 0) unescape(raw.slice(hash + 1), "fragment");
  return url;
}

/** Go's splitHostPort on URL.Host: [host, port]. */
export function splitHostPort(hostPort: string): [string, string] {
  const colon = hostPort.lastIndexOf(":");
  return colon >= 0 && validPort(hostPort.slice(colon)) ? [hostPort.slice(0, colon), hostPort.slice(colon + 1)] : [hostPort, ""];
}

/** URL.Query(): `&`-separated pairs, a pair with `;` or a bad escape skipped. */
export function query(rawQuery: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  if (rawQuery.split("&").length > 1000) throw new Error("a query of more than 1,000 parameters is left to the server");
  for (const pair of rawQuery.split("&")) {
    if (pair === "" || pair.includes(";")) continue;
    const eq = pair.indexOf("=");
    let key: string, value: string;
    try {
      [key, value] = [unescape(eq < 0 ? pair : pair.slice(0, eq), "query"), eq < 0 ? "" : unescape(pair.slice(eq + 1), "query")];
    } catch (error) {
      if (error instanceof GoUrlError) continue;
      throw error;
    }
    const [k, v] = [textOf(key), textOf(value)];
    values.set(k, [...(values.get(k) ?? []), v]);
  }
  return values;
}

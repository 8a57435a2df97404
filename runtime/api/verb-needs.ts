// What a tool (waitFor, an informer, a controller...) says at compile time when given a client that lacks verbs it needs.

/** The verbs of `Needed` (in their order) that `Client` has no method for. */
export type MissingVerbs<Client, Needed extends readonly string[]> = Needed extends readonly [infer Head extends string, ...infer Rest extends string[]]
  ? Head extends keyof Client
    ? MissingVerbs<Client, Rest>
    : [Head, ...MissingVerbs<Client, Rest>]
  : [];

/** Verbs as a person writes them: `watch`, `list and watch`, `get, create and update`. */
export type VerbList<Verbs extends readonly string[]> = Verbs extends readonly [infer Only extends string]
  ? Only
  : Verbs extends readonly [infer First extends string, infer Last extends string]
    ? `${First} and ${Last}`
    : Verbs extends readonly [infer First extends string, ...infer Rest extends string[]]
      ? `${First}, ${VerbList<Rest>}`
      : "";

/** The message a tool's parameter shows when the client lacks verbs: `waitFor needs a client with list and watch; this one lacks watch`. */
export type LacksVerbs<Tool extends string, Needed extends readonly string[], Missing extends readonly string[]> =
  `${Tool} needs a client with ${VerbList<Needed>}; this one lacks ${VerbList<Missing>}`;

/**
 * The type of a tool's client parameter, `Client` being the argument's own type: the argument itself when it fits
 * `Fits`; the message naming the verbs it lacks when it lacks some (so that is the error a person reads); else
 * `Fits` (a client with the verbs but the wrong shape meets the ordinary structural message; an object literal whose
 * type TypeScript cannot infer before its functions are typed gets `Fits` as their contextual type).
 */
export type ClientNeeding<Client, Fits, Tool extends string, Needed extends readonly string[]> = Client extends Fits
  ? Client
  : [keyof Client] extends [never]
    ? Fits
    : MissingVerbs<Client, Needed> extends []
      ? Fits
      : LacksVerbs<Tool, Needed, MissingVerbs<Client, Needed>>;

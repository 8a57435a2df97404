// The contract of a mistakes file: each line ending in `// error: <phrase>` must hold an error whose first message
// contains <phrase> and is at most MAX_FIRST_MESSAGE characters; no other line may hold one.
import type { Reported } from "./compiler.js";

/** The longest first message a mistake may have: a person reads it whole, in a hover or a terminal line. */
export const MAX_FIRST_MESSAGE = 300;

/** A marked line: where the error must be and a phrase its first message must contain. */
export interface Marker {
  line: number;
  phrase: string;
}

/** What the compiler said about one marked line. */
export interface MarkedResult extends Marker {
  first: string;
  full: string;
}

// A marker ends a line of code (a comment line that mentions the syntax is no marker).
const MARKER = /^\s*[^/\s].*\/\/ error: (.+)$/;

/** The marked lines of a source text (1-based). */
export function markersOf(text: string): Marker[] {
  return text.split("\n").flatMap((line, index) => {
    const match = MARKER.exec(line);
    return match ? [{ line: index + 1, phrase: match[1]!.trim() }] : [];
  });
}

/**
 * Every way `reported` breaks the contract of `markers`: a marked line without an error, a first message without
 * the phrase or too long, an error on a line nobody marked. Empty when the file keeps it.
 */
export function contractProblems(markers: readonly Marker[], reported: readonly Reported[]): string[] {
  const problems: string[] = [];
  const marked = new Set(markers.map((marker) => marker.line));
  for (const marker of markers) {
    const first = reported.find((diagnostic) => diagnostic.line === marker.line);
    if (!first) problems.push(`line ${marker.line}: no error (expected one saying ${JSON.stringify(marker.phrase)})`);
    else if (!first.first.includes(marker.phrase)) problems.push(`line ${marker.line}: first message lacks ${JSON.stringify(marker.phrase)}: ${first.first}`);
    else if (first.first.length > MAX_FIRST_MESSAGE) problems.push(`line ${marker.line}: first message has ${first.first.length} characters: ${first.first}`);
  }
  for (const diagnostic of reported) {
    if (!marked.has(diagnostic.line)) problems.push(`line ${diagnostic.line}: unexpected error: ${diagnostic.full}`);
  }
  return problems;
}

/** Each marker with the first error reported on its line. */
export function resultsOf(markers: readonly Marker[], reported: readonly Reported[]): MarkedResult[] {
  return markers.map((marker) => {
    const first = reported.find((diagnostic) => diagnostic.line === marker.line);
    return { ...marker, first: first?.first ?? "", full: first?.full ?? "" };
  });
}

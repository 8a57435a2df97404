// Which schema descriptions mark their field or type deprecated, in the wordings Kubernetes 1.20–1.35 use.

/**
 * Sentences that deprecate the thing described, as found in the real documents:
 * "Deprecated: Use serviceAccountName instead.", "DEPRECATED: GitRepo is deprecated.", "DEPRECATED - This group
 * version of CSINode is deprecated by ...", "DEPRECATED Kubernetes will stop ...", "Deprecated. Not all
 * kubelets ...", "Deprecated in 1.21.", "This API is deprecated since 1.22", "This field is deprecated in
 * favor of ...", "is a deprecated alias for", "is the deprecated field assuring ...", "and now is deprecated",
 * "should be considered as deprecated". Mentions of something else being deprecated ("Recycle (deprecated)",
 * "the annotation is officially deprecated", "indicates this version ... is deprecated") do not count.
 */
const LABEL = /(?:^|[\s.])(?:(?:Deprecated|DEPRECATED)[:.]|DEPRECATED(?:\s+-)?)\s/;
const MARKERS: readonly RegExp[] = [
  LABEL,
  /(?:^|[\s.])Deprecated in v?\d/,
  /\b[Tt]his (?:field|API) is (?:now )?deprecated\b/,
  /\bis (?:a|the) (?:deprecated|depreciated) (?:field|alias)\b/,
  /\b(?:now is|should be considered as) deprecated\b/,
];

const MAX_NOTE_LENGTH = 300;

/**
 * The deprecation note of a description (the sentence that says so, as `@deprecated` text), or undefined
 * when it does not mark the field or type deprecated.
 */
export function deprecationOf(description: string | undefined): string | undefined {
  if (description === undefined) return undefined;
  for (const marker of MARKERS) {
    const match = marker.exec(description);
    if (match === null) continue;
    const at = match.index + (match[0].length - match[0].replace(/^[\s.]+/, "").length);
    // A "Deprecated:" label starts its note, even mid-sentence; other wordings are quoted from their sentence's start.
    const note = marker === LABEL ? labelledNote(description.slice(at)) : sentence(description.slice(sentenceStart(description, at)));
    return note.length <= MAX_NOTE_LENGTH ? note : `${note.slice(0, MAX_NOTE_LENGTH - 1)}…`;
  }
  return undefined;
}

/** "Deprecated: Use X instead. More." → "Use X instead."; "Deprecated. Not all kubelets ... field." → the sentence after. */
function labelledNote(text: string): string {
  const rest = text.replace(/^(?:(?:Deprecated|DEPRECATED)[:.]|DEPRECATED(?:\s+-)?)\s*/, "");
  return rest === "" ? "Deprecated." : sentence(rest);
}

/** The first sentence of `text` (up to a full stop followed by a space or the end), whitespace collapsed. */
function sentence(text: string): string {
  const end = text.search(/\.(\s|$)/);
  return (end < 0 ? text : text.slice(0, end + 1)).replace(/\s+/g, " ").trim();
}

function sentenceStart(text: string, index: number): number {
  const before = text.slice(0, index);
  const stop = before.lastIndexOf(". ");
  return Math.max(stop < 0 ? 0 : stop + 2, before.lastIndexOf("\n") + 1);
}

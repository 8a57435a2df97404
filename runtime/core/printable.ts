// Server-supplied text made safe to print on a terminal: a leaf both the runtime and the generator's CLI use.

/**
 * C0 controls, DEL, C1 controls (0x9B is a one-byte CSI on some terminals), the line and paragraph separators,
 * and the bidirectional controls that reorder what a reader sees (CVE-2021-42574).
 */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNPRINTABLE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `\u001b`: visible, and the same escape JSON uses, so JSON text stays valid JSON. */
function escapeCharacter(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`;
}

/**
 * `text` with every character that could move the cursor, clear the screen, set the window title (ESC, CSI,
 * OSC, CR, BEL) or reorder the line (bidi controls) written as a visible escape (`\u001b`, `\u202e`). Text a
 * server, a document or a kubeconfig chose goes through it before reaching a terminal (the class of
 * CVE-2021-25743). With `keepNewlines`, `\n` stays a line break (a multi-line message of our own).
 */
export function printable(text: string, options: { keepNewlines?: boolean } = {}): string {
  const pattern = options.keepNewlines ? UNPRINTABLE_BUT_NEWLINE : UNPRINTABLE;
  return text.replace(pattern, escapeCharacter);
}

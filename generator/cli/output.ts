import type { GeneratorLog } from "../sources/log.js";
import { printable } from "../../runtime/core/printable.js";

/** Where the CLI writes; injectable so tests read what a person would see. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal: progress is one live line there, plain lines otherwise. */
  stderrIsTty: boolean;
  /** Whether stdout is a terminal (and NO_COLOR unset): the change report is coloured there only. */
  color?: boolean;
  /** Terminal width, to keep the live line on one row. */
  columns?: number;
}

export function processIo(): CliIo {
  const io: CliIo = {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    stderrIsTty: process.stderr.isTTY === true,
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
  };
  if (process.stderr.columns !== undefined) io.columns = process.stderr.columns;
  return io;
}

/**
 * A GeneratorLog on stderr: a rewritten line on a TTY, `kubetyped: ...` lines otherwise, silence with --quiet.
 * Messages carry names a server chose (groups, documents' text): each is escaped before it is written.
 */
export function createCliLog(io: CliIo, quiet: boolean): GeneratorLog & { done(): void } {
  let liveLine = false;
  const clearLive = () => {
    if (liveLine) io.stderr("\r\x1b[2K");
    liveLine = false;
  };
  return {
    progress(text) {
      if (quiet) return;
      const message = printable(text);
      if (io.stderrIsTty) {
        const width = Math.max(20, (io.columns ?? 80) - 1);
        io.stderr(`\r\x1b[2K${message.length > width ? `${message.slice(0, width - 1)}…` : message}`);
        liveLine = true;
      } else {
        io.stderr(`kubetyped: ${message}\n`);
      }
    },
    warn(message) {
      if (quiet) return;
      clearLive();
      io.stderr(`warning: ${printable(message)}\n`);
    },
    info(message) {
      if (quiet) return;
      clearLive();
      io.stderr(`kubetyped: ${printable(message)}\n`);
    },
    done: clearLive,
  };
}

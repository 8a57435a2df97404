/** Where the generator reports what it is doing; every method optional so callers pick what they show. */
export interface GeneratorLog {
  /** Transient progress ("discovery 3/40 apps/v1"): a live line on a TTY, nothing when quiet. */
  progress?(message: string): void;
  /** Something skipped or odd that did not stop the run. */
  warn?(message: string): void;
  /** A step finished. */
  info?(message: string): void;
}

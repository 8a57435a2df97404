// Workers are child processes: the parent passes a JSON job as argv[2]; the child prints one line
// `BENCH-RESULT {json}` on stdout, so client libraries' own logging cannot corrupt the answer.
export const RESULT_PREFIX = "BENCH-RESULT ";

export function readJob<T>(): T {
  const raw = process.argv[2];
  if (!raw) throw new Error(`${process.argv[1]}: expected the job as JSON in argv[2]; workers are started by bench/run.ts`);
  return JSON.parse(raw) as T;
}

export function reportResult(result: unknown): void {
  process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

/** Finds the result line in a worker's stdout. */
export function parseResult<T>(stdout: string, what: string): T {
  const line = stdout.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
  if (!line) throw new Error(`${what}: the worker printed no ${RESULT_PREFIX.trim()} line; its output ends with: ${stdout.slice(-400)}`);
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as T;
}

/** A scenario's answer: numbers by metric name, or why it does not apply to this contender. */
export type ScenarioResult = { metrics: Record<string, number> } | { na: string };

/** Runs a worker body and exits; failures print a readable message and exit 1. */
export function runWorker(body: () => Promise<unknown>): void {
  body().then(
    (result) => {
      reportResult(result);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}

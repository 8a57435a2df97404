import { LOCAL_CLUSTER_HINT } from "../../runtime/core/local-cluster-hint.js";
import { UsageError } from "./args.js";
import { CredentialsRejectedError } from "../sources/credentials.js";
import { printable } from "../../runtime/core/printable.js";

const CONNECT_HINT =
  `set KUBECONFIG, use --kubeconfig FILE / --context NAME, --in-cluster inside a pod, --from DIR for a snapshot, or ${LOCAL_CLUSTER_HINT}`;

/**
 * Exit code and the lines to print for a failure: the message, then how to fix it. Messages quote what a
 * server, a document or the command line said: escaped, so none of it acts on the terminal.
 */
export async function describeFailure(error: unknown): Promise<{ exitCode: number; text: string }> {
  const shown = (text: string) => printable(text, { keepNewlines: true });
  if (error instanceof UsageError) return { exitCode: 2, text: `error: ${shown(error.message)}\n` };
  const message = error instanceof Error ? error.message : String(error);
  // The runtime's public entry is loaded only to name a failure: a run that succeeds from a snapshot never loads it.
  const hint = hintFor(error, message, await import("../../runtime/index.js"));
  return { exitCode: 1, text: `error: ${shown(message)}\n${hint ? `hint: ${shown(hint)}\n` : ""}` };
}

type RuntimeErrors = Pick<typeof import("../../runtime/index.js"), "ConfigError" | "NetworkError" | "TimeoutError" | "TlsError">;

function hintFor(error: unknown, message: string, { ConfigError, NetworkError, TimeoutError, TlsError }: RuntimeErrors): string | undefined {
  if (error instanceof CredentialsRejectedError) return `${error.advice}; nothing was written`;
  if (error instanceof ConfigError) return message.includes(LOCAL_CLUSTER_HINT) ? undefined : CONNECT_HINT;
  if (error instanceof TlsError) {
    return `the TLS handshake with ${error.server} failed: check the kubeconfig's certificate-authority for this cluster (--insecure-skip-tls-verify skips verification; unsafe)`;
  }
  if (error instanceof TimeoutError) return `${error.server} did not answer in time (overloaded, or a firewall dropping packets?); nothing was written`;
  if (error instanceof NetworkError) {
    return `check which cluster --kubeconfig/--context point at (${error.server}), or ${LOCAL_CLUSTER_HINT}; nothing was written`;
  }
  return undefined;
}

// A 401 from the cluster means its credentials were refused: said as that, with the kubeconfig entry and the fix.
import { SourceError } from "./errors.js";
import type { DocumentFetcher } from "./fetcher.js";

/** What a refusal needs of the runtime's transport: the server it names, and the credential advice it gives. */
export interface CredentialsSource {
  readonly server: string;
  unauthorizedHint?(): string;
}

/**
 * The server answered 401 Unauthorized (after the credential provider's one refresh): it does not accept
 * who the requests say they are. Not a URL or permission problem (that would be 404 or 403).
 */
export class CredentialsRejectedError extends SourceError {
  /** Whose credentials, from which kubeconfig, and what to do for their kind (the runtime's 401 hint): the CLI prints it as the hint. */
  readonly advice: string;

  constructor(transport: CredentialsSource, path: string) {
    super(`${transport.server} answered 401 Unauthorized`, { url: path });
    this.advice = transport.unauthorizedHint?.() ?? "the server rejected the credentials sent; check the kubeconfig's user for this cluster";
  }
}

/** Every answer passes through, but a 401 becomes a CredentialsRejectedError naming the kubeconfig entry. */
export function refusingUnauthorized(fetcher: DocumentFetcher, transport: CredentialsSource): DocumentFetcher {
  return {
    origin: fetcher.origin,
    async get(path, accept) {
      const answer = await fetcher.get(path, accept);
      if (answer.status === 401) throw new CredentialsRejectedError(transport, path.split("?")[0] ?? path);
      return answer;
    },
  };
}

import { Agent, request } from "undici";
import type { ModernTestServer } from "../../support/modern-server/index.js";

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** GETs a path from the test server, verifying its certificate against its own CA. */
export function clientFor(server: ModernTestServer): {
  get(path: string, headers?: Record<string, string>, options?: { token?: string | null }): Promise<RawAnswer>;
  close(): Promise<void>;
} {
  const agent = new Agent({ connect: { ca: server.caPem } });
  return {
    async get(path, headers = {}, options = {}) {
      const token = options.token === undefined ? server.token : options.token;
      const response = await request(`${server.url}${path}`, {
        dispatcher: agent,
        headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...headers },
      });
      return { status: response.statusCode, headers: response.headers, body: await response.body.text() };
    },
    close: () => agent.close(),
  };
}

export function header(answer: RawAnswer, name: string): string | undefined {
  const value = answer.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

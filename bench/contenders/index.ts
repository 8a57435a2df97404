import type { ContenderFactory } from "./types.js";

/** Column order of every table: ours, the floor, then the peers. */
export const CONTENDERS = ["kubetyped", "undici", "client-node-1", "client-node-0", "fluent"] as const;
export type ContenderName = (typeof CONTENDERS)[number];

export const CONTENDER_LABELS: Record<ContenderName, string> = {
  kubetyped: "kubetyped",
  undici: "raw undici",
  "client-node-1": "client-node 1.x",
  "client-node-0": "client-node 0.x",
  fluent: "fluent-client",
};

/** Loaded one at a time, so a worker child imports only the client it measures. */
export async function loadContender(name: string): Promise<ContenderFactory> {
  switch (name) {
    case "kubetyped":
      return (await import("./kubetyped.js")).createKubetyped;
    case "undici":
      return (await import("./undici.js")).createUndici;
    case "client-node-1":
      return (await import("./client-node-1.js")).createClientNode1;
    case "client-node-0":
      return (await import("./client-node-0.js")).createClientNode0;
    case "fluent":
      return (await import("./fluent.js")).createFluent;
    default:
      throw new Error(`unknown contender ${JSON.stringify(name)}; expected one of ${CONTENDERS.join(", ")}`);
  }
}

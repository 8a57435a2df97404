import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { KubeClient } from "../../runtime/index.js";
import { clients, createNamespace, leases } from "../support/cluster-ops.js";
import { describeWithCluster } from "../support/cluster.js";
import { makeTempDir } from "../support/tmp.js";
import { configmaps } from "../types/fixtures.js";

const LEASE_MS = 3_000;
const RETRY_MS = 500;
const KILLS = 10;

/** One candidate process and the lines it printed. */
interface Candidate {
  identity: string;
  child: ChildProcess;
  lines: string[];
  /** The first line matching `pattern`'s fields (split by spaces), waiting for it. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string[]>;
}

function startCandidate(bundle: string, kubeconfig: string, namespace: string, identity: string): Candidate {
  const child = spawn(process.execPath, [bundle, kubeconfig, namespace, identity], { stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  let pending = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    pending += chunk;
    const parts = pending.split("\n");
    pending = parts.pop()!;
    lines.push(...parts);
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const waitFor = async (pattern: RegExp, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = lines.find((candidate) => pattern.test(candidate));
      if (line !== undefined) return line.split(" ");
      if (Date.now() > deadline || (child.exitCode !== null && child.signalCode === null && !lines.some((l) => pattern.test(l)))) {
        throw new Error(`${identity}: no line matching ${pattern} (exit ${child.exitCode}/${child.signalCode}):\n${lines.join("\n")}\nstderr:\n${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return { identity, child, lines, waitFor };
}

describeWithCluster("leaderElection: two controller processes, the leader SIGKILLed ten times", (cluster) => {
  let bundle: string;
  let kube: KubeClient;
  let closeClients: () => Promise<void>;
  const namespace = `leader-${randomBytes(4).toString("hex")}`;
  const running: Candidate[] = [];

  beforeAll(async () => {
    const out = await makeTempDir("leader-candidate-");
    bundle = join(out, "leader-candidate.mjs");
    await build({
      entryPoints: [fileURLToPath(new URL("../support/leader-candidate.ts", import.meta.url))],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      outfile: bundle,
      // undici requires Node's modules; an ES module bundle needs `require` made for it.
      banner: { js: 'import { createRequire } from "node:module"; const require = createRequire(import.meta.url);' },
      logLevel: "error",
    });
    const made = await clients(cluster, undefined, namespace);
    kube = made.direct;
    closeClients = made.close;
    await createNamespace(kube, namespace);
    await kube.resource(configmaps).create({ metadata: { name: "record" }, data: {} });
    for (const name of ["work-a", "work-b", "work-c"]) await kube.resource(configmaps).create({ metadata: { name, labels: { "leader-test": "work" } } });
  });
  afterAll(async () => {
    for (const candidate of running) if (candidate.child.exitCode === null && candidate.child.signalCode === null) candidate.child.kill("SIGKILL");
    await closeClients?.();
  });

  it(`the other candidate leads within leaseDuration + retryPeriod of each kill, and two leaders never act at once`, { timeout: 240_000 }, async () => {
    let serial = 0;
    const start = () => {
      const candidate = startCandidate(bundle, cluster.kubeconfigPath, namespace, `candidate-${++serial}`);
      running.push(candidate);
      return candidate;
    };
    const first = start();
    const second = start();
    await Promise.race([first.waitFor(/^LEADING /), second.waitFor(/^LEADING /)]);
    let leader = first.lines.some((line) => line.startsWith("LEADING ")) ? first : second;
    let follower = leader === first ? second : first;

    const takeovers: number[] = [];
    const killed: string[] = [];
    for (let round = 0; round < KILLS; round++) {
      // The leader has acted, and the follower has seen it hold the lease (renewals change the record every 500 ms).
      await leader.waitFor(new RegExp(`^RECONCILED ${leader.identity} \\S+ 3$`));
      await follower.waitFor(new RegExp(`^OBSERVED ${follower.identity} ${leader.identity} `));
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 700)); // kill at a random point of the renew cycle
      const killedAt = Date.now();
      leader.child.kill("SIGKILL");
      await once(leader.child, "exit");
      killed.push(leader.identity);
      const [, , startedAt] = await follower.waitFor(new RegExp(`^LEADING ${follower.identity} `), 20_000);
      takeovers.push(Number(startedAt) - killedAt);
      leader = follower;
      follower = start();
    }

    // A clean stop releases the lease: the follower takes over well before the lease would have expired.
    await leader.waitFor(new RegExp(`^RECONCILED ${leader.identity} \\S+ 3$`));
    await follower.waitFor(new RegExp(`^OBSERVED ${follower.identity} ${leader.identity} `));
    const terminatedAt = Date.now();
    leader.child.kill("SIGTERM");
    const [code] = (await once(leader.child, "exit")) as [number | null];
    const [, , handedOverAt] = await follower.waitFor(new RegExp(`^LEADING ${follower.identity} `), 20_000);
    const handover = Number(handedOverAt) - terminatedAt;
    await follower.waitFor(new RegExp(`^RECONCILED ${follower.identity} \\S+ 3$`));
    follower.child.kill("SIGTERM");
    await once(follower.child, "exit");

    const record = (await kube.resource(configmaps).get("record")).data ?? {};
    const lease = await kube.resource(leases).get("leader-test");
    const found = (record.found ?? "").split(";").filter(Boolean);
    const sorted = [...takeovers].sort((a, b) => a - b);
    console.log(
      `leader election (lease ${LEASE_MS} ms, renew deadline 2000 ms, retry ${RETRY_MS} ms): takeover after SIGKILL of the leader, ms: ${takeovers.join(", ")} ` +
        `(min ${sorted[0]}, median ${sorted[Math.floor(sorted.length / 2)]}, max ${sorted.at(-1)}; bound ${LEASE_MS + RETRY_MS}); ` +
        `handover after SIGTERM (lease released): ${handover} ms; reconciles started ${record.starts}, ended ${record.ends}; ` +
        `interrupted by a kill: ${found.length}; overlaps: ${record.overlaps ? record.overlaps.split(";").filter(Boolean).length : 0}; lease transitions ${lease.spec?.leaseTransitions}`,
    );
    for (const takeover of takeovers) expect(takeover).toBeLessThanOrEqual(LEASE_MS + RETRY_MS);
    expect(handover).toBeLessThan(LEASE_MS);
    expect(code).toBe(0);
    expect(leader.lines.slice(-2).map((line) => line.split(" ")[0])).toEqual(["STOPPED", "EXITED"]);
    // Nobody ever ended a reconcile while another was active, and every stale mark was left by a killed leader.
    expect(record.overlaps).toBeUndefined();
    for (const mark of found) expect(killed).toContain(mark.split(">")[0]);
    expect(Number(record.starts) - Number(record.ends)).toBe(found.length);
    expect(Number(record.ends)).toBeGreaterThan(KILLS * 3);
    expect(lease.spec?.holderIdentity).toBe(""); // the last leader stopped cleanly and released it
  });
});

// One controller process of the leader-election test: stands for a Lease and, while leading, reconciles a few
// ConfigMaps, marking each reconcile's start and end on a record ConfigMap kept on the server (resourceVersion
// preconditions), so overlapping leaders would show there. Bundled and run as a child process by the test.
import { clientFromConnection, isConflict } from "../../runtime/index.js";
import { createController, leaderElection } from "../../runtime/entries/controller.js";
import { defineResource, loadKubeconfig } from "../../runtime/entries/plumbing.js";

interface ConfigMap {
  apiVersion?: "v1";
  kind?: "ConfigMap";
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}
const configMaps = defineResource<ConfigMap>()({ group: "", version: "v1", plural: "configmaps", kind: "ConfigMap", namespaced: true, verbs: ["get", "list", "watch", "update"] });

const [kubeconfig, namespace, identity] = process.argv.slice(2) as [string, string, string];
const say = (line: string) => process.stdout.write(`${line}\n`);
const kube = clientFromConnection(await loadKubeconfig({ kubeconfig }), { namespace });
const cms = kube.resource(configMaps);
const stop = new AbortController();
process.once("SIGTERM", () => stop.abort());

/** Read-modify-write of the record with its resourceVersion; a conflict reads again. */
async function mark(change: (data: Record<string, string>) => void): Promise<void> {
  for (;;) {
    const record = await cms.get("record");
    const data = { ...record.data };
    change(data);
    try {
      await cms.update({ ...record, data });
      return;
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }
}

const add = (data: Record<string, string>, field: string, value: string) => (data[field] = `${data[field] ?? ""}${value};`);
let reconciled = 0;

async function reconcile(key: string) {
  await mark((data) => {
    // Someone else marked itself active and never unmarked: a leader that died mid-reconcile, or one still acting.
    if (data.active) add(data, "found", `${data.active}>${identity}`);
    data.active = identity;
    data.starts = String(Number(data.starts ?? 0) + 1);
  });
  await new Promise((resolve) => setTimeout(resolve, 30));
  await mark((data) => {
    if (data.active !== identity) add(data, "overlaps", `${identity} ended while ${data.active || "nobody"} was active`);
    else data.active = "";
    data.ends = String(Number(data.ends ?? 0) + 1);
  });
  say(`RECONCILED ${identity} ${key} ${++reconciled}`);
  return { requeueAfterMs: 100 };
}

const elector = leaderElection(kube, {
  name: "leader-test",
  identity,
  leaseDurationMs: 3_000,
  renewDeadlineMs: 2_000,
  retryPeriodMs: 500,
  signal: stop.signal,
  onNewLeader: (leader) => say(`OBSERVED ${identity} ${leader} ${Date.now()}`),
  onStartedLeading: async (signal) => {
    say(`LEADING ${identity} ${Date.now()}`);
    const controller = createController({ resource: cms, informer: { labelSelector: "leader-test=work" }, reconcile: (key) => reconcile(key), onError: (error) => say(`ERROR ${String(error)}`) });
    await controller.run(signal);
  },
  onStoppedLeading: () => say(`STOPPED ${identity} ${Date.now()}`),
  onError: (error) => say(`ERROR ${String(error)}`),
});
await elector.done;
await kube.close();
say(`EXITED ${identity}`);

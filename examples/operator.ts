// A leader-elected operator for the demo Widget CRD: for every Widget it keeps a ConfigMap `widget-<name>` (owned
// by the Widget) holding its spec, reports a Ready condition in the Widget's status, and records events. Deleting
// a Widget runs cleanup behind a finalizer: the operator deletes the ConfigMap itself, since this local control plane
// runs no garbage collector. Run two copies: one leads (Lease `widget-operator`), the other takes over if it dies.
// SIGTERM/SIGINT stop it cleanly and hand the lease over at once.
//
// RBAC it needs in its namespace: widgets (get, list, watch, patch), widgets/status (patch), configmaps (list, watch,
// patch, delete), leases (get, create, update), events.k8s.io events (create, patch).
import { hostname } from "node:os";
import { connect, isNotFound } from "kubetyped/runtime";
import { createController, createEventRecorder, leaderElection, withFinalizer } from "kubetyped/runtime/controller";
import { configMaps } from "../generated/core/v1.js";
import { widgets, type Widget } from "../generated/demo.kubetyped.dev/v1alpha1.js";

const FIELD_MANAGER = "widget-operator";
const FINALIZER = "demo.kubetyped.dev/cleanup";
const identity = process.env.POD_NAME ?? `${hostname()}-${process.pid}`;

const kube = await connect();
const widgetClient = kube.resource(widgets);
const cms = kube.resource(configMaps);
const recorder = createEventRecorder(kube, { reportingController: "demo.kubetyped.dev/widget-operator", reportingInstance: identity });

/** Live Widget: its ConfigMap holds its spec (server-side apply is idempotent), its status says Ready. */
async function ensure(widget: Widget): Promise<void> {
  const name = widget.metadata!.name!;
  const size = widget.spec?.size ?? "unset";
  const owner = { apiVersion: "demo.kubetyped.dev/v1alpha1", kind: "Widget", name, uid: widget.metadata!.uid!, controller: true };
  await cms.apply(
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `widget-${name}`, ownerReferences: [owner] }, data: { size } },
    { fieldManager: FIELD_MANAGER, force: true },
  );
  const generation = widget.metadata?.generation;
  const ready = widget.status?.conditions?.find((condition) => condition.type === "Ready");
  if (ready?.status === "True" && widget.status?.observedGeneration === generation) return; // nothing new to report
  const condition = { type: "Ready", status: "True" as const, reason: "ConfigMapApplied", message: `widget-${name} holds size=${size}`, observedGeneration: generation };
  await widgetClient.status.patch(name, { status: { observedGeneration: generation, conditions: [{ ...condition, lastTransitionTime: new Date().toISOString() }] } });
  recorder.event(widget, { type: "Normal", reason: "Reconciled", action: "ApplyConfigMap", note: condition.message });
  console.log(`reconciled ${name}: size=${size} (generation ${generation})`);
}

/** Widget being deleted: remove what it owns; the finalizer comes off afterwards and the deletion completes. */
async function cleanup(widget: Widget): Promise<void> {
  const name = widget.metadata!.name!;
  await cms.delete(`widget-${name}`).catch((error: unknown) => {
    if (!isNotFound(error)) throw error;
  });
  recorder.event(widget, { type: "Normal", reason: "CleanedUp", action: "DeleteConfigMap", note: `deleted widget-${name}` });
  console.log(`cleaned up ${name}`);
}

const stop = new AbortController();
process.once("SIGTERM", () => stop.abort());
process.once("SIGINT", () => stop.abort());

const elector = leaderElection(kube, {
  name: "widget-operator",
  identity,
  signal: stop.signal,
  onStartedLeading: async (signal) => {
    console.log(`leading as ${identity}`);
    const controller = createController({
      resource: widgetClient,
      owns: [kube.metadata(configMaps)], // an edited or deleted ConfigMap brings its Widget back to reconcile
      workers: 2,
      reconcile: async (key, { object }) => {
        if (object === undefined) return; // gone: its finalizer already ran
        await withFinalizer(widgetClient, FINALIZER, object, { apply: ensure, cleanup });
      },
      onError: (error, key) => console.error(`${key ?? "watch"}: ${error instanceof Error ? error.message : String(error)}`),
    });
    await controller.run(signal);
  },
  onStoppedLeading: () => console.log(`stopped leading`),
});
console.log(`${identity} is a candidate for lease widget-operator in ${kube.namespace}`);
await elector.done;
await recorder.close();
await kube.close();
console.log("stopped");

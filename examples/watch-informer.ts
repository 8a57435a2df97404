// Watch with an informer: a local, always-current copy of the ConfigMaps labelled example=informer, with
// add/update/delete handlers. The program makes the changes itself (create, patch, delete), so it runs
// anywhere; in your code the changes come from elsewhere and the informer runs until you stop it.
import { connect, labels } from "kubetyped/runtime";
import { createInformer } from "kubetyped/runtime/controller";
import { configMaps, type ConfigMap } from "../generated/core/v1.js";

const kube = await connect();
const cms = kube.resource(configMaps);
const name = "kubetyped-informer-example";

const informer = createInformer(cms, { labelSelector: labels({ example: "informer" }) });
const deleted = new Promise<void>((resolve) => {
  informer.on("add", (cm) => console.log(`added ${cm.metadata?.name} ${JSON.stringify(cm.data ?? {})}`));
  informer.on("update", (cm, old) => console.log(`updated ${cm.metadata?.name} ${JSON.stringify(old.data ?? {})} -> ${JSON.stringify(cm.data ?? {})}`));
  informer.on("delete", (cm) => {
    console.log(`deleted ${cm.metadata?.name}`);
    if (cm.metadata?.name === name) resolve();
  });
  informer.on("error", (error) => console.error(`informer: ${error instanceof Error ? error.message : String(error)}`));
});
await informer.synced;
console.log(`synced: ${informer.list().length} ConfigMap(s) labelled example=informer in ${kube.namespace}`);

const body: ConfigMap = { metadata: { name, labels: { example: "informer" } }, data: { step: "1" } };
await cms.create(body);
await cms.patch(name, { data: { step: "2" } });
await cms.delete(name);

// Events arrive asynchronously; wait for the delete (or give up after 30 s).
const timeout = setTimeout(() => {
  console.error("no delete event within 30 s");
  process.exitCode = 1;
  void informer.stop();
}, 30_000);
await Promise.race([deleted, informer.done]);
clearTimeout(timeout);
console.log(`store now holds ${informer.get(name) === undefined ? "no" : "a"} ${name}`);
await informer.stop();
await kube.close();

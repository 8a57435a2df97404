// The whole client-side verdict on an object: the schema validators and CEL rules `validate()` runs, from the cluster's own schemas.
import { kindKey, schemaSetFromTarget, type SchemaSet } from "../../generator/validate/schema-sets.js";
import { apiVersionOf } from "../../runtime/core/group-version.js";
import type { ClusterConnection } from "../../runtime/index.js";
import { validateWithModule } from "../../runtime/validate/index.js";
import type { Verdict } from "./run.js";

/** The schemas the cluster serves, as `kubetyped generate` emits them for it. */
export function clusterSchemas(connection: ClusterConnection): Promise<SchemaSet> {
  return schemaSetFromTarget({ connection }, {});
}

/** `validate(object, { old })` of each target's kind, its causes as the server's 422 names them (`type` is the cause's reason). */
export function fullVerdict(schemas: SchemaSet): Verdict {
  return ({ target, object, old }) => {
    const apiVersion = apiVersionOf(target.group, target.version);
    const found = schemas.kinds.get(kindKey(apiVersion, target.kind));
    if (found === undefined) throw new Error(`${apiVersion} ${target.kind} has no schema on this cluster; install its CRD first`);
    const errors = validateWithModule(found.module, found.entry.type, object, found.entry.status, old === undefined ? {} : { old });
    return errors.map((error) => ({ field: error.field, reason: error.type, message: error.message }));
  };
}

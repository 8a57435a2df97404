// Child process: one kind's validate() (first call, then warm) and its dryRun=All create round trip, in a fresh process.
import { pathToFileURL } from "node:url";
import { summarize } from "../stats.js";
import { readJob, runWorker } from "./protocol.js";

interface Job {
  kubeconfig: string;
  namespace: string;
  /** Compiled generated module and the descriptor it exports. */
  module: string;
  descriptor: string;
  object: { metadata: { name: string } } & Record<string, unknown>;
  validations: number;
  roundTrips: number;
}

const WARM_UP_TRIPS = 3;
const RUNTIME_ENTRY = "kubetyped/runtime";

runWorker(async () => {
  const job = readJob<Job>();
  // The runtime the generated modules import (the package's entry), not a second copy of it.
  const { connect } = (await import(RUNTIME_ENTRY)) as typeof import("../../runtime/index.js");
  const generated = (await import(pathToFileURL(job.module).href)) as Record<string, never>;
  const kube = await connect({ kubeconfig: job.kubeconfig, namespace: job.namespace });
  try {
    const client = kube.resource(generated[job.descriptor]!) as unknown as {
      validate(object: unknown): Promise<unknown[]>;
      create(object: unknown, options: { dryRun: "All" }): Promise<unknown>;
    };
    let started = performance.now();
    const errors = await client.validate(job.object);
    const firstMs = performance.now() - started;
    if (errors.length > 0) throw new Error(`the bench's ${job.descriptor} object is not valid: ${JSON.stringify(errors)}`);
    const validations: number[] = [];
    for (let index = 0; index < job.validations; index++) {
      started = performance.now();
      await client.validate(job.object);
      validations.push(performance.now() - started);
    }
    const trips: number[] = [];
    for (let index = 0; index < WARM_UP_TRIPS + job.roundTrips; index++) {
      const object = { ...job.object, metadata: { ...job.object.metadata, name: `${job.object.metadata.name}-${index}` } };
      started = performance.now();
      await client.create(object, { dryRun: "All" });
      if (index >= WARM_UP_TRIPS) trips.push(performance.now() - started);
    }
    return { firstMs, validateUs: summarize(validations).median * 1000, roundTripMs: summarize(trips).median };
  } finally {
    await kube.close();
  }
});

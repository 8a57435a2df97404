import type { PodManifest } from "../fixtures.js";

/** A running watch: counts events until stopped. */
export interface RunningWatch {
  stop(): Promise<void>;
}

/** A running informer (or its nearest equivalent): objects held in memory until stopped. */
export interface HeldInformer {
  size(): number;
  stop(): Promise<void>;
}

/**
 * The operations every scenario needs, written the way a user of each client would write them.
 * A method that is absent means the client has no such API; `unsupported` says why.
 */
export interface ContenderClient {
  getPod(namespace: string, name: string): Promise<unknown>;
  /** One list call; answers the number of items. */
  listPods(namespace: string): Promise<number>;
  createPod(namespace: string, pod: PodManifest): Promise<unknown>;
  /** Server-side apply, field manager `kubetyped-bench`, force. */
  applyPod(namespace: string, pod: PodManifest): Promise<unknown>;
  /** Plain watch of the namespace (no resourceVersion); `onEvent` runs per event. */
  watchPods(namespace: string, onEvent: (type: string) => void): Promise<RunningWatch>;
  /** Every object of the namespace, page by page, without keeping them; answers the count. */
  listAllPaginated?(namespace: string, pageSize: number): Promise<number>;
  /** The same over PartialObjectMetadata (what a metadata-only informer lists). */
  listAllMetadataPaginated?(namespace: string, pageSize: number): Promise<number>;
  /** List + watch into a local store. */
  informPods?(namespace: string): Promise<HeldInformer>;
  /** The same, each object passed through a transform that drops `metadata.managedFields` before it is stored. */
  informPodsTransformed?(namespace: string): Promise<HeldInformer>;
  /** The same over PartialObjectMetadata (metadata only, as client-go's metadata informers). */
  informPodMetadata?(namespace: string): Promise<HeldInformer>;
  /** Metadata only with managedFields dropped too (managedFields are metadata: most of what a metadata informer keeps). */
  informPodMetadataLean?(namespace: string): Promise<HeldInformer>;
  close(): Promise<void>;
}

export interface ContenderSetup {
  kubeconfigPath: string;
  generatedCoreV1: string;
}

export type ContenderFactory = (setup: ContenderSetup) => Promise<ContenderClient>;

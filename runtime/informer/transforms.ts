// Ready-made informer transforms: what a cache can leave out of every object it holds.

/**
 * An informer `transform` that removes `metadata.managedFields` (server-side apply's field ownership, often a
 * third or more of an object) before the object is stored, as client-go's `TransformStripManagedFields`:
 * `createInformer(kube.resource(pods), { transform: dropManagedFields })`. It changes and returns the object it
 * is given, which is the informer's own freshly decoded copy.
 */
export function dropManagedFields<T extends { metadata?: object }>(object: T): T {
  const metadata = object.metadata as { managedFields?: unknown } | undefined;
  if (metadata !== undefined && "managedFields" in metadata) delete metadata.managedFields;
  return object;
}

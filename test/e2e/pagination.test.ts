import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ExpiredContinueError, isGone, KubeClient } from "../../runtime/index.js";
import { createTransport, loadKubeconfig, type RequestTransport } from "../../runtime/entries/plumbing.js";
import { compactEtcd, createNamespace, runBounded } from "../support/cluster-ops.js";
import { describeWithCluster, type LocalClusterInfo } from "../support/cluster.js";
import { configmaps } from "../types/fixtures.js";

const OBJECTS = 10_000;
const PAGE = 500;

/** A client whose every request is counted, to see when pages are fetched. */
async function countingClient(cluster: LocalClusterInfo, namespace: string): Promise<{ kube: KubeClient; paths: string[] }> {
  const transport = createTransport(await loadKubeconfig({ kubeconfig: cluster.kubeconfigPath }));
  const paths: string[] = [];
  const counting: RequestTransport = {
    server: transport.server,
    send: (request) => {
      paths.push(request.path);
      return transport.send(request);
    },
    close: () => transport.close(),
  };
  return { kube: new KubeClient(counting, { namespace }), paths };
}

/** Registers hooks that fill a fresh namespace with `objects` ConfigMaps (cm-00000...) and empty it afterwards. */
function seededNamespace(cluster: LocalClusterInfo, objects: number): { kube: KubeClient; paths: string[] } {
  const namespace = `pages-e2e-${randomBytes(4).toString("hex")}`;
  const seeded = { kube: undefined as unknown as KubeClient, paths: [] as string[] };

  beforeAll(async () => {
    Object.assign(seeded, await countingClient(cluster, namespace));
    await createNamespace(seeded.kube, namespace);
    const started = Date.now();
    const cms = seeded.kube.resource(configmaps);
    await runBounded(objects, 16, async (index) => void (await cms.create({ metadata: { name: `cm-${String(index).padStart(5, "0")}` } })));
    console.info(`pagination e2e: created ${objects} ConfigMaps in ${Date.now() - started} ms`);
  }, 240_000);

  afterAll(async () => {
    // Leave no 10,000 objects in the shared cluster's watch cache for later tests. The server stops one
    // deletecollection after its request timeout (60 s), so repeat until the namespace is empty.
    if (!seeded.kube) return;
    const path = `/api/v1/namespaces/${namespace}/configmaps`;
    for (let round = 0; round < 3; round++) {
      await seeded.kube.requestJson({ method: "DELETE", path, timeoutMs: 90_000 }).catch(() => {});
      if ((await seeded.kube.resource(configmaps).list({ limit: 1 })).items.length === 0) break;
    }
    await seeded.kube.close();
  }, 180_000);
  return seeded;
}

/** Lists the first page, then writes two objects and compacts etcd past the list's revision. */
async function firstPageThenCompact(kube: KubeClient, cluster: LocalClusterInfo) {
  const cms = kube.resource(configmaps);
  const pagesIterator = cms.listPages({ limit: PAGE })[Symbol.asyncIterator]();
  const first = await pagesIterator.next();
  expect(first.value?.metadata.continue).toBeTruthy();
  // Two writes after the list, so compaction removes the list's revision itself.
  // Named to sort after every cm-*: the continued list reads keys after the first page's last one.
  await cms.create({ metadata: { name: "zz-after-first-page-1" } });
  await cms.create({ metadata: { name: "zz-after-first-page-2" } });
  await compactEtcd(cluster.etcd.endpoint);
  return pagesIterator;
}

describeWithCluster(`listing ${OBJECTS} ConfigMaps page by page`, (cluster) => {
  const seeded = seededNamespace(cluster, OBJECTS);
  let kube: KubeClient;
  let paths: string[];
  beforeAll(() => void ({ kube, paths } = seeded));

  it(`reads every object exactly once with limit=${PAGE}, fetching each page only when the previous one is used up`, async () => {
    paths.length = 0;
    const names = new Set<string>();
    let pages = 0;
    let duplicates = 0;
    for await (const page of kube.resource(configmaps).listPages({ limit: PAGE })) {
      pages++;
      // Lazy: the request for this page has been made, the next one not yet.
      expect(paths).toHaveLength(pages);
      expect(page.items.length).toBeLessThanOrEqual(PAGE);
      for (const item of page.items) {
        if (names.has(item.metadata!.name!)) duplicates++;
        names.add(item.metadata!.name!);
      }
    }
    expect(duplicates).toBe(0);
    expect(names.size).toBe(OBJECTS);
    expect(pages).toBe(OBJECTS / PAGE);
    expect(paths.slice(1).every((path) => /[?&]continue=/.test(path) && /[?&]limit=500/.test(path))).toBe(true);

    // listAll yields the same items, still one page request at a time.
    paths.length = 0;
    let items = 0;
    for await (const item of kube.resource(configmaps).listAll({ limit: PAGE })) {
      items++;
      expect(paths.length).toBe(Math.ceil(items / PAGE));
      expect(item.metadata?.name).toMatch(/^cm-\d{5}$/);
    }
    expect(items).toBe(OBJECTS);
  });

  it("continues a paged list after etcd compacts its version: a current server serves it from its cache", async () => {
    // v1.20 answers 410 Expired here (the next describe); a current server (ListFromCacheSnapshot) keeps the
    // list's snapshot in its watch cache, so the pages go on at the list's version, without the two new objects.
    const pagesIterator = await firstPageThenCompact(kube, cluster);
    let rest = 0;
    for (let page = await pagesIterator.next(); !page.done; page = await pagesIterator.next()) rest += page.value.items.length;
    expect(rest).toBe(OBJECTS - PAGE);
  });
});

const EXPIRING = 3 * PAGE;
describeWithCluster(`a paged list of ${EXPIRING} ConfigMaps whose version etcd compacts (v1.20.2)`, (cluster) => {
  const seeded = seededNamespace(cluster, EXPIRING);

  it("fails with ExpiredContinueError when etcd compacts the list's version, and continues with the inconsistent token it offers", async () => {
    const { kube } = seeded;
    const cms = kube.resource(configmaps);
    const pagesIterator = await firstPageThenCompact(kube, cluster);
    const failure = await pagesIterator.next().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ExpiredContinueError);
    expect(failure).toSatisfy(isGone);
    expect(isGone(failure)).toBe(true);
    const expired = failure as ExpiredContinueError;
    expect(expired.code).toBe(410);
    expect(expired.reason).toBe("Expired");
    expect(expired.pagesRead).toBe(1);
    expect(expired.message).toMatch(/continue/);
    expect(expired.inconsistentContinue).toEqual(expect.any(String));

    // The offered token continues after the first page at the current version (so it sees the two new objects).
    let rest = 0;
    for await (const page of cms.listPages({ limit: PAGE, continue: expired.inconsistentContinue! })) rest += page.items.length;
    expect(rest).toBe(EXPIRING - PAGE + 2);
  });
}, "oldestCluster");

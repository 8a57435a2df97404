// The burst of changes a watch sees on the real API server: merge patches of one pod's annotation,
// 16 at a time, from a raw undici client that is the same whichever contender is watching.
import { Agent, request } from "undici";
import { readCurrentContext } from "../contenders/undici.js";
import { NAMESPACES, WATCH_POD } from "../plan.js";

export async function sendPatchBurst(kubeconfigPath: string, count: number, concurrency = 16): Promise<void> {
  const { server, ca, cert, key, token } = await readCurrentContext(kubeconfigPath);
  const dispatcher = new Agent({ connect: { ...(ca && { ca }), ...(cert && { cert }), ...(key && { key }) } });
  const url = `${server}/api/v1/namespaces/${NAMESPACES.watch}/pods/${WATCH_POD}`;
  let next = 0;
  const stamp = Date.now();
  const one = async () => {
    while (next < count) {
      const i = next++;
      const response = await request(url, {
        method: "PATCH",
        dispatcher,
        headers: { "content-type": "application/merge-patch+json", ...(token && { authorization: `Bearer ${token}` }) },
        body: JSON.stringify({ metadata: { annotations: { "kubetyped.dev/revision": `${stamp}-${i}` } } }),
      });
      const text = await response.body.text();
      if (response.statusCode >= 300) throw new Error(`burst patch ${url}: ${response.statusCode} ${text.slice(0, 200)}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, one));
  } finally {
    await dispatcher.close();
  }
}

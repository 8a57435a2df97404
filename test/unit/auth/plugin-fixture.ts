import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ClusterConnection, ExecCredentialConfig } from "../../../runtime/config/types.js";
import { makeTempDir } from "../../support/tmp.js";

/**
 * A fake credential plugin: a node script that counts its runs in a file, records the
 * KUBERNETES_EXEC_INFO it saw, and answers according to PLUGIN_* env variables.
 */
const SCRIPT = `
const fs = require("node:fs");
const dir = process.env.PLUGIN_STATE_DIR;
const countFile = dir + "/count";
const count = (fs.existsSync(countFile) ? Number(fs.readFileSync(countFile, "utf8")) : 0) + 1;
fs.writeFileSync(countFile, String(count));
fs.writeFileSync(dir + "/exec-info-" + count + ".json", process.env.KUBERNETES_EXEC_INFO || "");
fs.writeFileSync(dir + "/extra-env", process.env.PLUGIN_EXTRA || "");
const mode = process.env.PLUGIN_MODE || "token";
if (mode === "fail") { process.stderr.write("line one\\nauth server said no: eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln\\n"); process.exit(3); }
if (mode === "hang") { setTimeout(() => {}, 60000); return; }
const status = {};
if (mode === "token") status.token = (process.env.PLUGIN_TOKEN || "plugin-token") + "-" + count;
if (mode === "cert") {
  status.clientCertificateData = process.env.PLUGIN_CERT_FILE ? fs.readFileSync(process.env.PLUGIN_CERT_FILE, "utf8") : "CERT-" + count;
  status.clientKeyData = process.env.PLUGIN_KEY_FILE ? fs.readFileSync(process.env.PLUGIN_KEY_FILE, "utf8") : "KEY-" + count;
}
if (process.env.PLUGIN_EXPIRES) status.expirationTimestamp = process.env.PLUGIN_EXPIRES;
process.stdout.write(JSON.stringify({ apiVersion: process.env.PLUGIN_ANSWER_VERSION || JSON.parse(process.env.KUBERNETES_EXEC_INFO).apiVersion, kind: "ExecCredential", status }));
`;

export interface FakePlugin {
  dir: string;
  exec(overrides?: Partial<ExecCredentialConfig> & { pluginEnv?: Record<string, string> }): ExecCredentialConfig;
  runs(): Promise<number>;
  execInfo(run: number): Promise<unknown>;
  extraEnv(): Promise<string>;
}

export async function fakePlugin(): Promise<FakePlugin> {
  const dir = await makeTempDir("plugin-");
  const script = path.join(dir, "plugin.cjs");
  await writeFile(script, SCRIPT);
  return {
    dir,
    exec({ pluginEnv = {}, ...overrides } = {}) {
      return {
        apiVersion: "client.authentication.k8s.io/v1",
        command: process.execPath,
        args: [script],
        env: Object.entries({ PLUGIN_STATE_DIR: dir, ...pluginEnv }).map(([name, value]) => ({ name, value })),
        provideClusterInfo: false,
        interactiveMode: "Never",
        ...overrides,
      };
    },
    async runs() {
      try {
        return Number(await readFile(path.join(dir, "count"), "utf8"));
      } catch {
        return 0;
      }
    },
    async execInfo(run) {
      return JSON.parse(await readFile(path.join(dir, `exec-info-${run}.json`), "utf8"));
    },
    extraEnv: () => readFile(path.join(dir, "extra-env"), "utf8"),
  };
}

export function connectionWithExec(exec: ExecCredentialConfig): ClusterConnection {
  return {
    server: "https://127.0.0.1:6443",
    tls: { insecureSkipVerify: false, ca: Buffer.from("CA-PEM"), serverName: "kubernetes.default.svc" },
    credentials: { type: "exec", exec },
    namespace: "default",
    source: "test",
  };
}

import { spawn } from "node:child_process";
import type { ExecCredentialConfig, TlsSettings } from "../config/types.js";
import { Secret } from "../config/secret.js";
import { clearLongTimeout, setLongTimeout } from "../timers.js";
import { AuthError } from "./errors.js";

/** What an ExecCredential's status gave us. */
export interface ExecCredential {
  token?: Secret;
  clientCertificate?: { cert: Buffer; key: Secret<Buffer> };
  /** Epoch ms; undefined means valid until a 401 says otherwise. */
  expiresAt?: number;
}

export interface ExecRunOptions {
  /** Cluster facts handed to the plugin when `provideClusterInfo` is set. */
  cluster: { server: string; tls: TlsSettings; proxyUrl?: string };
  timeoutMs: number;
  baseEnv?: NodeJS.ProcessEnv;
}

const MAX_OUTPUT_BYTES = 1024 * 1024;
const STDERR_TAIL_CHARS = 600;

/** Runs a client-go style credential plugin once and parses its ExecCredential. */
export async function runExecPlugin(exec: ExecCredentialConfig, options: ExecRunOptions): Promise<ExecCredential> {
  const interactive = exec.interactiveMode !== "Never" && process.stdin.isTTY === true;
  if (exec.interactiveMode === "Always" && !interactive) {
    throw new AuthError(`exec plugin ${exec.command} needs interactiveMode Always, but standard input is not a terminal; run from a terminal or change interactiveMode`, { subject: exec.command });
  }
  const env: NodeJS.ProcessEnv = { ...(options.baseEnv ?? process.env) };
  for (const { name, value } of exec.env) env[name] = value;
  env.KUBERNETES_EXEC_INFO = JSON.stringify(execInfo(exec, options, interactive));

  const { stdout, stderr, code, signal } = await spawnCollect(exec, env, options.timeoutMs, interactive);
  if (code !== 0) {
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    throw new AuthError(`exec plugin ${exec.command} ${how}${stderrTail(stderr)}`, { subject: exec.command });
  }
  return parseExecCredential(stdout, exec);
}

function execInfo(exec: ExecCredentialConfig, options: ExecRunOptions, interactive: boolean): unknown {
  const spec: Record<string, unknown> = { interactive };
  if (exec.provideClusterInfo) {
    const { server, tls, proxyUrl } = options.cluster;
    const cluster: Record<string, unknown> = { server };
    if (tls.serverName) cluster["tls-server-name"] = tls.serverName;
    if (tls.insecureSkipVerify) cluster["insecure-skip-tls-verify"] = true;
    if (tls.ca) cluster["certificate-authority-data"] = tls.ca.toString("base64");
    if (proxyUrl) cluster["proxy-url"] = proxyUrl;
    spec.cluster = cluster;
  }
  return { apiVersion: exec.apiVersion, kind: "ExecCredential", spec };
}

interface Collected {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

function spawnCollect(exec: ExecCredentialConfig, env: NodeJS.ProcessEnv, timeoutMs: number, interactive: boolean): Promise<Collected> {
  return new Promise((resolve, reject) => {
    const child = spawn(exec.command, exec.args, { env, stdio: [interactive ? "inherit" : "ignore", "pipe", "pipe"], windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let settled = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearLongTimeout(timer);
      action();
    };
    const timer =
      timeoutMs > 0
        ? setLongTimeout(() => {
            child.kill("SIGKILL");
            finish(() => reject(new AuthError(`exec plugin ${exec.command} did not answer within ${timeoutMs} ms; check that it is not waiting for input`, { subject: exec.command })));
          }, timeoutMs)
        : undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > MAX_OUTPUT_BYTES) {
        child.kill("SIGKILL");
        finish(() => reject(new AuthError(`exec plugin ${exec.command} wrote more than ${MAX_OUTPUT_BYTES} bytes; is it a credential plugin?`, { subject: exec.command })));
        return;
      }
      out.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      err.push(chunk);
      if (err.length > 64) err.splice(0, err.length - 64); // keep only the tail
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      finish(() => reject(spawnError(exec, error)));
    });
    child.on("close", (code, signal) => {
      finish(() => resolve({ stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), code, signal }));
    });
  });
}

function spawnError(exec: ExecCredentialConfig, error: NodeJS.ErrnoException): AuthError {
  if (error.code === "ENOENT") {
    const hint = exec.installHint ? `\n${exec.installHint.trim()}` : "\nInstall it, or fix users[].user.exec.command in your kubeconfig.";
    return new AuthError(`exec plugin "${exec.command}" was not found (PATH or the kubeconfig's folder)${hint}`, { subject: exec.command, cause: error });
  }
  if (error.code === "EACCES") {
    return new AuthError(`exec plugin "${exec.command}" is not executable; chmod +x it`, { subject: exec.command, cause: error });
  }
  return new AuthError(`exec plugin "${exec.command}" could not start (${error.code ?? error.message})`, { subject: exec.command, cause: error });
}

function stderrTail(stderr: string): string {
  const trimmed = redactTokens(stderr.trim());
  if (!trimmed) return "";
  const tail = trimmed.length > STDERR_TAIL_CHARS ? `…${trimmed.slice(-STDERR_TAIL_CHARS)}` : trimmed;
  return `; its stderr ends with:\n${tail}`;
}

/** Belt and braces: a plugin that echoes a JWT on failure must not leak it through our error. */
function redactTokens(text: string): string {
  return text.replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, "[redacted]");
}

/** Parses stdout; messages describe what is wrong, never the content. */
export function parseExecCredential(stdout: string, exec: ExecCredentialConfig): ExecCredential {
  const fail = (what: string) => new AuthError(`exec plugin ${exec.command} returned an invalid ExecCredential: ${what}`, { subject: exec.command });
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw fail(`stdout is not JSON (${stdout.length} bytes); the plugin must print one ExecCredential object`);
  }
  if (typeof parsed !== "object" || parsed === null) throw fail("stdout is not a JSON object");
  const credential = parsed as { apiVersion?: unknown; kind?: unknown; status?: Record<string, unknown> };
  if (credential.kind !== "ExecCredential") throw fail(`kind is ${JSON.stringify(credential.kind ?? null)}, expected "ExecCredential"`);
  if (credential.apiVersion !== exec.apiVersion) {
    throw fail(`apiVersion is ${JSON.stringify(credential.apiVersion ?? null)} but the kubeconfig asked for ${exec.apiVersion}`);
  }
  const status = credential.status;
  if (typeof status !== "object" || status === null) throw fail("status is missing");
  const result: ExecCredential = {};
  const { token, clientCertificateData: certData, clientKeyData: keyData, expirationTimestamp } = status;
  if (typeof token === "string" && token) result.token = new Secret(token);
  if (certData !== undefined || keyData !== undefined) {
    if (typeof certData !== "string" || typeof keyData !== "string" || !certData || !keyData) {
      throw fail("status.clientCertificateData and status.clientKeyData must both be set");
    }
    result.clientCertificate = { cert: Buffer.from(certData), key: new Secret(Buffer.from(keyData)) };
  }
  if (!result.token && !result.clientCertificate) throw fail("status has neither token nor clientCertificateData/clientKeyData");
  if (expirationTimestamp !== undefined && expirationTimestamp !== null) {
    const at = typeof expirationTimestamp === "string" ? Date.parse(expirationTimestamp) : Number.NaN;
    if (Number.isNaN(at)) throw fail("status.expirationTimestamp is not an RFC 3339 time");
    result.expiresAt = at;
  }
  return result;
}

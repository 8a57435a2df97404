// kubectl for cross-checks only (the product never depends on it): is it here, and what does it say.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

/** True when `kubectl version --client` runs. */
export async function kubectlAvailable(): Promise<boolean> {
  try {
    await run("kubectl", ["version", "--client"], { timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

/** Runs kubectl against `kubeconfig` and answers its stdout. */
export async function kubectl(kubeconfig: string, args: string[]): Promise<string> {
  const { stdout } = await run("kubectl", ["--kubeconfig", kubeconfig, ...args], { timeout: 30_000 });
  return stdout;
}

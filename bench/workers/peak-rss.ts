import { readFileSync } from "node:fs";

/**
 * This process's peak RSS in MB. Linux keeps getrusage's ru_maxrss across fork+exec, so a child's
 * `resourceUsage().maxRSS` starts at its parent's peak; /proc/self/status VmHWM belongs to this process's
 * own address space. Elsewhere maxRSS is the best there is.
 */
export function peakRssMb(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

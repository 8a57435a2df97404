// Renders the tables as Markdown (printed and written to latest.md) and JSON (latest.json).
import { isMeasured, type Cell, type Table } from "./results.js";

export interface RunInfo {
  date: string;
  mode: "full" | "quick";
  machine: { cpus: number; cpuModel: string; memoryGb: number; loadAverage: number[]; node: string; platform: string };
  versions: Record<string, string>;
  targets: string[];
  durationS: number;
  notes: string[];
}

export function formatNumber(value: number, unit: string): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  const text = value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit ? `${text} ${unit}` : text;
}

function cellText(cell: Cell | undefined, unit: string): string {
  if (!cell) return "";
  if (!isMeasured(cell)) return `n/a: ${cell.na.replace(/\|/g, "\\|").replace(/\n/g, " ")}`;
  const median = formatNumber(cell.median, unit);
  return cell.runs.length > 1 ? `${median} (${formatNumber(cell.min, "")}–${formatNumber(cell.max, "")})` : median;
}

export function renderMarkdown(tables: Table[], info: RunInfo, labels: Record<string, string>): string {
  const lines: string[] = [];
  const m = info.machine;
  lines.push(`Run ${info.date} (${info.mode}, ${Math.round(info.durationS)} s) on ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB RAM, ${m.platform}, Node ${m.node}; load average at start ${m.loadAverage.map((l) => l.toFixed(1)).join(" / ")}.`);
  lines.push(`Versions: ${Object.entries(info.versions).map(([name, version]) => `${name} ${version}`).join(", ")}. Targets: ${info.targets.join("; ")}.`);
  lines.push("Cells: median (min–max) over the runs. Ratio columns: how many times better kubetyped is than that peer on the row's metric (above 1: kubetyped wins).");
  for (const note of info.notes) lines.push(`- ${note}`);
  for (const table of tables) {
    // Ratios are kubetyped's; a table without it (the CBOR one compares decoders) has none.
    const peers = table.columns.includes("kubetyped") ? table.columns.filter((c) => c !== "kubetyped") : [];
    lines.push("", `### ${table.title}`, "");
    if (table.note) lines.push(table.note, "");
    const header = ["scenario", "metric", ...table.columns.map((c) => labels[c] ?? c), ...peers.map((p) => `vs ${labels[p] ?? p}`), "goals"];
    lines.push(`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`);
    for (const row of table.rows) {
      const ratios = peers.map((peer) => {
        const a = row.cells.kubetyped;
        const b = row.cells[peer];
        if (!isMeasured(a) || !isMeasured(b) || a.median === 0 || b.median === 0) return "";
        return `${(row.better === "lower" ? b.median / a.median : a.median / b.median).toFixed(2)}×`;
      });
      const goals = row.goals.map((g) => `${g.status === "pass" ? "pass" : g.status === "miss" ? "**miss**" : "n/a"}: ${g.goal} (${g.detail})`).join("<br>");
      const metric = `${row.metric} (${row.better === "lower" ? "lower" : "higher"} is better)`;
      lines.push(`| ${[row.scenario, metric, ...table.columns.map((c) => cellText(row.cells[c], row.unit)), ...ratios, goals].join(" | ")} |`);
    }
  }
  return `${lines.join("\n")}\n`;
}

export function renderJson(tables: Table[], info: RunInfo): string {
  return `${JSON.stringify({ ...info, tables }, null, 2)}\n`;
}

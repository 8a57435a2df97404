// Measurements gathered during a run, grouped into tables: one row per scenario and metric, one cell per
// contender holding every run (summarized to median and min–max) or the reason it does not apply.
import { summarize, type Summary } from "./stats.js";

export type Cell = Summary | { na: string };
export type Better = "lower" | "higher";

export interface GoalCheck {
  goal: string;
  status: "pass" | "miss" | "n/a";
  detail: string;
}

export interface Row {
  scenario: string;
  metric: string;
  unit: string;
  better: Better;
  cells: Record<string, Cell>;
  goals: GoalCheck[];
}

export interface Table {
  id: string;
  title: string;
  note: string;
  columns: string[];
  rows: Row[];
}

interface RowSpec {
  scenario: string;
  metric: string;
  unit: string;
  better: Better;
}

/** Collects values as workers answer; `tables()` summarizes them. */
export class ResultCollector {
  readonly #tables = new Map<string, { title: string; note: string; columns: string[]; rows: Map<string, { spec: RowSpec; values: Map<string, number[]>; na: Map<string, string> }> }>();

  table(id: string, title: string, columns: readonly string[], note = ""): void {
    if (!this.#tables.has(id)) this.#tables.set(id, { title, note, columns: [...columns], rows: new Map() });
  }

  #row(tableId: string, spec: RowSpec) {
    const table = this.#tables.get(tableId);
    if (!table) throw new Error(`results: table ${tableId} was not declared`);
    const key = `${spec.scenario}\u0000${spec.metric}`;
    let row = table.rows.get(key);
    if (!row) {
      row = { spec, values: new Map(), na: new Map() };
      table.rows.set(key, row);
    }
    return row;
  }

  add(tableId: string, spec: RowSpec, contender: string, value: number): void {
    const row = this.#row(tableId, spec);
    if (!Number.isFinite(value)) return this.notApplicable(tableId, spec, contender, `not a finite number (${value})`);
    row.values.set(contender, [...(row.values.get(contender) ?? []), value]);
  }

  notApplicable(tableId: string, spec: RowSpec, contender: string, reason: string): void {
    const row = this.#row(tableId, spec);
    if (!row.na.has(contender)) row.na.set(contender, reason);
  }

  tables(goalsFor: (tableId: string, row: Omit<Row, "goals">) => GoalCheck[]): Table[] {
    return [...this.#tables].map(([id, table]) => ({
      id,
      title: table.title,
      note: table.note,
      columns: table.columns,
      rows: [...table.rows.values()].map(({ spec, values, na }) => {
        const cells: Record<string, Cell> = {};
        for (const column of table.columns) {
          const runs = values.get(column);
          // A contender that failed in one run but answered in others keeps its numbers; the failure is in the log.
          cells[column] = runs?.length ? summarize(runs) : { na: na.get(column) ?? "not measured" };
        }
        const row = { ...spec, cells };
        return { ...row, goals: goalsFor(id, row) };
      }),
    }));
  }
}

export const isMeasured = (cell: Cell | undefined): cell is Summary => cell !== undefined && !("na" in cell);

/** How many times better `ours` is than `peer` (>1: ours wins), by the row's direction. */
export function advantage(row: Pick<Row, "better" | "cells">, ours: string, peer: string): number | undefined {
  const a = row.cells[ours];
  const b = row.cells[peer];
  if (!isMeasured(a) || !isMeasured(b) || a.median === 0 || b.median === 0) return undefined;
  return row.better === "lower" ? b.median / a.median : a.median / b.median;
}

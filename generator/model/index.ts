export { buildModel } from "./build.js";
export type { BuildModelOptions } from "./build.js";
export { ModelError } from "./errors.js";
export { summarizeModel, describeType } from "./summary.js";
export type { ModelSummary, GroupVersionSummary, ResourceSummary, PropertySummary } from "./summary.js";
export * from "./ir.js";
export { compareSummaries, type ChangeEntry, type ChangeReport, type ChangeSubject } from "./compare.js";

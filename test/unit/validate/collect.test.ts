import { describe, expect, it } from "vitest";
import type { Definition } from "../../../generator/model/definitions.js";
import { collectValidation } from "../../../generator/model/validation.js";

const definition = (key: string, schema: Record<string, unknown>): Definition => ({ key, schema, document: "test", pointer: `#/${key}`, groupVersionKinds: [] });

describe("validation data read from the schemas at generation", () => {
  it("keeps validation keywords, rewrites references, and names once what is left to the server", () => {
    const definitions = new Map([
      [
        "io.example.v1.Widget",
        definition("io.example.v1.Widget", {
          type: "object",
          description: "dropped",
          properties: {
            name: { type: "string", pattern: "^[a-z]+$", maxLength: 5, description: "dropped" },
            lazy: { type: "string", pattern: "(?U)a+" },
            even: { type: "integer", "x-kubernetes-validations": [{ rule: "noSuchFunction(self)" }] },
            meta: { $ref: "#/components/schemas/io.k8s.api.core.v1.Thing" },
          },
        }),
      ],
      ["io.k8s.api.core.v1.Thing", definition("io.k8s.api.core.v1.Thing", { type: "object", properties: { name: { type: "string", default: "" }, protocol: { type: "string", enum: ["TCP", "UDP"] } }, required: ["name"] })],
    ]);
    const refOf = (key: string) => (key === "io.example.v1.Widget" ? { module: "example.io/v1", name: "Widget" } : { module: "core/v1", name: "Thing" });
    const model = collectValidation(definitions, refOf);
    expect(model.modules.get("example.io/v1")!["Widget"]).toEqual({
      type: "object",
      properties: {
        even: { type: "integer", "x-kubernetes-validations": [{ rule: "noSuchFunction(self)" }] },
        lazy: { type: "string" },
        meta: { $ref: "core/v1#Thing" },
        name: { type: "string", pattern: "^[a-z]+$", maxLength: 5 },
      },
    });
    // A built-in type's published default is its Go zero value: the server never fills it in. And Go decodes JSON null
    // to that zero value anywhere in a built-in, so null is never a type error there.
    // A built-in's Go defaulting takes "" as unset (a Service's type "" becomes ClusterIP), with or without a schema default.
    expect(model.modules.get("core/v1")!["Thing"]).toEqual({
      type: "object",
      nullable: true,
      required: ["name"],
      properties: { name: { type: "string", nullable: true }, protocol: { type: "string", nullable: true, enum: ["TCP", "UDP", ""] } },
    });
    // A rule no evaluator compiles (the reason is the evaluator's own words).
    expect(model.leftToServer).toHaveLength(2);
    expect(model.leftToServer[0]).toMatch(/^io\.example\.v1\.Widget\.even: rule "noSuchFunction\(self\)": \S/);
    expect(model.leftToServer[1]).toBe('io.example.v1.Widget.lazy: pattern "(?U)a+": the ungreedy flag (?U) has no JavaScript equivalent');
  });

  it("keeps a built-in's strategic merge patch keywords, and marks its kinds as taking strategic merge patches (custom resources do not)", () => {
    const containers = { type: "array", items: { type: "string" }, "x-kubernetes-patch-strategy": "merge", "x-kubernetes-patch-merge-key": "name" };
    const kind = (key: string): Definition => ({ ...definition(key, { type: "object", properties: { containers } }), groupVersionKinds: [{ group: "", version: "v1", kind: "Pod" }] });
    const definitions = new Map([
      ["io.k8s.api.core.v1.Pod", kind("io.k8s.api.core.v1.Pod")],
      ["io.k8s.api.core.v1.PodSpec", definition("io.k8s.api.core.v1.PodSpec", { type: "object", properties: { containers } })],
      ["io.example.v1.Widget", kind("io.example.v1.Widget")],
    ]);
    const model = collectValidation(definitions, (key) => ({ module: key.startsWith("io.example") ? "example.io/v1" : "core/v1", name: key.split(".").pop()! }));
    const kept = { type: "array", items: { type: "string", nullable: true }, nullable: true, "x-kubernetes-patch-strategy": "merge", "x-kubernetes-patch-merge-key": "name" };
    expect(model.modules.get("core/v1")!["Pod"]).toEqual({ type: "object", nullable: true, "x-kubetyped-strategic-merge": true, properties: { containers: kept } });
    expect(model.modules.get("core/v1")!["PodSpec"]).toEqual({ type: "object", nullable: true, properties: { containers: kept } });
    expect(model.modules.get("example.io/v1")!["Widget"]!["x-kubetyped-strategic-merge"]).toBeUndefined();
  });

  it("keeps anyOf/oneOf/not, leaves a not or oneOf whose pattern JavaScript cannot match to the server, and lets a built-in's oneOf take null", () => {
    const definitions = new Map([
      [
        "io.example.v1.Gadget",
        definition("io.example.v1.Gadget", {
          type: "object",
          properties: {
            a: { type: "string", anyOf: [{ maxLength: 2 }, { pattern: "(?U)a+" }] },
            n: { type: "string", not: { pattern: "^x" } },
            m: { type: "string", not: { pattern: "(?U)a+" } },
            o: { type: "string", oneOf: [{ maxLength: 2 }, { pattern: "(?U)a+" }] },
          },
        }),
      ],
      ["io.k8s.apimachinery.pkg.util.intstr.IntOrString", definition("io.k8s.apimachinery.pkg.util.intstr.IntOrString", { format: "int-or-string", oneOf: [{ type: "integer" }, { type: "string" }] })],
    ]);
    const refOf = (key: string) => (key === "io.example.v1.Gadget" ? { module: "example.io/v1", name: "Gadget" } : { module: "util/intstr", name: "IntOrString" });
    const model = collectValidation(definitions, refOf);
    expect(model.modules.get("example.io/v1")!["Gadget"]).toEqual({
      type: "object",
      properties: {
        a: { type: "string", anyOf: [{ maxLength: 2 }, {}] },
        m: { type: "string" },
        n: { type: "string", not: { pattern: "^x" } },
        o: { type: "string" },
      },
    });
    expect(model.leftToServer.filter((line) => /: (not|oneOf): left to the server/.test(line))).toEqual([
      "io.example.v1.Gadget.m: not: left to the server with the pattern(s) above",
      "io.example.v1.Gadget.o: oneOf: left to the server with the pattern(s) above",
    ]);
    expect(model.modules.get("util/intstr")!["IntOrString"]).toEqual({ format: "int-or-string", nullable: true, oneOf: [{ type: "integer", nullable: true }, { type: "string", nullable: true }] });
  });
  it("keeps a format added in a later release only for a server that checks it (k8s-short-name from 1.34)", () => {
    const definitions = new Map([["io.example.v1.Name", definition("io.example.v1.Name", { type: "string", format: "k8s-short-name" })]]);
    const refOf = () => ({ module: "example.io/v1", name: "Name" });
    const at = (minor: string | undefined) =>
      collectValidation(definitions, refOf, minor === undefined ? undefined : { major: "1", minor, gitVersion: `v1.${minor}.0` }).modules.get("example.io/v1")!["Name"];
    expect(at("34")).toEqual({ type: "string", format: "k8s-short-name" });
    expect(at("37+")).toEqual({ type: "string", format: "k8s-short-name" });
    expect(at("33")).toEqual({ type: "string" });
    expect(at(undefined)).toEqual({ type: "string" });
  });
});

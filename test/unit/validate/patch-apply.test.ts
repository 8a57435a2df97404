// Patches applied locally as the server applies them: RFC 7386 and RFC 6902's own examples, the server's differences, and strategic merge's directives.
import { describe, expect, it } from "vitest";
import type { SchemaNode, ValidationModule } from "../../../runtime/api/validation-schema.js";
import { patchedObject } from "../../../runtime/validate/patch/index.js";

const plain: ValidationModule = { module: "example.com/v1", schemas: { Widget: { type: "object" } }, imports: {} };
const merge = (doc: object, patch: object) => patchedObject(plain, "Widget", "merge", doc, patch);
const json = (doc: object, operations: object[]) => patchedObject(plain, "Widget", "json", doc, operations);

describe("JSON merge patch (RFC 7386) as the server applies it", () => {
  // RFC 7386 Appendix A, the cases whose document and patch are objects.
  it.each([
    [{ a: "b" }, { a: "c" }, { a: "c" }],
    [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
    [{ a: "b" }, { a: null }, {}],
    [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
    [{ a: ["b"] }, { a: "c" }, { a: "c" }],
    [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
    [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
    [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])("RFC 7386 example %j + %j", (doc, patch, expected) => {
    expect(merge(doc, patch)).toEqual(expected);
  });

  it("drops the null members of objects in a value that does not merge into an object (evanphx/json-patch, checked live in test/e2e/patch-check)", () => {
    expect(merge({ spec: { tags: ["a"] } }, { spec: { tags: ["b"], extra: { x: null, y: [{ z: null, w: 1 }] } } })).toEqual({ spec: { tags: ["b"], extra: { y: [{ w: 1 }] } } });
  });

  it("leaves to the server the nulls servers treat differently: list items (v1.37 keeps them, older servers drop them), and those in a list replacing an object", () => {
    expect(merge({ spec: { tags: ["a"] } }, { spec: { tags: ["b", null] } })).toBeUndefined();
    expect(merge({ spec: {} }, { spec: { extra: { y: [null] } } })).toBeUndefined();
    expect(merge({ spec: { o: { a: 1 } } }, { spec: { o: [{ a: null }] } })).toBeUndefined();
    expect(merge({ spec: { o: { a: 1 } } }, { spec: { o: [1] } })).toEqual({ spec: { o: [1] } });
  });

  it("changes neither input", () => {
    const doc = { spec: { a: { b: 1 } } };
    const patch = { spec: { a: { c: 2 } } };
    merge(doc, patch);
    expect(doc).toEqual({ spec: { a: { b: 1 } } });
    expect(patch).toEqual({ spec: { a: { c: 2 } } });
  });

  it("reads a patch given as JSON text, and leaves what is not an object to the server", () => {
    expect(merge({ a: 1 }, '{"b":2}' as never)).toEqual({ a: 1, b: 2 });
    expect(merge({ a: 1 }, "a: 2" as never)).toBeUndefined();
    expect(merge({ a: 1 }, [] as never)).toBeUndefined();
  });
});

describe("JSON patch (RFC 6902)", () => {
  // RFC 6902 Appendix A.
  it.each([
    ["A.1 add an object member", { foo: "bar" }, [{ op: "add", path: "/baz", value: "qux" }], { baz: "qux", foo: "bar" }],
    ["A.2 add an array element", { foo: ["bar", "baz"] }, [{ op: "add", path: "/foo/1", value: "qux" }], { foo: ["bar", "qux", "baz"] }],
    ["A.3 remove an object member", { baz: "qux", foo: "bar" }, [{ op: "remove", path: "/baz" }], { foo: "bar" }],
    ["A.4 remove an array element", { foo: ["bar", "qux", "baz"] }, [{ op: "remove", path: "/foo/1" }], { foo: ["bar", "baz"] }],
    ["A.5 replace a value", { baz: "qux", foo: "bar" }, [{ op: "replace", path: "/baz", value: "boo" }], { baz: "boo", foo: "bar" }],
    [
      "A.6 move a value",
      { foo: { bar: "baz", waldo: "fred" }, qux: { corge: "grault" } },
      [{ op: "move", from: "/foo/waldo", path: "/qux/thud" }],
      { foo: { bar: "baz" }, qux: { corge: "grault", thud: "fred" } },
    ],
    ["A.7 move an array element", { foo: ["all", "grass", "cows", "eat"] }, [{ op: "move", from: "/foo/1", path: "/foo/3" }], { foo: ["all", "cows", "eat", "grass"] }],
    [
      "A.8 test a value: success",
      { baz: "qux", foo: ["a", 2, "c"] },
      [
        { op: "test", path: "/baz", value: "qux" },
        { op: "test", path: "/foo/1", value: 2 },
      ],
      { baz: "qux", foo: ["a", 2, "c"] },
    ],
    ["A.10 add a nested member object", { foo: "bar" }, [{ op: "add", path: "/child", value: { grandchild: {} } }], { foo: "bar", child: { grandchild: {} } }],
    ["A.11 ignore unrecognized elements", { foo: "bar" }, [{ op: "add", path: "/baz", value: "qux", xyz: 123 }], { foo: "bar", baz: "qux" }],
    ["A.14 ~ escape ordering", { "/": 9, "~1": 10 }, [{ op: "test", path: "/~01", value: 10 }], { "/": 9, "~1": 10 }],
    ["A.16 add an array value", { foo: ["bar"] }, [{ op: "add", path: "/foo/-", value: ["abc", "def"] }], { foo: ["bar", ["abc", "def"]] }],
  ])("%s", (_, doc, operations, expected) => {
    expect(json(doc, operations)).toEqual(expected);
  });

  // A failing test is the server's to answer (not a validation error), as are paths that do not resolve.
  it.each([
    ["A.9 test a value: error", { baz: "qux" }, [{ op: "test", path: "/baz", value: "bar" }]],
    ["A.12 add to a nonexistent target", { foo: "bar" }, [{ op: "add", path: "/baz/bat", value: "qux" }]],
    ["A.15 comparing strings and numbers", { "/": 9, "~1": 10 }, [{ op: "test", path: "/~01", value: "10" }]],
    ["a negative index (the server counts it from the end)", { foo: [1, 2] }, [{ op: "remove", path: "/foo/-1" }]],
    ["an operation on the whole document", { foo: 1 }, [{ op: "replace", path: "", value: {} }]],
    ["an unknown operation", { foo: 1 }, [{ op: "increment", path: "/foo" }]],
    ["replacing a member that is not there", { foo: 1 }, [{ op: "replace", path: "/bar", value: 2 }]],
  ])("leaves to the server: %s", (_, doc, operations) => {
    expect(json(doc, operations)).toBeUndefined();
  });

  it("changes neither the object nor the operations' values", () => {
    const doc = { spec: { a: 1 } };
    const value = { x: 1 };
    const result = json(doc, [
      { op: "add", path: "/spec/b", value },
      { op: "replace", path: "/spec/b/x", value: 2 },
    ]);
    expect(result).toEqual({ spec: { a: 1, b: { x: 2 } } });
    expect(doc).toEqual({ spec: { a: 1 } });
    expect(value).toEqual({ x: 1 });
  });
});

// A built-in kind's schema with the patch keywords its Go struct tags publish (as PodSpec's).
const container: SchemaNode = { type: "object", properties: { name: { type: "string" }, image: { type: "string" }, args: { type: "array", items: { type: "string" } } } };
const pod: SchemaNode = {
  type: "object",
  "x-kubetyped-strategic-merge": true,
  properties: {
    metadata: {
      type: "object",
      properties: {
        labels: { type: "object", additionalProperties: { type: "string" } },
        finalizers: { type: "array", items: { type: "string" }, "x-kubernetes-patch-strategy": "merge" },
      },
    },
    spec: {
      type: "object",
      properties: {
        containers: { type: "array", items: { $ref: "core/v1#Container" }, "x-kubernetes-patch-strategy": "merge", "x-kubernetes-patch-merge-key": "name" },
        volumes: {
          type: "array",
          "x-kubernetes-patch-strategy": "merge,retainKeys",
          "x-kubernetes-patch-merge-key": "name",
          items: { type: "object", properties: { name: { type: "string" }, emptyDir: { type: "object", properties: { medium: { type: "string" } } }, configMap: { type: "object", properties: { name: { type: "string" } } } } },
        },
        strategy: { allOf: [{ $ref: "core/v1#Strategy" }], "x-kubernetes-patch-strategy": "retainKeys" },
        ports: { type: "array", items: { type: "integer" }, "x-kubernetes-patch-strategy": "merge" },
        tolerations: { type: "array", items: { type: "object", properties: { key: { type: "string" } } } },
      },
    },
  },
};
const strategy: SchemaNode = { type: "object", properties: { type: { type: "string" }, rollingUpdate: { type: "object", properties: { maxSurge: { type: "integer" } } } } };
const core: ValidationModule = { module: "core/v1", schemas: { Pod: pod, Container: container, Strategy: strategy }, imports: {} };
const strategic = (doc: object, patch: object, module = core) => patchedObject(module, "Pod", "strategic", doc, patch);
const twoContainers = { spec: { containers: [{ name: "a", image: "a:1" }, { name: "b", image: "b:1" }] } };

describe("strategic merge patch on a built-in kind", () => {
  it("merges list items by their merge key; a new item comes before the server's others (normalizeElementOrder)", () => {
    expect(strategic(twoContainers, { spec: { containers: [{ name: "b", image: "b:2" }] } })).toEqual({ spec: { containers: [{ name: "a", image: "a:1" }, { name: "b", image: "b:2" }] } });
    expect(strategic(twoContainers, { spec: { containers: [{ name: "c", image: "c:1" }] } })).toEqual({ spec: { containers: [{ name: "c", image: "c:1" }, { name: "a", image: "a:1" }, { name: "b", image: "b:1" }] } });
  });

  it("replaces a list without a strategy, and merges maps", () => {
    const doc = { metadata: { labels: { a: "1", b: "2" } }, spec: { tolerations: [{ key: "x" }, { key: "y" }] } };
    expect(strategic(doc, { metadata: { labels: { a: null, c: "3" } }, spec: { tolerations: [{ key: "z" }] } })).toEqual({ metadata: { labels: { b: "2", c: "3" } }, spec: { tolerations: [{ key: "z" }] } });
  });

  it("follows $patch: delete and replace, on list items and on maps", () => {
    expect(strategic(twoContainers, { spec: { containers: [{ name: "a", $patch: "delete" }] } })).toEqual({ spec: { containers: [{ name: "b", image: "b:1" }] } });
    expect(strategic(twoContainers, { spec: { containers: [{ name: "z", image: "z:1" }, { $patch: "replace" }] } })).toEqual({ spec: { containers: [{ name: "z", image: "z:1" }] } });
    expect(strategic({ spec: { strategy: { type: "Recreate", rollingUpdate: { maxSurge: 1 } } } }, { spec: { strategy: { $patch: "replace", type: "RollingUpdate" } } })).toEqual({ spec: { strategy: { type: "RollingUpdate" } } });
    expect(strategic({ spec: { strategy: { type: "Recreate" } } }, { spec: { strategy: { $patch: "delete" } } })).toEqual({ spec: { strategy: {} } });
  });

  it("merges scalar lists as sets, with $deleteFromPrimitiveList", () => {
    const doc = { metadata: { finalizers: ["a", "b"] } };
    expect(strategic(doc, { metadata: { finalizers: ["c", "a"] } })).toEqual({ metadata: { finalizers: ["c", "a", "b"] } });
    expect(strategic(doc, { metadata: { "$deleteFromPrimitiveList/finalizers": ["a"] } })).toEqual({ metadata: { finalizers: ["b"] } });
  });

  it("orders a merged list as $setElementOrder says", () => {
    const patch = { spec: { "$setElementOrder/containers": [{ name: "b" }, { name: "c" }, { name: "a" }], containers: [{ name: "c", image: "c:1" }] } };
    expect(strategic(twoContainers, patch)).toEqual({ spec: { containers: [{ name: "b", image: "b:1" }, { name: "c", image: "c:1" }, { name: "a", image: "a:1" }] } });
  });

  it("clears the fields $retainKeys does not name, and merges within a retainKeys list item", () => {
    const doc = { spec: { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } }, volumes: [{ name: "v", emptyDir: {} }] } };
    const patch = { spec: { strategy: { $retainKeys: ["type"], type: "Recreate" }, volumes: [{ name: "v", $retainKeys: ["name", "configMap"], configMap: { name: "c" } }] } };
    expect(strategic(doc, patch)).toEqual({ spec: { strategy: { type: "Recreate" }, volumes: [{ name: "v", configMap: { name: "c" } }] } });
  });

  it("leaves to the server what it refuses or what JSON cannot tell: the result is then not checked", () => {
    // A field the type lacks, a patch field $retainKeys does not name, an unknown directive, an item without its merge key,
    // numbers in a merged scalar list (int64 or float64 to Go), a directive left in an added value.
    expect(strategic({ spec: { unknown: { a: 1 } } }, { spec: { unknown: { b: 2 } } })).toBeUndefined();
    expect(strategic({ spec: { strategy: { type: "A" } } }, { spec: { strategy: { $retainKeys: ["type"], rollingUpdate: { maxSurge: 1 } } } })).toBeUndefined();
    expect(strategic(twoContainers, { spec: { containers: [{ name: "a", $patch: "merge" }] } })).toBeUndefined();
    expect(strategic(twoContainers, { spec: { containers: [{ image: "x" }] } })).toBeUndefined();
    expect(strategic({ spec: { ports: [1] } }, { spec: { ports: [2] } })).toBeUndefined();
    expect(strategic({ spec: {} }, { spec: { containers: [{ name: "a", $patch: "delete" }] } })).toBeUndefined();
  });

  it("is not applied for a kind the schema data does not mark as built-in (custom resources answer 415)", () => {
    const unmarked: ValidationModule = { ...core, schemas: { ...core.schemas, Pod: { ...pod, "x-kubetyped-strategic-merge": false } } };
    expect(strategic(twoContainers, { spec: { containers: [] } }, unmarked)).toBeUndefined();
  });

  it("changes neither input", () => {
    const doc = structuredClone(twoContainers);
    const patch = { spec: { containers: [{ name: "a", image: "a:2" }, { name: "b", $patch: "delete" }] } };
    const before = structuredClone(patch);
    expect(strategic(doc, patch)).toEqual({ spec: { containers: [{ name: "a", image: "a:2" }] } });
    expect(doc).toEqual(twoContainers);
    expect(patch).toEqual(before);
  });
});

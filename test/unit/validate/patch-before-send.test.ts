// connect({ validate: "before-send" }) on patch: refused before sending on the object it would make of options.old, sent unchecked without it.
import { describe, expect, it } from "vitest";
import { isInvalid, KubeClient } from "../../../runtime/index.js";
import { defineResource } from "../../../runtime/entries/plumbing.js";
import type { ValidationModule } from "../../../runtime/api/validation-schema.js";
import { validateWithModule } from "../../../runtime/validate/index.js";
import { FakeTransport } from "../client/fake-transport.js";

const module: ValidationModule = {
  module: "example.com/v1",
  validator: validateWithModule,
  imports: {},
  schemas: {
    Widget: {
      type: "object",
      properties: {
        metadata: { type: "object" },
        spec: {
          type: "object",
          properties: {
            size: { type: "integer", maximum: 10 },
            mode: { type: "string", "x-kubernetes-validations": [{ rule: "self == oldSelf", message: "mode is immutable" }] },
          },
        },
      },
    },
  },
};
interface Widget {
  metadata?: { name?: string };
  spec?: { size?: number; mode?: string };
}
const widgets = defineResource<Widget>()({
  group: "example.com",
  version: "v1",
  plural: "widgets",
  kind: "Widget",
  namespaced: true,
  verbs: ["get", "patch"],
  validation: { load: async () => module, type: "Widget" },
});
const stored: Widget = { metadata: { name: "w" }, spec: { size: 1, mode: "fast" } };

function client() {
  const transport = new FakeTransport();
  return { transport, widgets: new KubeClient(transport, { namespace: "ns", validate: "before-send" }).resource(widgets) };
}

describe("patch checked before sending", () => {
  it("refuses a patch whose result breaks the schema, with the 422's StatusError (isInvalid), and sends nothing", async () => {
    const { transport, widgets } = client();
    const error = await widgets.patch("w", { spec: { size: 11 } }, { old: stored }).catch((caught: unknown) => caught);
    expect(isInvalid(error)).toBe(true);
    expect((error as { status: { message: string } }).status.message).toBe('Widget.example.com "w" is invalid: spec.size: Invalid value: 11: spec.size in body should be less than or equal to 10');
    expect(transport.sent).toEqual([]);
  });

  it("runs transition rules with old as the object before the patch, for JSON patches too", async () => {
    const { transport, widgets } = client();
    const error = await widgets.patch("w", [{ op: "replace", path: "/spec/mode", value: "slow" }], { type: "json", old: stored }).catch((caught: unknown) => caught);
    expect(isInvalid(error) && error.details?.causes).toEqual([{ reason: "FieldValueInvalid", field: "spec.mode", message: 'Invalid value: "slow": mode is immutable' }]);
    expect(transport.sent).toEqual([]);
  });

  it("sends a valid patch as it was given, without old in the query", async () => {
    const { transport, widgets } = client();
    await widgets.patch("w", { spec: { size: 2 } }, { old: stored, dryRun: "All" });
    expect(transport.last.path).toBe("/apis/example.com/v1/namespaces/ns/widgets/w?dryRun=All");
    expect(transport.last.json).toEqual({ spec: { size: 2 } });
  });

  it("sends unchecked a patch without old, or whose result is not certain (a failing JSON patch test)", async () => {
    const { transport, widgets } = client();
    await widgets.patch("w", { spec: { size: 11 } });
    await widgets.patch("w", [{ op: "test", path: "/spec/size", value: 5 }, { op: "replace", path: "/spec/size", value: 11 }], { type: "json", old: stored });
    expect(transport.sent.length).toBe(2);
  });

  it("checks a resource with a status subresource without status on both sides, as the server keeps the stored one", async () => {
    const ruled: ValidationModule = {
      ...module,
      schemas: { Widget: { ...module.schemas["Widget"]!, "x-kubernetes-validations": [{ rule: "has(self.status) == has(oldSelf.status)", message: "status kept" }] } },
    };
    const withStatus = defineResource<Widget>()({ ...widgets, subresources: { status: { verbs: ["get"] } }, validation: { load: async () => ruled, type: "Widget" } });
    const transport = new FakeTransport();
    const client = new KubeClient(transport, { namespace: "ns", validate: "before-send" }).resource(withStatus);
    await client.patch("w", { spec: { size: 2 } }, { old: { ...stored, status: { phase: "Ready" } } as Widget });
    expect(transport.sent.length).toBe(1);
  });

  it("checks an apply patch as a partial object", async () => {
    const { transport, widgets } = client();
    await expect(widgets.patch("w", { spec: { size: 12 } }, { type: "apply", fieldManager: "me" })).rejects.toSatisfy(isInvalid);
    expect(transport.sent).toEqual([]);
  });
});

// connect({ validate: "before-send" }) on update, apply and the status subresource's writes: checked against options.old (transition rules included), old never sent.
import { describe, expect, it } from "vitest";
import { isInvalid, KubeClient } from "../../../runtime/index.js";
import { defineResource } from "../../../runtime/entries/plumbing.js";
import type { ValidationModule } from "../../../runtime/api/validation-schema.js";
import { validateWithModule } from "../../../runtime/validate/index.js";
import { FakeTransport } from "../client/fake-transport.js";

const immutable = (message: string) => [{ rule: "self == oldSelf", message }];
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
          "x-kubernetes-validations": [{ rule: "!has(oldSelf.size) || (has(self.size) && self.size >= oldSelf.size)", message: "size may not shrink or go" }],
          properties: {
            size: { type: "integer", maximum: 10 },
            mode: { type: "string", "x-kubernetes-validations": immutable("mode is immutable") },
            tier: { type: "string", "x-kubernetes-validations": [{ rule: "oldSelf.hasValue() || self != 'platinum'", message: "may not start as platinum", optionalOldSelf: true }] },
          },
        },
        status: {
          type: "object",
          properties: {
            phase: { type: "string", enum: ["Pending", "Ready"] },
            zone: { type: "string", "x-kubernetes-validations": immutable("zone is immutable") },
          },
        },
      },
    },
  },
};
interface Widget {
  metadata?: { name?: string };
  spec?: { size?: number; mode?: string; tier?: string };
  status?: { phase?: string; zone?: string };
}
const widgets = defineResource<Widget>()({
  group: "example.com",
  version: "v1",
  plural: "widgets",
  kind: "Widget",
  namespaced: true,
  verbs: ["get", "create", "update", "patch"],
  subresources: { status: { verbs: ["get", "update", "patch"] } },
  validation: { load: async () => module, type: "Widget" },
});
const stored: Widget = { metadata: { name: "w" }, spec: { size: 1, mode: "fast" }, status: { phase: "Pending", zone: "a" } };

function client() {
  const transport = new FakeTransport();
  return { transport, widgets: new KubeClient(transport, { namespace: "ns", validate: "before-send" }).resource(widgets) };
}
const caught = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
const causes = (error: unknown) => (isInvalid(error) ? error.details?.causes : error);

describe("update checked before sending", () => {
  it("runs transition rules with old as the object before the update, and sends nothing when one fails", async () => {
    const { transport, widgets } = client();
    const error = await caught(widgets.update({ metadata: { name: "w" }, spec: { size: 1, mode: "slow" } }, { old: stored }));
    expect(causes(error)).toEqual([{ reason: "FieldValueInvalid", field: "spec.mode", message: 'Invalid value: "slow": mode is immutable' }]);
    expect((error as Error).message).toContain('Widget.example.com "w" is invalid');
    expect(transport.sent).toEqual([]);
  });

  it("sends a valid update as given, without old in the query", async () => {
    const { transport, widgets } = client();
    await widgets.update({ metadata: { name: "w" }, spec: { size: 2, mode: "fast" } }, { old: stored, dryRun: "All" });
    expect(transport.last.path).toBe("/apis/example.com/v1/namespaces/ns/widgets/w?dryRun=All");
    expect(transport.last.json).toMatchObject({ spec: { size: 2, mode: "fast" } });
  });

  it("without old checks no transition rule (the update goes to the server), the schema still", async () => {
    const { transport, widgets } = client();
    await widgets.update({ metadata: { name: "w" }, spec: { mode: "slow" } });
    expect(transport.sent.length).toBe(1);
    await expect(widgets.update({ metadata: { name: "w" }, spec: { size: 11 } })).rejects.toSatisfy(isInvalid);
  });

  it("leaves out errors the stored object has already (the server ratchets unchanged fields), and keeps new ones", async () => {
    const { transport, widgets } = client();
    const invalidStored: Widget = { ...stored, spec: { size: 50, mode: "fast" } };
    await widgets.update({ metadata: { name: "w" }, spec: { size: 50, mode: "fast" } }, { old: invalidStored });
    await widgets.patch("w", { metadata: { name: "w" } }, { old: invalidStored });
    expect(transport.sent.length).toBe(2);
    const changed = await caught(widgets.update({ metadata: { name: "w" }, spec: { size: 51, mode: "fast" } }, { old: invalidStored }));
    expect(causes(changed)).toEqual([{ reason: "FieldValueInvalid", field: "spec.size", message: "Invalid value: 51: spec.size in body should be less than or equal to 10" }]);
  });

  it("leaves status out on both sides, as the server keeps the stored one on updates of the object", async () => {
    const { transport, widgets } = client();
    await widgets.update({ metadata: { name: "w" }, spec: { size: 1, mode: "fast" }, status: { zone: "b" } }, { old: stored });
    expect(transport.sent.length).toBe(1);
  });
});

describe("transition rules where the object may exist but old is not given", () => {
  it("leaves them to the server on update and apply, optionalOldSelf ones too; a create runs those as a create", async () => {
    const { transport, widgets } = client();
    await widgets.update({ metadata: { name: "w" }, spec: { tier: "platinum" } });
    await widgets.apply({ metadata: { name: "w" }, spec: { tier: "platinum" } }, { fieldManager: "me" });
    expect(transport.sent.length).toBe(2);
    const created = await caught(widgets.create({ metadata: { name: "w" }, spec: { tier: "platinum" } }));
    expect(causes(created)).toEqual([{ reason: "FieldValueInvalid", field: "spec.tier", message: 'Invalid value: "platinum": may not start as platinum' }]);
  });
});

describe("apply checked before sending with old", () => {
  it("runs transition rules on the scalars the configuration sets, with old as the object it is applied to", async () => {
    const { transport, widgets } = client();
    const error = await caught(widgets.apply({ metadata: { name: "w" }, spec: { mode: "slow" } }, { fieldManager: "me", old: stored }));
    expect(causes(error)).toEqual([{ reason: "FieldValueInvalid", field: "spec.mode", message: 'Invalid value: "slow": mode is immutable' }]);
    const patched = await caught(widgets.patch("w", { metadata: { name: "w" }, spec: { mode: "slow" } }, { type: "apply", fieldManager: "me", old: stored }));
    expect(isInvalid(patched)).toBe(true);
    expect(transport.sent).toEqual([]);
  });

  it("leaves rules on objects and lists to the server, as their applied value merges with fields of others", async () => {
    const { transport, widgets } = client();
    // spec's rule ("size may not go") would see only { mode } here, not the merged spec (whose size the server keeps).
    await widgets.apply({ metadata: { name: "w" }, spec: { mode: "fast" } }, { fieldManager: "me", old: stored, dryRun: "All" });
    expect(transport.last.path).toBe("/apis/example.com/v1/namespaces/ns/widgets/w?dryRun=All&fieldManager=me");
    expect(transport.last.json).toEqual({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" }, spec: { mode: "fast" } });
  });
});

describe("the status subresource's writes checked before sending", () => {
  it("refuses a status update breaking the status schema or a transition rule on it", async () => {
    const { transport, widgets } = client();
    const error = await caught(widgets.status.update({ metadata: { name: "w" }, status: { phase: "Gone", zone: "b" } }, { old: stored }));
    expect(causes(error)).toEqual([
      { reason: "FieldValueNotSupported", field: "status.phase", message: 'Unsupported value: "Gone": supported values: "Pending", "Ready"' },
      { reason: "FieldValueInvalid", field: "<nil>", message: "Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation" },
    ]);
    const rule = await caught(widgets.status.update({ metadata: { name: "w" }, status: { phase: "Ready", zone: "b" } }, { old: stored }));
    expect(causes(rule)).toEqual([{ reason: "FieldValueInvalid", field: "status.zone", message: 'Invalid value: "b": zone is immutable' }]);
    expect(transport.sent).toEqual([]);
  });

  it("refuses a status patch on the status it would make of old, merge and JSON", async () => {
    const { transport, widgets } = client();
    const merge = await caught(widgets.status.patch("w", { status: { zone: "b" } }, { old: stored }));
    expect(causes(merge)).toEqual([{ reason: "FieldValueInvalid", field: "status.zone", message: 'Invalid value: "b": zone is immutable' }]);
    const json = await caught(widgets.status.patch("w", [{ op: "replace", path: "/status/phase", value: "Gone" }], { type: "json", old: stored }));
    expect(isInvalid(json)).toBe(true);
    expect(transport.sent).toEqual([]);
  });

  it("ignores what the server ignores there: spec changes, and errors the stored object already has", async () => {
    const { transport, widgets } = client();
    await widgets.status.update({ metadata: { name: "w" }, spec: { size: 99, mode: "slow" }, status: { phase: "Ready", zone: "a" } }, { old: stored });
    await widgets.status.patch("w", { spec: { size: 99 }, status: { phase: "Ready" } }, { old: { ...stored, spec: { size: 50, mode: "fast" } } });
    expect(transport.sent.map((request) => request.path)).toEqual(["/apis/example.com/v1/namespaces/ns/widgets/w/status", "/apis/example.com/v1/namespaces/ns/widgets/w/status"]);
    expect(transport.sent[0]!.path).not.toContain("old");
  });

  it("sends unchecked without old (what the server stores besides the status is not known here)", async () => {
    const { transport, widgets } = client();
    await widgets.status.update({ metadata: { name: "w" }, status: { phase: "Gone" } });
    await widgets.status.patch("w", { status: { phase: "Gone" } });
    expect(transport.sent.length).toBe(2);
  });
});

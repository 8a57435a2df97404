import { readFile } from "node:fs/promises";
import { encode, Tagged } from "cborg";
import { describe, expect, it } from "vitest";
import { decodeKubernetesCbor, decodeKubernetesCborSequence } from "../../../bench/cbor/decode.js";

const answer = (name: string) => readFile(new URL(`./cbor-answers/${name}`, import.meta.url));
/** What kube-apiserver writes: every string a byte string, the answer self-described (tag 55799). */
const bytes = (text: string) => new TextEncoder().encode(text);
const kube = (value: unknown) => encode(new Tagged(55799, value));

describe("decodeKubernetesCbor", () => {
  // Recorded from kube-apiserver v1.37.2 started with CBORServingAndStorage=true: the same object asked
  // for as application/cbor and as application/json.
  it.each(["secret", "widget"])("gives what JSON.parse gives for the same %s from a real server", async (name) => {
    const json = JSON.parse((await answer(`${name}.json`)).toString("utf8")) as unknown;
    expect(decodeKubernetesCbor(await answer(`${name}.cbor`))).toStrictEqual(json);
  });

  it("reads byte-string keys and values as text, and the bytes after tag 22 as base64 (a Secret's data)", () => {
    const secret = new Map<unknown, unknown>([
      [bytes("kind"), bytes("Secret")],
      [bytes("data"), new Map([[bytes("key"), new Tagged(22, Uint8Array.of(0, 1, 2, 255))]])],
      [bytes("note"), bytes("héllo ✓")],
    ]);
    expect(decodeKubernetesCbor(kube(secret))).toStrictEqual({ kind: "Secret", data: { key: "AAEC/w==" }, note: "héllo ✓" });
  });

  it("rounds integers beyond 2^53 as JSON.parse does, and keeps floats, null, booleans and text strings", () => {
    const spec = new Map<unknown, unknown>([
      [bytes("big"), 9007199254740993n],
      [bytes("max"), 2n ** 63n - 1n],
      [bytes("min"), -(2n ** 63n)],
      [bytes("half"), 1.5],
      [bytes("tiny"), 1e-7],
      [bytes("none"), null],
      [bytes("on"), true],
      ["text", [1, "a", false]],
    ]);
    expect(decodeKubernetesCbor(kube(spec))).toStrictEqual(JSON.parse('{"big":9007199254740993,"max":9223372036854775807,"min":-9223372036854775808,"half":1.5,"tiny":1e-7,"none":null,"on":true,"text":[1,"a",false]}'));
  });

  it("unwraps a self-described object inside a self-described watch event", () => {
    const event = new Map<unknown, unknown>([
      [bytes("type"), bytes("ADDED")],
      [bytes("object"), new Tagged(55799, new Map([[bytes("kind"), bytes("ConfigMap")]]))],
    ]);
    expect(decodeKubernetesCbor(kube(event))).toStrictEqual({ type: "ADDED", object: { kind: "ConfigMap" } });
  });

  it("refuses a cut-off answer and bytes after the one data item, saying which", () => {
    const whole = kube(new Map([[bytes("name"), bytes("a-long-enough-name")]]));
    expect(() => decodeKubernetesCbor(whole.subarray(0, whole.length - 3))).toThrow(/ends inside a byte string of 18 bytes/);
    expect(() => decodeKubernetesCbor(Buffer.concat([whole, whole]))).toThrow(`CBOR decode error: ${whole.length} bytes after the answer's one data item`);
  });
});

describe("decodeKubernetesCborSequence", () => {
  it("reads every event of a watch answer (application/cbor-seq), in order", () => {
    const event = (type: string, name: string) => kube(new Map<unknown, unknown>([[bytes("type"), bytes(type)], [bytes("object"), new Tagged(55799, new Map([[bytes("name"), bytes(name)]]))]]));
    const stream = Buffer.concat([event("ADDED", "a"), event("MODIFIED", "a"), event("DELETED", "b")]);
    expect(decodeKubernetesCborSequence(stream)).toStrictEqual([
      { type: "ADDED", object: { name: "a" } },
      { type: "MODIFIED", object: { name: "a" } },
      { type: "DELETED", object: { name: "b" } },
    ]);
    expect(decodeKubernetesCborSequence(new Uint8Array(0))).toStrictEqual([]);
  });
});

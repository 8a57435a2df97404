import ts from "typescript";
import { describe, expect, it } from "vitest";
import {
  descriptorIdentifier,
  docCommentText,
  moduleNamespaceIdentifier,
  propertyKey,
  stringLiteral,
  typeIdentifier,
  valueIdentifier,
} from "../../../generator/emit/escape.js";

/** Parses `source` as a module and returns TypeScript's syntax errors. */
function syntaxErrors(source: string): string[] {
  const file = ts.createSourceFile("x.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  return (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

/** Evaluates a string literal the way JavaScript would. */
function evaluateLiteral(literal: string): string {
  return new Function(`"use strict"; return ${literal};`)() as string;
}

const hostile = ["*/", "\u2028", "\u2029", "`", "${x}", "\u0000", '"', "\\", "\n", "'", "</script>"];

describe("stringLiteral", () => {
  it.each(hostile)("round-trips %j through a double-quoted literal", (value) => {
    const literal = stringLiteral(`a${value}b`);
    expect(literal.startsWith('"')).toBe(true);
    expect(literal).not.toMatch(/[\u2028\u2029\u0000\n]/);
    expect(evaluateLiteral(literal)).toBe(`a${value}b`);
  });
});

describe("propertyKey", () => {
  it("leaves plain names bare", () => {
    expect(propertyKey("apiVersion")).toBe("apiVersion");
    expect(propertyKey("_x1")).toBe("_x1");
  });
  it.each(["__proto__", "constructor", "delete", "class", "x-y", "$ref", "1abc", "", "with space", "a\u2028b"])("quotes %j", (name) => {
    const key = propertyKey(name);
    expect(key.startsWith('"')).toBe(true);
    expect(evaluateLiteral(key)).toBe(name);
    expect(syntaxErrors(`interface A { ${key}?: string }`)).toEqual([]);
  });
});

describe("docCommentText", () => {
  it("cannot close the comment early and keeps line structure parseable", () => {
    const text = docCommentText("one */ two\u2028three\u2029four\u0000five `six` ${seven}\r\neight");
    expect(text).not.toContain("*/");
    expect(text).not.toMatch(/[\u2028\u2029\u0000\r]/);
    expect(text).toContain("`six` ${seven}");
    expect(text).toContain("\neight");
    expect(syntaxErrors(`/** ${text.replace(/\n/g, "\n * ")} */\nexport interface A {}`)).toEqual([]);
  });
});

describe("typeIdentifier", () => {
  it.each([
    ["Job", "Job"],
    ["DeleteOptions_v2", "DeleteOptions_v2"],
    ["x-y", "xY"],
    ["1Thing", "_1Thing"],
    ["Object", "Object_"],
    ["Date", "Date_"],
    ["Array", "Array_"],
    ["Function", "Function_"],
    ["Symbol", "Symbol_"],
    ["Promise", "Promise_"],
    ["Record", "Record_"],
    ["string", "string_"],
    ["", "_"],
    ["$Ref", "_Ref"],
  ])("%j → %j", (name, expected) => {
    expect(typeIdentifier(name)).toBe(expected);
    expect(syntaxErrors(`export interface ${typeIdentifier(name)} {}`)).toEqual([]);
  });
});

describe("descriptor and namespace identifiers", () => {
  it.each([
    ["jobs", "Job", "jobs"],
    ["customresourcedefinitions", "CustomResourceDefinition", "customResourceDefinitions"],
    ["podsecuritypolicies", "PodSecurityPolicy", "podSecurityPolicies"],
    ["apiservices", "APIService", "apiServices"],
    ["csidrivers", "CSIDriver", "csiDrivers"],
    ["endpoints", "Endpoints", "endpoints"],
    ["ingressclasses", "IngressClass", "ingressClasses"],
    ["delete", "Delete", "delete_"],
    ["foo-bars", "FooBar", "fooBars"],
  ])("%s (%s) → %s", (plural, kind, expected) => {
    expect(descriptorIdentifier(plural, kind)).toBe(expected);
  });

  it("suffixes reserved words and keeps identifiers valid", () => {
    for (const word of ["class", "default", "eval", "arguments", "package"]) {
      expect(valueIdentifier(word)).toBe(`${word}_`);
      expect(syntaxErrors(`"use strict"; export const ${valueIdentifier(word)} = 1;`)).toEqual([]);
    }
  });

  it("names modules by group and version", () => {
    expect(moduleNamespaceIdentifier("batch/v1")).toBe("batchV1");
    expect(moduleNamespaceIdentifier("core/v1")).toBe("coreV1");
    expect(moduleNamespaceIdentifier("rbac.authorization.k8s.io/v1")).toBe("rbacAuthorizationV1");
    expect(moduleNamespaceIdentifier("rbac.authorization.k8s.io/v1", "long")).toBe("rbacAuthorizationK8sIoV1");
    expect(moduleNamespaceIdentifier("cert-manager.io/v1")).toBe("certManagerIoV1");
    expect(moduleNamespaceIdentifier("1password.com/v1beta1")).toBe("_1passwordComV1beta1");
  });
});

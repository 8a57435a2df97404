import { describe, expect, it } from "vitest";
import { parseArgs, suggestFlag, UsageError } from "../../../generator/cli/args.js";
import { COMMANDS, commandHelp, mainHelp } from "../../../generator/cli/commands.js";

const flags = COMMANDS.generate!.flags;

describe("flag parsing", () => {
  it("accepts --flag value and --flag=value, booleans bare or =true/=false", () => {
    const parsed = parseArgs(["--out", "dir", "--groups=batch/v1,apps", "--check", "--quiet=false", "--context=a=b"], flags, "generate");
    expect(Object.fromEntries(parsed.flags)).toEqual({ out: "dir", groups: "batch/v1,apps", check: true, quiet: false, context: "a=b" });
    expect(parsed.positionals).toEqual([]);
  });

  it("keeps the last of a repeated flag, and treats what follows -- as arguments", () => {
    const parsed = parseArgs(["--out", "a", "--out", "b", "--", "--check"], flags, "generate");
    expect(parsed.flags.get("out")).toBe("b");
    expect(parsed.flags.has("check")).toBe(false);
    expect(parsed.positionals).toEqual(["--check"]);
  });

  it("rejects a missing value, naming both spellings", () => {
    expect(() => parseArgs(["--out"], flags, "generate")).toThrow(new UsageError("--out needs a value: --out DIR or --out=DIR"));
    expect(() => parseArgs(["--out", "--check"], flags, "generate")).toThrow(/--out needs a value/);
    expect(() => parseArgs(["--out="], flags, "generate")).toThrow(/--out needs a non-empty value/);
    expect(() => parseArgs(["--check=yes"], flags, "generate")).toThrow(/--check takes no value, or =true \/ =false/);
  });

  it("rejects unknown flags with the nearest known one", () => {
    expect(() => parseArgs(["--grups", "batch"], flags, "generate")).toThrow(
      "unknown flag --grups for `kubetyped generate`; did you mean --groups? (see kubetyped generate --help)",
    );
    expect(() => parseArgs(["--kubeconfg=x"], flags, "generate")).toThrow(/did you mean --kubeconfig\?/);
    expect(() => parseArgs(["--insecure"], flags, "generate")).toThrow(/did you mean --insecure-skip-tls-verify\?/);
    expect(() => parseArgs(["--zzzzzzzz"], flags, "generate")).toThrow(/^unknown flag --zzzzzzzz for `kubetyped generate` \(see/);
  });

  it("suggests nothing when no name is close", () => {
    expect(suggestFlag("namespace", ["out", "from", "check"])).toBeUndefined();
    expect(suggestFlag("fro", ["out", "from", "check"])).toBe("from");
  });
});

describe("help", () => {
  it("lists every flag of every command, and the exit codes", () => {
    for (const spec of Object.values(COMMANDS)) {
      const help = commandHelp(spec);
      for (const flag of spec.flags) expect(help, `${spec.name} --${flag.name}`).toContain(`--${flag.name}`);
      expect(help).toMatch(/Exit codes:\n {2}0 +success\n {2}1 +error.*\n {2}2 +usage error.*\n {2}3 +--check/);
    }
    const main = mainHelp("1.2.3");
    for (const name of Object.keys(COMMANDS)) expect(main).toContain(`  ${name}`);
    expect(main).toContain("--version");
  });
});

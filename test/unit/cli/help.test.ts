import { describe, expect, it } from "vitest";
import { main, type CliIo } from "../../../generator/cli/main.js";
import { COMMANDS } from "../../../generator/cli/commands.js";

function captureIo(): CliIo & { out: string; err: string } {
  const io = { out: "", err: "", stdout: (text: string) => void (io.out += text), stderr: (text: string) => void (io.err += text), env: {}, stderrIsTty: false };
  return io;
}

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
}

/** A typo of `name`: one character dropped from its middle. */
const typo = (name: string) => name.slice(0, Math.floor(name.length / 2)) + name.slice(Math.floor(name.length / 2) + 1);

const withFlags = Object.values(COMMANDS).filter((spec) => spec.flags.length > 0);

describe("kubetyped --help", () => {
  it("lists every command with its one-line summary, and the exit codes", async () => {
    const { code, out } = await run(["--help"]);
    expect(code).toBe(0);
    for (const spec of Object.values(COMMANDS)) {
      expect(out).toMatch(new RegExp(`^ {2}${spec.name} +${spec.summary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"));
    }
    expect(out).toMatch(/^Exit codes:\n {2}0 .+\n {2}1 .+\n {2}2 .+\n {2}3 .+$/m);
    expect((await run(["help", "generate"])).out).toBe((await run(["generate", "--help"])).out);
  });

  for (const spec of withFlags) {
    it(`kubetyped ${spec.name} --help lists each flag once, on one line, with a description`, async () => {
      const help = await run([spec.name, "--help"]);
      expect(help.code).toBe(0);
      expect(help.err).toBe("");
      expect((await run([spec.name, "-h"])).out).toBe(help.out);
      for (const flag of spec.flags) {
        expect(flag.description, `--${flag.name}`).not.toMatch(/\n/);
        const lines = help.out.split("\n").filter((line) => new RegExp(`^ {2}--${flag.name}( [A-Z]+)? +\\S`).test(line));
        expect(lines, `--${flag.name}`).toHaveLength(1);
        expect(lines[0]).toContain(flag.description);
        if (flag.type === "string") expect(lines[0]).toMatch(new RegExp(`^ {2}--${flag.name} ${flag.valueName ?? "VALUE"} `));
      }
    });

    it(`kubetyped ${spec.name}: a mistyped flag is a usage error naming the flag it resembles`, async () => {
      for (const flag of spec.flags.filter((f) => f.name !== "help")) {
        const wrong = typo(flag.name);
        const result = await run([spec.name, `--${wrong}`]);
        expect(result.code, `--${wrong}`).toBe(2);
        expect(result.err).toBe(
          `error: unknown flag --${wrong} for \`kubetyped ${spec.name}\`; did you mean --${flag.name}? (see kubetyped ${spec.name} --help)\n`,
        );
      }
      const unrelated = await run([spec.name, "--zzzzzzzz"]);
      expect(unrelated.code).toBe(2);
      expect(unrelated.err).toBe(`error: unknown flag --zzzzzzzz for \`kubetyped ${spec.name}\` (see kubetyped ${spec.name} --help)\n`);
    });
  }

  it("kubetyped local-cluster --help lists its subcommands", async () => {
    const help = await run(["local-cluster", "--help"]);
    expect(help.code).toBe(0);
    for (const command of ["up", "down", "env", "status"]) expect(help.out).toMatch(new RegExp(`^ {2}${command} +\\S`, "m"));
  });
});

describe("top-level usage errors", () => {
  it("suggests --help for a mistyped top-level flag and exits 2", async () => {
    const err: string[] = [];
    const io: CliIo = { stdout: () => {}, stderr: (text: string) => void err.push(text), env: process.env, stderrIsTty: false };
    expect(await main(["--hlep"], io)).toBe(2);
    expect(err.join("")).toContain("did you mean `kubetyped --help`?");
  });
});

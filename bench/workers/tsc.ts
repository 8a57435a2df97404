// Child process: `tsc --noEmit -p <project>` in this process, so its peak RSS can be read at exit.
import { writeSync } from "node:fs";
import { createRequire } from "node:module";
import { peakRssMb } from "./peak-rss.js";

const project = process.argv[2];
if (!project) throw new Error("tsc worker: expected the tsconfig path as argv[2]");
const tscPath = createRequire(import.meta.url).resolve("typescript/lib/tsc.js");
process.argv = [process.argv[0]!, tscPath, "--noEmit", "-p", project];
process.on("exit", (code) => {
  writeSync(2, `\nBENCH-RESULT ${JSON.stringify({ code, peakRssMb: peakRssMb(), ms: performance.now() })}\n`);
});
createRequire(import.meta.url)(tscPath);

#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ (npm run build).
import { main } from "../dist/generator/cli/main.js";
main(process.argv.slice(2)).then(
  (code) => process.exit(code ?? 0),
  (err) => {
    process.stderr.write(`kubetyped: ${err?.message ?? err}\n`);
    process.exit(1);
  },
);

#!/usr/bin/env node
"use strict";
// The mlvault CLI: a plain-node launcher that loads the TypeScript sources transpile-only (no type-check at run time).
require("./register-ts");
const { main } = require("../cli/main.ts");

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    // Unexpected failures: one line, no stack, unless asked for.
    process.stderr.write(`error: ${err && err.message ? err.message.split("\n")[0] : String(err)}\n`);
    if (process.env.MLVAULT_DEBUG) process.stderr.write(`${err && err.stack}\n`);
    process.exitCode = 3; // internal error: distinct from 1 (violations) and 2 (invalid input)
  },
);

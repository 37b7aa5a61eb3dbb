#!/usr/bin/env node
"use strict";
// `npm run bench` entry point: the transpile-only .ts hook, then bench/main.ts. Not part of `npm test` (minutes).
require("../bin/register-ts");
const { main } = require("./main.ts");

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    process.stderr.write(`bench: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);

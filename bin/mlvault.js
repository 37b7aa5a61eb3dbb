#!/usr/bin/env node
"use strict";
// The mlvault CLI: a plain-node launcher that loads the TypeScript sources transpile-only (no type-check at run time).
//
// The exit-code contract holds for every way out: 0 success, 1 mandatory policy violations, 2 bad input (one
// `error:` line per problem), 3 internal error (one `error:` line; the stack only with MLVAULT_DEBUG=1). Never 1 for a
// crash: exceptions and rejections that escape anywhere (the program, the policy pack's client, a stream) end here.
// A reader that goes away (`mlvault plan dev | head -1`) ends the run quietly with exit 0.
require("./register-ts");

let finished = false;
function fail(err, code) {
  if (finished) return;
  finished = true;
  process.stderr.write(`error: ${err && err.message ? err.message.split("\n")[0] : String(err)}\n`);
  if (process.env.MLVAULT_DEBUG) process.stderr.write(`${err && err.stack}\n`);
  process.exit(code);
}

/** Errors that are the user's input, not a bug: exit 2. */
function exitCodeOf(err) {
  if (err && (err.name === "RunError" || err.name === "InputError" || err.name === "ConfigError")) return 2;
  return 3;
}

for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err) => {
    if (err && err.code === "EPIPE") process.exit(0);
    fail(err, 3);
  });
}
process.on("uncaughtException", (err) => fail(err, exitCodeOf(err)));
process.on("unhandledRejection", (err) => fail(err, exitCodeOf(err)));

const { main } = require("../cli/main.ts");

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => fail(err, exitCodeOf(err)),
);

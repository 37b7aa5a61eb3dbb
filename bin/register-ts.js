"use strict";
// Transpile-only TypeScript loader shared by the CLI and the policy pack.
// Why: type-checking at run time (ts-node's default) costs ~6 s per process and a lot of memory;
// types are checked once by `npm run typecheck`. swc strips types in well under a millisecond per file.
const fs = require("fs");
const { transformSync } = require("@swc/core");

const options = {
  jsc: { target: "es2022", parser: { syntax: "typescript" } },
  module: { type: "commonjs" },
  sourceMaps: "inline",
};

function compile(module, filename) {
  const source = fs.readFileSync(filename, "utf8");
  const { code } = transformSync(source, { ...options, filename });
  module._compile(code, filename);
}

// Registering twice is harmless; the last loader for .ts wins (this one replaces ts-node's if present).
require.extensions[".ts"] = compile;

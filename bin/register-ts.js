"use strict";
// Transpile-only TypeScript loader shared by the CLI and the policy pack.
// Why: type-checking at run time (ts-node's default) costs seconds per process and a lot of memory; types are
// checked once by `npm run typecheck`. Sucrase strips types in pure JavaScript (no native binary to install).
const fs = require("fs");
const { transform } = require("sucrase");

// CommonJS output; modules compiled from TypeScript (azure-native included) are used as they are, so lazy sub-modules stay lazy.
const options = { transforms: ["typescript", "imports"], sourceMapOptions: undefined };

function compile(module, filename) {
  const source = fs.readFileSync(filename, "utf8");
  const { code } = transform(source, { ...options, filePath: filename });
  module._compile(code, filename);
}

// Registering twice is harmless; the last loader for .ts wins (this one replaces ts-node's if present).
require.extensions[".ts"] = compile;

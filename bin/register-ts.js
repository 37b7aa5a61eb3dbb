"use strict";
// Transpile-only TypeScript loader shared by the CLI and the policy pack.
// Why: type-checking at run time (ts-node's default) costs seconds per process and a lot of memory; types are
// checked once by `npm run typecheck`. Sucrase strips types in pure JavaScript (no native binary to install).
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { transform } = require("sucrase");

// CommonJS output; modules compiled from TypeScript (azure-native included) are used as they are, so lazy sub-modules stay lazy.
const options = { transforms: ["typescript", "imports"], sourceMapOptions: undefined };

// Transpiled output is cached on disk, keyed by the source text, its path, the sucrase version and the options:
// every `mlvault plan` starts two processes (CLI, policy pack) that would otherwise transpile the same ~60 files
// again (~0.3 s each). A stale entry is impossible (the key holds the source); an unwritable cache is skipped.
const CACHE_DIR = path.join(__dirname, "..", "node_modules", ".cache", "mlvault-ts");
const CACHE_SALT = `${require("sucrase/package.json").version}\0${JSON.stringify(options)}`;
let cacheWritable = true;

function cacheKey(filename, source) {
  return crypto.createHash("sha1").update(CACHE_SALT).update("\0").update(filename).update("\0").update(source).digest("hex");
}

function transpile(filename, source) {
  const file = path.join(CACHE_DIR, `${cacheKey(filename, source)}.js`);
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    // not cached yet
  }
  const { code } = transform(source, { ...options, filePath: filename });
  if (cacheWritable) {
    try {
      fs.mkdirSync(CACHE_DIR, { recursive: true });
      // Write then rename: a concurrent reader sees the whole file or none.
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, code);
      fs.renameSync(tmp, file);
    } catch {
      cacheWritable = false;
    }
  }
  return code;
}

function compile(module, filename) {
  module._compile(transpile(filename, fs.readFileSync(filename, "utf8")), filename);
}

// Heavy SDK dependencies that mlvault never uses load on first use only (see defer-modules.js).
require("./defer-modules");

// Registering twice is harmless; the last loader for .ts wins (this one replaces ts-node's if present).
require.extensions[".ts"] = compile;

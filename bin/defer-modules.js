"use strict";
// Defers two heavy modules that @pulumi/pulumi loads eagerly but only uses to serialize function closures (which
// mlvault never does): the TypeScript compiler (~0.4 s, via typescript-shim) and @npmcli/arborist (~0.3 s, via
// runtime/closure/codePaths). Each is replaced in the module cache by a proxy that loads the real module on first
// use, so behaviour is unchanged and ~0.7 s leaves every process that loads the SDK (the CLI and the policy pack).
const Module = require("module");
const path = require("path");

function deferModule(request, fromDir) {
  let filename;
  try {
    filename = require.resolve(request, { paths: [fromDir] });
  } catch {
    return; // not installed: the SDK falls back on its own (vendored typescript)
  }
  if (Module._cache[filename]) return; // already loaded: nothing left to save
  let real;
  const load = () => {
    if (real === undefined) {
      delete Module._cache[filename];
      real = require(filename);
    }
    return real;
  };
  const proxy = new Proxy({}, {
    // `__importStar` copies a CommonJS module's keys (forcing a load) unless it says it is an ES module; answering
    // true makes it keep the proxy itself, whose every other read reaches the real module.
    get: (_t, key) => (key === "__esModule" && real === undefined ? true : Reflect.get(load(), key)),
    set: (_t, key, value) => Reflect.set(load(), key, value),
    has: (_t, key) => Reflect.has(load(), key),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_t, key) => {
      const d = Reflect.getOwnPropertyDescriptor(load(), key);
      return d && { ...d, configurable: true };
    },
  });
  const stub = new Module(filename, null);
  stub.filename = filename;
  stub.paths = Module._nodeModulePaths(path.dirname(filename));
  stub.exports = proxy;
  stub.loaded = true;
  Module._cache[filename] = stub;
}

let sdkDir;
try {
  sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
} catch {
  sdkDir = undefined;
}
// Only under plain node: jest and other loaders keep their own module registry.
if (sdkDir && require.cache === Module._cache) {
  deferModule("typescript", sdkDir);
  deferModule("@npmcli/arborist", sdkDir);
}

"use strict";
// The entry the Pulumi engine runs for this pack.
// - Published (`npm run build:policies` compiled the pack into dist/, which `pulumi policy publish` ships with this
//   folder): plain JavaScript, nothing from outside this folder, dependencies from this folder's package.json.
// - In this repository without a build: a transpile-only .ts hook from the repository (no type-checking at run time,
//   ~1 s boot), then the TypeScript sources.
const fs = require("fs");
const path = require("path");

if (fs.existsSync(path.join(__dirname, "dist", "pack.js"))) {
  require("./dist/pack.js");
} else {
  require("../bin/register-ts");
  require("./pack");
}

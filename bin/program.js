"use strict";
// The entry `pulumi up` / `pulumi preview` runs (Pulumi.yaml `main`, with `typescript: false`): the transpile-only
// TypeScript hook mlvault's CLI and policy pack use, then the program. Under `typescript: true` the Pulumi CLI would
// register ts-node with type-checking, which costs about 12 s and 600 MiB per run (npm run bench, "real CLI path");
// types are checked once, by `npm test` (tsc --noEmit), before anything is deployed.
require("./register-ts");
module.exports = require("../index.ts");

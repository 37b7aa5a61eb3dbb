// Plain-node entry point the Pulumi engine runs: a transpile-only .ts hook (no type-checking at
// run time, ~1 s boot), then the pack itself.
require("../bin/register-ts");
require("./pack");

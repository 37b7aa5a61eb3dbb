// ESLint flat config: typescript-eslint's recommended rules, syntax-only (not type-aware) so `npm test` stays fast;
// `tsc --noEmit` already does the type checking.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The Node globals the CommonJS launchers use (the `globals` package is not a dependency; this is all we need).
const nodeCommonJsGlobals = {
  require: "readonly", module: "writable", exports: "writable", __dirname: "readonly", __filename: "readonly",
  process: "readonly", console: "readonly", Buffer: "readonly", setTimeout: "readonly", clearTimeout: "readonly",
  setInterval: "readonly", clearInterval: "readonly",
};

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      // The compiled, publishable policy pack (npm run build:policies).
      "policies/dist/**",
      // A fixture policy pack that is broken on purpose (it throws while loading).
      "test/fixtures/packs/broken/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      // `_`-prefixed names are deliberately unused; a rest sibling (`const { a, ...rest } = o`) is how we drop a key.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
      // Reading our own version with `require("../package.json")` keeps package.json out of the compiled program.
      "@typescript-eslint/no-require-imports": ["error", { allow: ["/package\\.json$"] }],
    },
  },
  {
    // Deliberate lazy loads: the offline engine must install its .ts hook and configure the Pulumi SDK before the
    // SDK's first import, and it loads SDK internals only when a run starts (cold-start time is measured by bench/).
    files: ["engine/**/*.ts", "bench/**/*.ts"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Policies and tests handle resource properties as the engine sends them: untyped JSON (@pulumi/policy itself
    // types them `any`); narrowing every fixture and reader to `unknown` would add casts, not safety.
    files: ["policies/**/*.ts", "test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // Plain-node launchers (bin/, the policy pack entry, jest config): CommonJS by design, they run before any .ts hook.
    files: ["**/*.js"],
    languageOptions: { sourceType: "commonjs", globals: nodeCommonJsGlobals },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);

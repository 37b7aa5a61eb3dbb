/** Tests are transpiled by sucrase (no type-checking at test time: `npm run typecheck` does that once). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@sucrase/jest-plugin", { transforms: ["typescript", "imports"] }],
  },
  testTimeout: 60000,
  // Two cores: jest would default to one worker (cores - 1); most suites wait on child processes, so use both.
  maxWorkers: 2,
};

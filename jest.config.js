/** @type {import('jest').Config} */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  // Mock-runtime suites share Pulumi's global runtime state: isolate each file.
  maxWorkers: 2,
  testTimeout: 60000,
  transform: {
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
};

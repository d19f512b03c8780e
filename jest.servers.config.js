/** @type {import('jest').Config} */
// `npm run test:servers`: real servers under QEMU; minutes, not seconds, so apart from `npm test`.
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/tests/servers"],
  testMatch: ["**/*.test.ts"],
  maxWorkers: 1,
  testTimeout: 15 * 60 * 1000,
  reporters: ["default", "<rootDir>/tests/summary-reporter.js"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
};

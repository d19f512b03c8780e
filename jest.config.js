/** @type {import('jest').Config} */
module.exports = {
  preset: "ts-jest",
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  // Real servers under QEMU take minutes: `npm run test:servers` (jest.servers.config.js).
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/tests/servers/"],
  // The machines that run this have two cores.
  maxWorkers: 2,
  testTimeout: 60000,
  reporters: ["default", "<rootDir>/tests/summary-reporter.js"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { diagnostics: false }],
  },
};

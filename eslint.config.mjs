// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import pulumi from "@pulumi/eslint-plugin";

export default tseslint.config(
  { ignores: ["node_modules/**", "bin/**", "coverage/**", "**/*.js", "**/*.mjs"] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@pulumi": pulumi },
    rules: {
      // An Output in a template literal renders as a warning string, not its value.
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",
      "@typescript-eslint/no-floating-promises": "error",
    },
  },
  {
    // The neutral core speaks no cloud: no cloud SDK, no platform folder (tests/unit/core-boundary
    // also keeps cloud words out of it).
    files: ["components/core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "@pulumi/aws",
                "@pulumi/aws/*",
                "@pulumi/awsx",
                "@pulumi/awsx/*",
                "@pulumi/digitalocean",
                "@pulumi/digitalocean/*",
                "@pulumi/vsphere",
                "@pulumi/vsphere/*",
                "@pulumi/azure*",
                "@pulumi/gcp",
                "@pulumi/gcp/*",
                "**/digitalocean/**",
                "**/aws/**",
                "**/vsphere/**",
                "**/stacks/**",
              ],
              message:
                "components/core is cloud-neutral: a cloud's code belongs in its platform folder.",
            },
          ],
        },
      ],
    },
  },
);

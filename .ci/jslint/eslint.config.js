// ESLint for the PWA: browser modules, the service worker, no build step.
import js from "@eslint/js";
import globals from "globals";

// This file lives in .ci/jslint (with its node_modules); the code it checks is pwa/ at the top.
export default [
  { ignores: ["**/vendor/**"] },
  { ...js.configs.recommended },
  {
    files: ["**/*.js"],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: "module",
      globals: { ...globals.browser, ...globals.serviceworker },
    },
    rules: {
      "no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
];

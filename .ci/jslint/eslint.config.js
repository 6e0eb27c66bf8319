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
  // Screens share code only through lib/ (docs/architecture.md): a screen imports from lib/, never
  // from another screen, and lib/ imports only lib/ (app.js is the one place that loads screens).
  {
    files: ["**/screens/*.js"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{
        regex: "^(?!\\.\\./lib/)",
        message: "A screen imports only from pwa/lib/ (move what screens share there).",
      }] }],
    },
  },
  {
    files: ["**/lib/*.js"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{
        regex: "^(?!\\./)",
        message: "pwa/lib/ imports only pwa/lib/ (never a screen or app.js).",
      }] }],
    },
  },
];

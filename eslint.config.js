// The map script's lint (npm run lint): eslint's recommended rules on the script's ES modules
// and the page's own elements' (page/elements), with browser globals and Leaflet's L, and on
// their unit tests (Node's globals).
import js from "@eslint/js";
import globals from "globals";

export default [
    {ignores: ["**/node_modules/**", ".venv/**", "build/**", "dist/**", "tests/artifacts/**"]},
    js.configs.recommended,
    {
        files: ["src/laovn_map/page/js/**/*.js", "src/laovn_map/page/elements/**/*.js"],
        languageOptions: {
            ecmaVersion: 2020,
            sourceType: "module",
            globals: {...globals.browser, L: "readonly"}
        }
    },
    {
        files: ["tests/js/**/*.js", "eslint.config.js"],
        languageOptions: {ecmaVersion: 2022, sourceType: "module", globals: {...globals.node}}
    }
];

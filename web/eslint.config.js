// ESLint flat config for the widget and the console (npm run lint).
// The recommended rules, plus a few that catch real bugs rather than style.
import js from '@eslint/js';
import globals from 'globals';

const bugCatchers = {
  'no-unused-vars': ['error', { args: 'after-used', caughtErrors: 'all' }],
  eqeqeq: ['error', 'always'],
  'no-implicit-globals': 'error',
  'prefer-const': 'error',
  'no-var': 'error',
  // A path that forgets its value, a callback whose result is dropped, a typo'd template.
  'consistent-return': 'error',
  'array-callback-return': 'error',
  'no-promise-executor-return': 'error',
  'no-self-compare': 'error',
  'no-template-curly-in-string': 'error',
};

export default [
  { ignores: ['node_modules/'] },
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: bugCatchers,
  },
  // Bundled for the browser by esbuild.
  { files: ['src/**/*.js'], languageOptions: { globals: globals.browser } },
  // Run by Node: the build, this file and the unit tests.
  { files: ['build.mjs', 'eslint.config.js', 'test/**/*.js'], languageOptions: { globals: globals.node } },
];

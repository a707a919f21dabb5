import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import layerImports from './scripts/eslint/layer-imports.js';
import pluginImports from './scripts/eslint/plugin-imports.js';
import noLayerBarrel from './scripts/eslint/no-layer-barrel.js';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { kiln: { rules: { 'layer-imports': layerImports, 'plugin-imports': pluginImports, 'no-layer-barrel': noLayerBarrel } } },
    rules: {
      'kiln/layer-imports': 'error',
      'kiln/plugin-imports': 'error',
      'kiln/no-layer-barrel': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use a string-literal union, not an enum.' },
        // dist/ turns each module's exports into plain values once it has run (scripts/build.mjs).
        { selector: "ExportNamedDeclaration > VariableDeclaration[kind!='const']", message: 'Export a const (or a function that returns the current value): dist/ does not keep live bindings.' },
      ],
    },
  },
  {
    files: ['scripts/**/*.{js,mjs}', 'bin/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);

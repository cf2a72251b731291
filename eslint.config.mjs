import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', __dirname: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    // Decorated parameters are read by Nest's dependency injection through emitted metadata.
    // The console (apps/console, no Nest, checked by its own tsconfig) keeps the rule.
    files: ['apps/**/*.ts'],
    ignores: ['apps/console/**'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    // Message handlers are typed by the contract map; Nest's own decorators take any string.
    files: ['apps/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@nestjs/microservices',
              importNames: ['MessagePattern', 'EventPattern'],
              message: "Use @Handles('pattern') from #messaging: the contract map types the handler.",
            },
          ],
        },
      ],
    },
  },
);

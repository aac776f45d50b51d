// Test runner configuration: every package's src/**/*.test.ts plus the cross-package tests in test/.
// Workspace packages resolve to their TypeScript sources, so tests never need a build first.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string): string => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@tapegrad\/tensor$/, replacement: src('tensor') },
      { find: /^@tapegrad\/autograd$/, replacement: src('autograd') },
      { find: /^@tapegrad\/nn$/, replacement: src('nn') },
      { find: /^tapegrad$/, replacement: src('tapegrad') },
    ],
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 60_000,
    globalSetup: ['scripts/wasm-setup.mjs'], // builds packages/tensor/wasm/ when missing or stale
  },
});

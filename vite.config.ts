/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import solid from 'vite-plugin-solid';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

/**
 * The AWS SDK's browser build parses XML with DOMParser, which Web Workers lack. @aws-sdk/xml-builder
 * also ships a DOM-free parser (its Node entry, built on fast-xml-parser); resolve the browser
 * substitution back to it so S3 calls work inside the upload worker.
 */
function xmlParserWithoutDom(): Plugin {
  return {
    name: 'xml-parser-without-dom',
    enforce: 'pre',
    resolveId(source, importer) {
      // The package's index imports './xml-parser'; its `browser` field maps that to the DOM version, so
      // catch the bare import (before the browser field applies) as well as a direct '.browser' import.
      if (importer && importer.includes('@aws-sdk/xml-builder') && /xml-parser(\.browser)?(\.js)?$/.test(source)) {
        return fileURLToPath(new URL('./node_modules/@aws-sdk/xml-builder/dist-es/xml-parser.js', import.meta.url));
      }
      return null;
    },
  };
}

/**
 * Tests only: vite-plugin-solid adds the `browser` resolve condition in test mode, which sends Node
 * tests to the AWS SDK's browser build (extension-less ESM imports Node cannot load, and DOMParser).
 * Node-side tests (tests/s3, the CLI) resolve @aws-sdk/* and @smithy/* to their Node builds instead.
 */
function awsSdkNodeBuildInTests(): Plugin {
  return {
    name: 'aws-sdk-node-build-in-tests',
    enforce: 'pre',
    apply: (_config, env) => env.mode === 'test',
    configResolved(config) {
      // The copy vitest turns into the Node workers' `--conditions` (see vite-plugin-solid's own note).
      const ssrResolve = config.ssr?.resolve as { conditions?: string[] } | undefined;
      if (ssrResolve?.conditions && ssrResolve !== config.environments?.ssr?.resolve) {
        ssrResolve.conditions = ssrResolve.conditions.filter((c) => c !== 'browser');
      }
    },
    resolveId(source, importer, options) {
      if (!options?.ssr || !/^@(aws-sdk|smithy)\//.test(source)) return null;
      try {
        return { id: createRequire(importer ?? import.meta.url).resolve(source), external: true };
      } catch {
        return null;
      }
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [awsSdkNodeBuildInTests(), xmlParserWithoutDom(), solid()],
  worker: { format: 'es', plugins: () => [xmlParserWithoutDom()] },
  optimizeDeps: { exclude: ['@aws-sdk/xml-builder'], include: ['comlink'] },
  build: { target: 'es2022', assetsInlineLimit: 0, sourcemap: true },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx', 'src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    // Builds dist/ once before the end-to-end files run (they serve it to real Chromium).
    globalSetup: ['tests/e2e/global-setup.ts'],
    // The SDK's notice that its 2027 releases need Node 22 is known (README); keep test logs readable.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

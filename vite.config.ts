import { defineConfig, type Plugin } from 'vite';
import solid from 'vite-plugin-solid';
import { fileURLToPath } from 'node:url';

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
      if (importer && importer.includes('@aws-sdk/xml-builder') && /xml-parser\.browser(\.js)?$/.test(source)) {
        return fileURLToPath(new URL('./node_modules/@aws-sdk/xml-builder/dist-es/xml-parser.js', import.meta.url));
      }
      return null;
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [xmlParserWithoutDom(), solid()],
  worker: { format: 'es', plugins: () => [xmlParserWithoutDom()] },
  optimizeDeps: { exclude: ['@aws-sdk/xml-builder'], include: ['comlink'] },
  build: { target: 'es2022', assetsInlineLimit: 0, sourcemap: true },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx', 'src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

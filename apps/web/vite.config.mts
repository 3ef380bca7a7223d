/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
// The API the dev server forwards to (`npm run dev:web`); the built app is served by the API itself.
const api = process.env.API_URL ?? 'http://127.0.0.1:3000';
const proxied = ['/uploads', '/evidence', '/assignments', '/plans', '/admin'];

export default defineConfig({
  root,
  plugins: [react()],
  server: {
    proxy: {
      '/graphql': { target: api, ws: true, changeOrigin: false },
      ...Object.fromEntries(proxied.map((path) => [path, { target: api }])),
    },
  },
  build: {
    outDir: fileURLToPath(new URL('../../dist/apps/web', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        // What the sign-in page needs comes first and alone (≤ 350 KB gzipped, `npm run bench:web`): React and
        // Apollo as long-cached chunks, and only the antd components the entry itself imports. Every other
        // component, and ECharts, splits with the lazy routes that use it.
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/,
              priority: 30,
            },
            { name: 'apollo', test: /node_modules[\\/](@apollo|graphql|graphql-ws|rxjs)[\\/]/, priority: 20 },
            {
              name: 'antd',
              test: /node_modules[\\/](antd|@ant-design|@rc-component)[\\/]/,
              tags: ['$initial'],
              priority: 10,
            },
          ],
        },
      },
    },
  },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});

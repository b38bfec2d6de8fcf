import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('./src/web', import.meta.url));

// The SPA lives in src/web; the server serves dist/web with an SPA fallback. React and echarts go
// into long-lived named chunks. antd is deliberately NOT a group: one forced antd chunk made the
// login page download every component (~280 KB gz of antd, 402 KB in all). Left to the bundler,
// antd's modules land in chunks shared by exactly the routes that use them. No "app-shared" group
// either: a group takes its modules' dependencies with it (includeDependenciesRecursively), which
// dragged the antd components of src/web/components into the first load.
// `npm run bench:web-bundle` prints each route's initial JS (budget: login ≤ 300 KB gz, dashboard ≤ 900).
export default defineConfig({
  root: webRoot,
  plugins: [react()],
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    // .vite/manifest.json: lets tools (and the bundle-size report) follow each route's imports.
    manifest: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|@tanstack)[\\/]/, priority: 30 },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender|echarts-for-react)[\\/]/, priority: 20 },
          ],
        },
      },
    },
  },
});

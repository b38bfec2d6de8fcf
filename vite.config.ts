import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('./src/web', import.meta.url));

// The SPA lives in src/web; the server serves dist/web with an SPA fallback. Vendor code goes into
// a few long-lived chunks so that a deploy of app code does not invalidate antd/echarts in caches.
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
            {
              name: 'antd',
              test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|@emotion|dayjs|classnames|clsx|stylis|@babel[\\/]runtime)[\\/]/,
              priority: 10,
            },
            // The app's own shared code (i18n, catalogues, api client and hooks, common components): one named chunk.
            {
              name: 'app-shared',
              test: /src[\\/](shared[\\/]|web[\\/](lib|locales|components)[\\/]|web[\\/]features[\\/][^\\/]+[\\/](api[\\/]|session\.ts))/,
              priority: 5,
            },
          ],
        },
      },
    },
  },
});

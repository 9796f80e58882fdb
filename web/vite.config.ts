// Builds the pages the server serves (src/web/staticPages.ts): the booking widget, the manage page, the iCloud
// settings page and the embed snippet, into web/dist/ at install time (npm postinstall).
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const page = (path: string) => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  root: page('.'),
  base: '/',
  publicDir: false,
  build: {
    outDir: page('dist'),
    emptyOutDir: true,
    target: 'es2022',
    // Inline nothing: the CSP allows scripts and styles from 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: {
        booking: page('booking/index.html'),
        settings: page('settings/index.html'),
        embed: page('embed/embed.ts'),
      },
      output: {
        // The embed snippet has a fixed URL (CRMs paste it); everything else is content-hashed.
        entryFileNames: (chunk) => (chunk.name === 'embed' ? 'embed.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
})

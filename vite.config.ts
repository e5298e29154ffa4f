import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig } from 'vite';
import { flowdeckDevServer } from './server/vite-plugin.ts';

/** Vite: SvelteKit, Tailwind, and (in dev) Flowdeck's database and realtime endpoint on Vite's own server. */
export default defineConfig({
	plugins: [tailwindcss(), sveltekit(), flowdeckDevServer()]
});

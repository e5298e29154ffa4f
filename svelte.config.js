import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** SvelteKit config: adapter-node output is mounted by server/index.ts. */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// SvelteKit refuses cross-origin form posts (403) by default; keep it explicit.
		csrf: { trustedOrigins: [] }
	}
};

export default config;

import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** SvelteKit config: adapter-node output is mounted by server/index.ts. */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// SvelteKit refuses cross-origin form posts (403) by default; keep it explicit.
		csrf: { trustedOrigins: [] },
		// Sent as a header with every page; 'auto' gives each response's inline scripts and styles a fresh nonce.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// <style> elements need SvelteKit's nonce: stylesheets that Observable Plot and dnd-kit build at run
				// time are adopted as constructed sheets instead (src/lib/adopt-styles.ts), which CSP does not govern.
				'style-src': ['self'],
				'style-src-elem': ['self'],
				// Style *attributes* must stay allowed: Svelte renders `style:` directives (avatar colours) into the
				// server's HTML, and dnd-kit clones the dragged card with its inline styles. An attribute cannot hold
				// selectors, so it cannot read the page the way an injected <style> block could.
				'style-src-attr': ['unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				// 'self' also allows ws:// and wss:// to this same host (CSP Level 3): the realtime socket /sync/<id>.
				'connect-src': ['self'],
				'manifest-src': ['self'],
				'worker-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;

import type { Plugin } from 'vite';
import { configFromEnv } from './config.ts';
import { startFlowdeck } from './app.ts';

/** In `vite dev`, runs the same backend setup as server/index.ts and attaches the realtime endpoint to Vite's server. */
export function flowdeckDevServer(): Plugin {
	return {
		name: 'flowdeck-dev-server',
		apply: 'serve',
		async configureServer(server) {
			if (process.env.VITEST) return;
			const app = await startFlowdeck(configFromEnv(process.env));
			// Vite's HMR socket shares this server: only /sync/ paths are ours.
			server.httpServer?.on('upgrade', (req, socket, head) => void app.handleUpgrade(req, socket, head));
			server.httpServer?.once('close', () => void app.close());
		}
	};
}

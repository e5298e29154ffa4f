// The benchmark's reference: the stock y-websocket server (@y/websocket-server 0.1.1, `setupWSConnection`),
// bare as it ships: no auth, no persistence (YPERSISTENCE unset), documents kept in memory.
// Usage: node --import tsx tests/bench/reference-server.ts <port>
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';

const port = Number(process.argv[2] ?? 0);
const wss = new WebSocketServer({ noServer: true });
const server = createServer((_req, res) => {
	res.writeHead(200, { 'content-type': 'text/plain' });
	res.end('reference');
});
server.on('upgrade', (req, socket, head) => {
	wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req));
});
server.listen(port, '127.0.0.1', () => {
	const address = server.address();
	console.log(`reference listening on ${typeof address === 'object' && address ? address.port : port}`);
});
process.once('SIGTERM', () => process.exit(0));

// Preloaded into a test server (`startServer(env, { preload })`): SIGUSR2 makes the server throw an exception
// nobody catches, as a bug would, so a test can choose the moment of the crash.
process.on('SIGUSR2', () => {
	setImmediate(() => {
		throw new Error('simulated bug (SIGUSR2 from a test)');
	});
});

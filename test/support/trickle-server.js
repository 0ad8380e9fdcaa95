/**
 * A server on 127.0.0.1 that answers 200 with headers at once, then trickles its body one
 * byte at a time, never falling silent for long: what n8n's idle timeout cannot end.
 * `stop()` ends every connection and closes it.
 */
const http = require('node:http');

function startTrickleServer({ byteEveryMs = 100 } = {}) {
	const sockets = new Set();
	const timers = new Set();
	const server = http.createServer((request, response) => {
		request.resume();
		response.writeHead(200, { 'content-type': 'application/json' });
		response.write(' ');
		const timer = setInterval(() => response.write(' '), byteEveryMs);
		timers.add(timer);
		response.on('close', () => {
			clearInterval(timer);
			timers.delete(timer);
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => {
			resolve({
				url: `http://127.0.0.1:${server.address().port}`,
				requests: () => server.requestCount ?? 0,
				stop: () =>
					new Promise((done) => {
						for (const timer of timers) clearInterval(timer);
						for (const socket of sockets) socket.destroy();
						server.close(() => done());
					}),
			});
		});
	});
}

module.exports = { startTrickleServer };

// n8n-core 1.x starts a 60 s interval (its SSH client cleanup) when its DI container first
// builds the SSH clients manager, and releases it only on process exit. Release it after each
// test file, so jest ends without open handles (and without forceExit).
const path = require('node:path');

afterAll(() => {
	let core;
	try {
		core = path.dirname(require.resolve('n8n-core-v1/package.json'));
	} catch {
		return;
	}
	const { Container } = require(require.resolve('@n8n/di', { paths: [core] }));
	const { SSHClientsManager } = require(path.join(core, 'dist/execution-engine/ssh-clients-manager.js'));
	if (Container.has(SSHClientsManager)) Container.get(SSHClientsManager).onShutdown();
});

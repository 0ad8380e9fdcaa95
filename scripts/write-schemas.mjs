// Writes the output schemas n8n's editor shows before a node has run
// (dist/nodes/Sonarly/__schema__/v<version>/<resource>/<operation>.json) from the operations'
// `schema` (nodes/Sonarly/helpers/schema.ts): one source for them and for Simplified output.
// Runs after `n8n-node build`, on the compiled registry.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { OPERATIONS } = require(path.join(root, 'dist/nodes/Sonarly/operations/index.js'));
const { jsonSchema } = require(path.join(root, 'dist/nodes/Sonarly/helpers/schema.js'));
const { Sonarly } = require(path.join(root, 'dist/nodes/Sonarly/Sonarly.node.js'));

const version = `v${new Sonarly().description.version}.0.0`;
const folder = path.join(root, 'dist/nodes/Sonarly/__schema__', version);
fs.rmSync(path.join(root, 'dist/nodes/Sonarly/__schema__'), { recursive: true, force: true });
for (const spec of OPERATIONS) {
	const file = path.join(folder, spec.resource, `${spec.operation}.json`);
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, `${JSON.stringify(jsonSchema(spec.schema), null, '\t')}\n`);
}
process.stdout.write(`write-schemas: ${OPERATIONS.length} output schemas in ${path.relative(root, folder)}\n`);

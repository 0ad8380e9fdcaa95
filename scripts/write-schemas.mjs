// The output schemas n8n's editor shows before a node has run
// (nodes/Sonarly/__schema__/v<version>/<resource>/<operation>.json, copied into dist/ by
// `n8n-node build` like any static file), written from the operations' `schema`
// (nodes/Sonarly/helpers/schema.ts): one source for them and for Simplified output.
//
//   node scripts/write-schemas.mjs          rewrite the files from the built registry (dist/)
//   node scripts/write-schemas.mjs --check  exit 1 when a file differs (CI runs it after build)
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { OPERATIONS } = require(path.join(root, 'dist/nodes/Sonarly/operations/index.js'));
const { jsonSchema } = require(path.join(root, 'dist/nodes/Sonarly/helpers/schema.js'));
const { Sonarly } = require(path.join(root, 'dist/nodes/Sonarly/Sonarly.node.js'));

const check = process.argv.includes('--check');
const folder = path.join(root, 'nodes/Sonarly/__schema__', `v${new Sonarly().description.version}.0.0`);
const wanted = new Map(
	OPERATIONS.map((spec) => [
		path.join(folder, spec.resource, `${spec.operation}.json`),
		`${JSON.stringify(jsonSchema(spec.schema), null, '\t')}\n`,
	]),
);
const existing = fs.existsSync(folder)
	? fs.readdirSync(folder, { recursive: true }).map((file) => path.join(folder, file)).filter((file) => file.endsWith('.json'))
	: [];
const stale = existing.filter((file) => !wanted.has(file));
const differing = [...wanted].filter(([file, text]) => !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text);

if (check) {
	for (const file of stale) process.stderr.write(`write-schemas: ${path.relative(root, file)} has no operation\n`);
	for (const [file] of differing) process.stderr.write(`write-schemas: ${path.relative(root, file)} differs from its operation's schema\n`);
	if (stale.length + differing.length > 0) {
		process.stderr.write('write-schemas: run `npm run build && node scripts/write-schemas.mjs`, then build again\n');
		process.exit(1);
	}
	process.stdout.write(`write-schemas: the ${wanted.size} output schemas match the operations\n`);
} else {
	for (const file of stale) fs.rmSync(file);
	for (const [file, text] of differing) {
		fs.mkdirSync(path.dirname(file), { recursive: true });
		fs.writeFileSync(file, text);
	}
	process.stdout.write(`write-schemas: ${differing.length} written, ${stale.length} removed, ${wanted.size} in all\n`);
}

'use strict';
// Jest's transform for the TypeScript tests and node sources: TypeScript's transpileModule with
// test/tsconfig.json's options. Types are checked by `tsc --noEmit -p test/tsconfig.json`, not
// here. TypeScript itself is loaded only when a file is not in jest's cache yet, so the fresh
// workers of a warm run do not pay the 0.4 s it takes to load.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const tsconfigPath = path.join(root, 'test/tsconfig.json');
const typescriptVersion = require('typescript/package.json').version;
const configText = [path.join(root, 'tsconfig.json'), tsconfigPath, __filename]
	.map((file) => fs.readFileSync(file, 'utf8'))
	.join('\0');

let compilerOptions;
function optionsFor(ts) {
	if (!compilerOptions) {
		const { config } = ts.readConfigFile(tsconfigPath, ts.sys.readFile);
		const parsed = ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(tsconfigPath));
		compilerOptions = {
			...parsed.options,
			module: ts.ModuleKind.CommonJS,
			noEmit: false,
			declaration: false,
			sourceMap: true,
			inlineSourceMap: false,
		};
	}
	return compilerOptions;
}

module.exports = {
	getCacheKey(source, filename) {
		return crypto
			.createHash('sha256')
			.update(`${filename}\0${typescriptVersion}\0${configText}\0`)
			.update(source)
			.digest('hex');
	},
	process(source, filename) {
		const ts = require('typescript');
		const { outputText, sourceMapText } = ts.transpileModule(source, {
			fileName: filename,
			compilerOptions: optionsFor(ts),
		});
		// Stack traces name the .ts file and line.
		const map = { ...JSON.parse(sourceMapText), sources: [filename], sourceRoot: undefined };
		return { code: outputText.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'), map };
	},
};

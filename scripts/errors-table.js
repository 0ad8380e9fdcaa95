'use strict';
/**
 * The README's errors table, generated from the node's one failure table (FAILURE_TABLE in
 * nodes/Sonarly/transport/classify.ts), so that the two cannot drift apart.
 *
 *   node scripts/errors-table.js          rewrites the block of README.md between the markers
 *   node scripts/errors-table.js --check  exits 1 when README.md is not what the table gives
 *
 * Both read the built table (dist/nodes/Sonarly/transport/classify.js): run `npm run build`
 * first. CI runs `--check` right after its build step. test/unit/errors-table.test.ts renders
 * the table from the TypeScript source and compares it with README.md in `npm test`.
 *
 * Only the words live here: what each failure is, and where its item goes. Whether Sonarly may
 * have acted and whether the node sends the request again come from the failure table itself,
 * for each safety class. A failure reason without words here, or words for a reason that is
 * not in the table, is an error.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const README = path.join(ROOT, 'README.md');
const BUILT_CLASSIFY = path.join(ROOT, 'dist/nodes/Sonarly/transport/classify.js');

const START = '<!-- errors-table:start -->';
const END = '<!-- errors-table:end -->';

/** The safety classes, in the order the cells name them. */
const SAFETIES = ['read', 'write', 'keyedWrite'];
const SAFETY_WORDS = { read: 'read', write: 'write', keyedWrite: 'keyed write' };

/**
 * Per failure reason: what happened (as the user would describe it), which branch its item
 * takes, and, only where the table resends it, how.
 */
const WORDS = {
	input: {
		happened:
			'Refused before sending: a parameter (an empty or unsafe ID, a JSON Body that is not an object), the credential or its Base URL, or a setting (Retry On Fail on a write)',
		branch: 'Error output. Under Stop Workflow no item is sent',
	},
	unexpected: {
		happened: "n8n could not evaluate an expression (n8n's own message is kept), or the node hit a bug (the message says to report it)",
		branch: 'Error output',
	},
	refused: {
		happened: "Sonarly refused the request: 400 or 422 (invalid), 401 (API key), 403 (permission), 404 (not found), 409 (state), another 4xx. Sonarly's own message is quoted",
		branch: 'Error output. A 409 goes to the success output when the Ignore… option is on',
	},
	rateLimited: {
		happened: "Sonarly answered 429, and its rate limit did not clear within Max Rate Limit Wait (or other requests' 429s held this item back, unsent)",
		branch: 'Error output',
		resent: 'after the wait Sonarly asks for',
	},
	notSent: {
		happened: 'The request never reached Sonarly: connection refused, DNS, TLS, an unreachable Base URL',
		branch: 'Error output',
		resent: 'up to 3 more times',
	},
	redirect: {
		happened: 'A 3xx: something in front of Sonarly answered (Sonarly does not redirect; check the Base URL)',
		branch: 'Error output',
	},
	serverError: {
		happened: 'A 5xx from Sonarly or a proxy (JSON, HTML or empty)',
		branch: 'Error output',
	},
	unclearAnswer: {
		happened: "A 2xx that is not Sonarly's success answer (`success: false`, HTML, empty), or a list that repeats a page",
		branch: 'Error output',
	},
	timeout: {
		happened: 'No whole answer within Timeout',
		branch: 'Error output',
	},
	connectionLost: {
		happened: 'The connection broke before Sonarly answered',
		branch: 'Error output',
	},
	cancelled: {
		happened: 'The execution was cancelled (or reached the workflow timeout) while the request was on its way',
		branch: 'None: n8n ends the execution as cancelled',
	},
};

/** "read", "read and write", "read, write and keyed write". */
function joinSafeties(safeties) {
	const words = safeties.map((safety) => SAFETY_WORDS[safety]);
	return words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/**
 * One cell from an answer per safety class: "No" when every class gets the same answer, or
 * "Read: no. Write and keyed write: maybe" when they differ.
 */
function perSafety(answerFor) {
	const groups = new Map();
	for (const safety of SAFETIES) {
		const answer = answerFor(safety);
		groups.set(answer, [...(groups.get(answer) ?? []), safety]);
	}
	const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);
	if (groups.size === 1) return capital([...groups.keys()][0]);
	return [...groups.entries()].map(([answer, safeties]) => `${capital(joinSafeties(safeties))}: ${answer}`).join('. ');
}

/**
 * The Markdown table, from the failure table module (classify.ts or its build): its
 * FAILURE_TABLE, mayHaveActed() and KEYED_RESENDS.
 */
function renderErrorsTable({ FAILURE_TABLE, mayHaveActed, KEYED_RESENDS }) {
	const reasons = Object.keys(FAILURE_TABLE);
	const unworded = reasons.filter((reason) => !(reason in WORDS));
	if (unworded.length > 0) {
		throw new Error(`scripts/errors-table.js has no words for the failure reason(s) ${unworded.join(', ')}: add them to WORDS`);
	}
	const stale = Object.keys(WORDS).filter((reason) => !(reason in FAILURE_TABLE));
	if (stale.length > 0) {
		throw new Error(`scripts/errors-table.js has words for ${stale.join(', ')}, which FAILURE_TABLE no longer has: remove them`);
	}
	const rows = reasons.map((reason) => {
		const rule = FAILURE_TABLE[reason];
		const words = WORDS[reason];
		if (words.resent && rule.resend.length === 0) {
			throw new Error(`scripts/errors-table.js says how ${reason} is sent again, but FAILURE_TABLE never resends it`);
		}
		const acted = perSafety((safety) => (mayHaveActed(reason, safety) ? 'maybe' : 'no'));
		const again = perSafety((safety) => {
			if (!rule.resend.includes(safety)) return 'no';
			// A request that may have acted goes again only with its key: Sonarly replays it.
			if (rule.mayHaveActed && safety === 'keyedWrite') return `yes, with the same Idempotency-Key, up to ${KEYED_RESENDS} more times`;
			return words.resent ? `yes, ${words.resent}` : 'yes';
		});
		return `| ${words.happened} | ${words.branch} | ${acted} | ${again} |`;
	});
	return [
		START,
		'<!-- Generated from FAILURE_TABLE by scripts/errors-table.js: edit the words there, not here. -->',
		'',
		'| What happened | Branch | Did Sonarly act? | Sent again by the node? |',
		'|---|---|---|---|',
		...rows,
		'',
		END,
	].join('\n');
}

/** The block between the markers, markers included. */
function readBlock(readme) {
	const start = readme.indexOf(START);
	const end = readme.indexOf(END);
	if (start === -1 || end === -1 || end < start) {
		throw new Error(`README.md has no errors table block: it needs the lines ${START} and ${END}`);
	}
	return readme.slice(start, end + END.length);
}

function replaceBlock(readme, block) {
	return readme.replace(readBlock(readme), () => block);
}

function readReadme() {
	return fs.readFileSync(README, 'utf8');
}

function main(argv) {
	const check = argv.includes('--check');
	if (!fs.existsSync(BUILT_CLASSIFY)) {
		console.error(`errors-table: ${path.relative(ROOT, BUILT_CLASSIFY)} is missing: run npm run build first`);
		return 2;
	}
	const readme = readReadme();
	const wanted = replaceBlock(readme, renderErrorsTable(require(BUILT_CLASSIFY)));
	if (wanted === readme) {
		console.log('errors-table: README.md matches FAILURE_TABLE');
		return 0;
	}
	if (check) {
		const have = readBlock(readme).split('\n');
		const want = readBlock(wanted).split('\n');
		console.error('errors-table: the errors table in README.md differs from FAILURE_TABLE (transport/classify.ts).');
		for (let line = 0; line < Math.max(have.length, want.length); line++) {
			if (have[line] === want[line]) continue;
			if (have[line] !== undefined) console.error(`  README:    ${have[line]}`);
			if (want[line] !== undefined) console.error(`  generated: ${want[line]}`);
		}
		console.error('Run `npm run build && node scripts/errors-table.js` to rewrite it.');
		return 1;
	}
	fs.writeFileSync(README, wanted);
	console.log('errors-table: README.md rewritten from FAILURE_TABLE');
	return 0;
}

module.exports = { START, END, renderErrorsTable, readBlock, replaceBlock, readReadme };

if (require.main === module) {
	try {
		process.exitCode = main(process.argv.slice(2));
	} catch (error) {
		console.error(`errors-table: ${error.message}`);
		process.exitCode = 1;
	}
}

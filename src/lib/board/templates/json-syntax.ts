/** Where a JSON text first goes wrong: a 0-based offset, the 1-based line and column there, and what was expected. */
export interface JsonSyntaxError {
	offset: number;
	line: number;
	column: number;
	message: string;
}

// JSON.parse says where it failed only for some errors ("Unexpected token '}', ... is not valid JSON" has no
// position, and quotes the text back), so a failed parse is located again by this small scanner.

const MAX_DEPTH = 200;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Stop extends Error {
	constructor(
		readonly offset: number,
		message: string
	) {
		super(message);
	}
}

/** The first syntax error in `text`, or null when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
	let i = 0;
	const ws = () => {
		while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
	};
	const here = () => (i < text.length ? `"${text[i]}"` : 'the end of the text');
	const expect = (what: string): never => {
		throw new Stop(i, `expected ${what}, found ${here()}`);
	};
	const string = () => {
		i++;
		for (;;) {
			const c = text[i];
			if (c === undefined) throw new Stop(i, 'a string is not closed (missing ")');
			if (c === '"') return void i++;
			if (c === '\\') {
				const e = text[i + 1];
				if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
				else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
				else throw new Stop(i, 'invalid escape in a string (write \\\\ for a backslash)');
			} else if (c < ' ') throw new Stop(i, 'a line break or control character inside a string (write \\n)');
			else i++;
		}
	};
	const value = (depth: number): void => {
		if (depth > MAX_DEPTH) throw new Stop(i, 'nested too deeply');
		ws();
		const c = text[i];
		if (c === '{') return members('}', depth, () => {
			if (text[i] !== '"') expect('a property name in double quotes');
			string();
			ws();
			if (text[i] !== ':') expect('":" after a property name');
			i++;
			value(depth + 1);
		});
		if (c === '[') return members(']', depth, () => value(depth + 1));
		if (c === '"') return string();
		NUMBER.lastIndex = i;
		if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
			if (!NUMBER.test(text)) throw new Stop(i, 'invalid number');
			i = NUMBER.lastIndex;
			return;
		}
		for (const word of ['true', 'false', 'null']) if (text.startsWith(word, i)) return void (i += word.length);
		expect('a value');
	};
	const members = (close: string, depth: number, member: () => void) => {
		i++;
		ws();
		if (text[i] === close) return void i++;
		for (;;) {
			ws();
			member();
			ws();
			if (text[i] === ',') i++;
			else if (text[i] === close) return void i++;
			else expect(`"," or "${close}"`);
		}
	};
	try {
		value(0);
		ws();
		if (i < text.length) expect('nothing after the end of the JSON');
		return null;
	} catch (e) {
		if (!(e instanceof Stop)) throw e;
		const before = text.slice(0, e.offset);
		const line = before.split('\n').length;
		return { offset: e.offset, line, column: e.offset - before.lastIndexOf('\n'), message: e.message };
	}
}

import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { MESSAGE_NOTICE, decodeNotice, encodeNotice, readNotice } from '../../src/lib/sync-protocol/notice.ts';
import { userColor } from '../../src/lib/sync-protocol/identity.ts';
import { originAllowed, readCookie } from '../../server/sync/upgrade.ts';
import type { IncomingMessage } from 'node:http';

describe('notice frames', () => {
	it('round-trip through the frame and through a y-websocket style handler', () => {
		const notice = { type: 'refused' as const, message: 'In progress is at its WIP limit of 2 cards.', cardId: 'c1' };
		const frame = encodeNotice(notice);
		expect(frame[0]).toBe(MESSAGE_NOTICE);
		expect(decodeNotice(frame)).toEqual(notice);
		const decoder = decoding.createDecoder(frame);
		expect(decoding.readVarUint(decoder)).toBe(100);
		expect(readNotice(decoder)).toEqual(notice);
	});

	it('carries the read-only notice, which the browser keeps showing and which stops its edits', () => {
		const notice = { type: 'read-only' as const, message: 'This board is read-only for now.' };
		expect(decodeNotice(encodeNotice(notice))).toEqual(notice);
	});

	it('returns null for other frames and bodies it does not understand', () => {
		const body = (text: string) => {
			const e = encoding.createEncoder();
			encoding.writeVarUint(e, MESSAGE_NOTICE);
			encoding.writeVarString(e, text);
			return encoding.toUint8Array(e);
		};
		expect(decodeNotice(new Uint8Array([0, 0, 0]))).toBeNull();
		expect(decodeNotice(body('not json'))).toBeNull();
		expect(decodeNotice(body('{"type":"other","message":"x"}'))).toBeNull();
		expect(decodeNotice(body('{"type":"refused"}'))).toBeNull();
		expect(decodeNotice(new Uint8Array([100]))).toBeNull();
	});
});

describe('upgrade checks', () => {
	const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
	it('accepts only our own origin', () => {
		expect(originAllowed(req({ host: 'board.example:3000', origin: 'http://board.example:3000' }), undefined)).toBe(true);
		expect(originAllowed(req({ host: 'board.example', origin: 'https://board.example' }), undefined)).toBe(true);
		expect(originAllowed(req({ host: 'board.example', origin: 'https://evil.example' }), undefined)).toBe(false);
		expect(originAllowed(req({ host: 'board.example' }), undefined)).toBe(false);
		expect(originAllowed(req({ host: 'internal:3000', origin: 'https://board.example' }), 'https://board.example')).toBe(true);
		expect(originAllowed(req({ host: 'board.example', origin: 'http://board.example' }), 'https://board.example')).toBe(false);
	});
	it('reads the session cookie among others', () => {
		expect(readCookie('a=1; flowdeck_session=tok%20en; b=2', 'flowdeck_session')).toBe('tok en');
		expect(readCookie('xflowdeck_session=1', 'flowdeck_session')).toBeNull();
		expect(readCookie(undefined, 'flowdeck_session')).toBeNull();
		expect(readCookie('flowdeck_session=%E0%A4%A', 'flowdeck_session')).toBeNull();
	});
	it('gives each user a stable colour', () => {
		expect(userColor('abc')).toBe(userColor('abc'));
		expect(new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map(userColor)).size).toBeGreaterThan(3);
	});
});

import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { gateAwarenessUpdate, type AwarenessSpeaker } from '../../server/sync/awareness-gate.ts';

const SERVER_ID = 1;

/** An awareness update with one entry per [clientId, clock, state]. */
function update(...entries: [number, number, unknown][]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const [clientId, clock, state] of entries) {
		encoding.writeVarUint(encoder, clientId);
		encoding.writeVarUint(encoder, clock);
		encoding.writeVarString(encoder, JSON.stringify(state));
	}
	return encoding.toUint8Array(encoder);
}

/** The [clientId, state] pairs an update carries (null when nothing got through). */
function entries(gated: Uint8Array | null): [number, unknown][] | null {
	if (!gated) return null;
	const decoder = decoding.createDecoder(gated);
	const count = decoding.readVarUint(decoder);
	return Array.from({ length: count }, () => {
		const clientId = decoding.readVarUint(decoder);
		decoding.readVarUint(decoder);
		return [clientId, JSON.parse(decoding.readVarString(decoder)) as unknown];
	});
}

function speaker(userId: string): AwarenessSpeaker {
	return { awarenessIds: new Set(), identity: { user: { id: userId, name: userId, color: '#123456' } } };
}

/** A room that takes every entry that gets through, keeping its clock (as the server's awareness does). */
function room() {
	const owners = new Map<number, AwarenessSpeaker>();
	const clocks = new Map<number, number>();
	const send = (conn: AwarenessSpeaker, u: Uint8Array) => {
		const gated = gateAwarenessUpdate(u, conn, { ownerOf: (id) => owners.get(id), claim: (id, owner) => owners.set(id, owner), clockOf: (id) => clocks.get(id) }, SERVER_ID);
		const decoder = decoding.createDecoder(u);
		const taken = new Set((entries(gated) ?? []).map(([id]) => id));
		for (let i = decoding.readVarUint(decoder); i > 0; i--) {
			const id = decoding.readVarUint(decoder);
			const clock = decoding.readVarUint(decoder);
			decoding.readVarString(decoder);
			if (taken.has(id)) clocks.set(id, Math.max(clock, clocks.get(id) ?? 0));
		}
		return entries(gated);
	};
	return { owners, send };
}

describe('awareness gate', () => {
	it('stamps the session’s identity and refuses another user’s id and the server’s', () => {
		const { send } = room();
		const ann = speaker('ann');
		const bob = speaker('bob');
		expect(send(ann, update([100, 1, { user: { id: 'ceo' }, openCardId: 'c1' }]))).toEqual([[100, { user: ann.identity.user, openCardId: 'c1' }]]);
		expect(send(bob, update([100, 2, { hijacked: true }]))).toBeNull();
		expect(send(bob, update([SERVER_ID, 1, {}]))).toBeNull();
		expect(send(ann, update([100, 3, null]))).toEqual([[100, null]]);
	});

	it('the same user’s newer connection takes an id over from a connection not yet seen to close', () => {
		const { owners, send } = room();
		const stale = speaker('ann');
		const fresh = speaker('ann');
		send(stale, update([100, 1, {}]));
		expect(send(fresh, update([100, 2, { openCardId: 'c2' }]))).toEqual([[100, { openCardId: 'c2', user: fresh.identity.user }]]);
		expect(owners.get(100)).toBe(fresh);
		expect([...fresh.awarenessIds]).toEqual([100]);
		// The old connection no longer speaks for it: closing it later must not remove the state.
		expect([...stale.awarenessIds]).toEqual([]);
	});

	it('a second tab of the same person echoing the first tab’s presence (at the clock the room sent) takes nothing over', () => {
		const { owners, send } = room();
		const first = speaker('ann');
		const second = speaker('ann');
		send(first, update([100, 4, { openCardId: 'c1' }]));
		send(second, update([200, 1, {}]));
		// y-websocket relays every change it receives: the second tab sends the first tab's state back unchanged.
		expect(send(second, update([100, 4, { openCardId: 'c1' }]))).toBeNull();
		expect(owners.get(100)).toBe(first);
		expect([...second.awarenessIds]).toEqual([200]);
		expect(send(first, update([100, 5, { openCardId: null }]))).toEqual([[100, { openCardId: null, user: first.identity.user }]]);
	});

	it('an echoed removal of an id nobody speaks for any more claims nothing, so its tab can come back', () => {
		const { owners, send } = room();
		const ann = speaker('ann');
		const bob = speaker('bob');
		send(ann, update([100, 3, {}]));
		owners.delete(100);
		ann.awarenessIds.clear();
		expect(send(bob, update([100, 3, null]))).toBeNull();
		expect(owners.has(100)).toBe(false);
		const annAgain = speaker('ann');
		expect(send(annAgain, update([100, 4, {}]))).toEqual([[100, { user: annAgain.identity.user }]]);
	});
});

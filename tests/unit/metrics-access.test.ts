import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { metricsAllowed } from '../../server/metrics/metrics-endpoint.ts';

/** A request as the access check sees it: the socket's peer address and the headers. */
const request = (remoteAddress: string, headers: Record<string, string> = {}) => ({ socket: { remoteAddress }, headers }) as unknown as IncomingMessage;

describe('who may read /metrics', () => {
	it('without METRICS_TOKEN: loopback only (IPv4, IPv6, IPv4-mapped), and never a request a proxy forwarded', () => {
		expect(metricsAllowed(request('127.0.0.1'), undefined)).toBe(true);
		expect(metricsAllowed(request('::1'), undefined)).toBe(true);
		expect(metricsAllowed(request('::ffff:127.0.0.1'), undefined)).toBe(true);
		expect(metricsAllowed(request('10.0.0.5'), undefined)).toBe(false);
		expect(metricsAllowed(request('::ffff:192.168.1.9'), undefined)).toBe(false);
		// A proxy on the same host connects from loopback on behalf of anyone.
		expect(metricsAllowed(request('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }), undefined)).toBe(false);
		expect(metricsAllowed(request('127.0.0.1', { forwarded: 'for=203.0.113.9' }), undefined)).toBe(false);
		expect(metricsAllowed(request('127.0.0.1', { 'x-real-ip': '203.0.113.9' }), undefined)).toBe(false);
	});

	it('with METRICS_TOKEN: the bearer token, from anywhere; loopback alone is not enough', () => {
		const token = 's3cret-token';
		expect(metricsAllowed(request('10.0.0.5', { authorization: `Bearer ${token}` }), token)).toBe(true);
		expect(metricsAllowed(request('10.0.0.5', { authorization: `bearer ${token}` }), token)).toBe(true);
		expect(metricsAllowed(request('127.0.0.1'), token)).toBe(false);
		expect(metricsAllowed(request('10.0.0.5', { authorization: `Bearer ${token}x` }), token)).toBe(false);
		expect(metricsAllowed(request('10.0.0.5', { authorization: `Bearer ${token.slice(0, -1)}` }), token)).toBe(false);
		expect(metricsAllowed(request('10.0.0.5', { authorization: `Basic ${token}` }), token)).toBe(false);
		expect(metricsAllowed(request('10.0.0.5', { authorization: 'Bearer ' }), token)).toBe(false);
	});
});

import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, isForbiddenAddress, parseWebhookUrl, WebhookAddressError } from '../../src/lib/server/webhooks/address-guard.ts';

describe('the webhook address guard', () => {
	it.each([
		'127.0.0.1',
		'127.8.9.10',
		'10.1.2.3',
		'172.16.0.1',
		'172.31.255.255',
		'192.168.1.1',
		'100.64.0.1',
		'169.254.169.254',
		'0.0.0.0',
		'224.0.0.1',
		'255.255.255.255',
		'::1',
		'::',
		'fc00::1',
		'fd12:3456::1',
		'fe80::1',
		'ff02::1',
		'::ffff:127.0.0.1',
		'::ffff:7f00:1',
		'::ffff:10.0.0.1',
		'::ffff:a9fe:a9fe',
		'not-an-ip'
	])('refuses %s', (address) => {
		expect(isForbiddenAddress(address)).toBe(true);
	});

	it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows the public address %s', (address) => {
		expect(isForbiddenAddress(address)).toBe(false);
	});

	it('accepts only http(s) URLs without credentials', () => {
		expect(parseWebhookUrl('https://example.com/hook').href).toBe('https://example.com/hook');
		expect(() => parseWebhookUrl('ftp://example.com/hook')).toThrow(/https:\/\/ or http:\/\//);
		expect(() => parseWebhookUrl('file:///etc/passwd')).toThrow(WebhookAddressError);
		expect(() => parseWebhookUrl('javascript:alert(1)')).toThrow(WebhookAddressError);
		expect(() => parseWebhookUrl('example.com/hook')).toThrow(/full URL/);
		expect(() => parseWebhookUrl('https://user:pw@example.com/hook')).toThrow(/user name and password/);
	});

	it('refuses literal and resolved internal hosts unless private targets are allowed', async () => {
		await expect(checkWebhookUrl('http://127.0.0.1:9/hook', false)).rejects.toThrow(/127\.0\.0\.1.*public addresses/);
		await expect(checkWebhookUrl('http://[::1]/hook', false)).rejects.toThrow(WebhookAddressError);
		await expect(checkWebhookUrl('http://[::ffff:192.168.0.1]/hook', false)).rejects.toThrow(WebhookAddressError);
		// `localhost` goes through the resolver, as any name does.
		await expect(checkWebhookUrl('http://localhost/hook', false)).rejects.toThrow(/localhost points to/);
		await expect(checkWebhookUrl('http://127.0.0.1:9/hook', true)).resolves.toMatchObject({ addresses: ['127.0.0.1'] });
		await expect(checkWebhookUrl('http://public.example.invalid/hook', false)).rejects.toThrow(/could not be found/);
	});
});

import { BlockList } from 'node:net';
import { describe, expect, it } from 'vitest';
import { clientIp, createOriginResolver } from './origin.ts';

const proxies = new BlockList();
proxies.addSubnet('10.0.0.0', 8, 'ipv4');
proxies.addAddress('::1', 'ipv6');

describe('clientIp', () => {
  it.each([
    [
      'a peer that is no proxy: its own address, whatever it writes',
      '203.0.113.9',
      '1.2.3.4',
      '203.0.113.9',
    ],
    ['a trusted proxy: the hop it saw', '10.0.0.2', '198.51.100.7', '198.51.100.7'],
    [
      'a chain: the first hop from the right that is not ours',
      '10.0.0.2',
      '6.6.6.6, 198.51.100.7, 10.0.0.3',
      '198.51.100.7',
    ],
    ['IPv4-mapped IPv6 peers', '::ffff:10.0.0.2', '198.51.100.7', '198.51.100.7'],
    ['garbage in the chain: the proxy itself', '10.0.0.2', 'hello, 198.51.100.7x', '10.0.0.2'],
    ['no header: the peer', '::1', undefined, '::1'],
  ])('should take, from %s', (_, peer, header, expected) => {
    expect(clientIp(peer, header, proxies)).toBe(expected);
  });

  it('should refuse a TRUSTED_PROXIES entry that is not an address', () => {
    expect(() => createOriginResolver(['10.0.0.0/8', 'proxy.local'])).toThrow(/TRUSTED_PROXIES/);
  });
});

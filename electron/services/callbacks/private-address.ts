/**
 * Whether a callback would reach this machine or a private network rather than a receiver on the internet.
 *
 * A callback URL comes from whoever set up the run (an agent, a config file, a pasted value); pointed at
 * 127.0.0.1, 169.254.169.254 (a cloud's metadata service) or a router on 192.168.x.x, TokenOps would POST
 * signed payloads into places the operator never meant to reach. Such a destination is allowed only when
 * the operator says so (`--allow-private`, a confirmation in the app). The ranges are the IANA special-purpose
 * registries' non-global blocks (RFC 6890, RFC 1918, RFC 6598, RFC 4193, RFC 4291), checked with node:net's
 * BlockList; names under `localhost` (RFC 6761) count as loopback. A name is checked again once resolved
 * (http-post.ts), so a public name that resolves to a private address is caught too.
 */
import { BlockList, isIP } from 'node:net';

const RANGES: Array<[string, number, 'ipv4' | 'ipv6', string]> = [
  ['0.0.0.0', 8, 'ipv4', 'an unspecified address'],
  ['127.0.0.0', 8, 'ipv4', 'a loopback address'],
  ['10.0.0.0', 8, 'ipv4', 'a private-network address'],
  ['172.16.0.0', 12, 'ipv4', 'a private-network address'],
  ['192.168.0.0', 16, 'ipv4', 'a private-network address'],
  ['100.64.0.0', 10, 'ipv4', 'a carrier-grade NAT address'],
  ['169.254.0.0', 16, 'ipv4', 'a link-local address (cloud metadata services live here)'],
  ['::', 128, 'ipv6', 'an unspecified address'],
  ['::1', 128, 'ipv6', 'a loopback address'],
  ['fc00::', 7, 'ipv6', 'a private-network address'],
  ['fe80::', 10, 'ipv6', 'a link-local address'],
];

const blocks = RANGES.map(([net, prefix, type, what]) => {
  const list = new BlockList();
  list.addSubnet(net, prefix, type);
  return { list, what };
});

/** What kind of non-public address `host` is (a URL's hostname, IPv6 with or without brackets), or null. */
export function privateAddressKind(host: string): string | null {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return 'a loopback address';
  const family = isIP(h);
  if (family === 0) return null;
  // An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is the IPv4 address it carries.
  const mapped = family === 6 ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h)?.[1] : undefined;
  const [address, type] = mapped
    ? [mapped, 'ipv4' as const]
    : [h, family === 4 ? ('ipv4' as const) : ('ipv6' as const)];
  return blocks.find((b) => b.list.check(address, type))?.what ?? null;
}

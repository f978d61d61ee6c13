/**
 * Which one address the hub binds. The configuration (`hub.listen`) and `npm run hub
 * --listen` name an address ("192.168.1.10", "::1"), a network interface ("eth0",
 * "Wi-Fi") or "localhost"; this turns that into exactly one IP address of this machine.
 *
 * Listening on every interface is refused: a hub reachable from a guest Wi-Fi or a second
 * network card nobody thought of is a hub strangers can flood with pairing attempts. The
 * staff name the network helpers' phones are on, and only that one is served.
 *
 * Host names other than "localhost" are not looked up: a name that resolves differently
 * tomorrow would move the hub without anyone noticing.
 */
import { isIP, isIPv4 } from 'node:net';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

/** What os.networkInterfaces() answers; tests pass their own. */
export type NetworkInterfaceTable = NodeJS.Dict<NetworkInterfaceInfo[]>;

export interface ResolvedListenAddress {
  /** What the server binds: "192.168.1.10", "::1", "fe80::1%eth0" (a link-local IPv6 address carries its interface). */
  readonly address: string;
  readonly family: 'IPv4' | 'IPv6';
  /** The interface the address belongs to, for the start-up message. */
  readonly interfaceName: string;
  /** True for loopback: only this machine reaches it, never a helper's phone. */
  readonly loopbackOnly: boolean;
}

export type ListenAddressResolution = { readonly ok: true; readonly listen: ResolvedListenAddress } | { readonly ok: false; readonly message: string };

const EXAMPLE = 'for example "192.168.1.10" or "eth0"';

export function resolveListenAddress(text: string, interfaces: NetworkInterfaceTable = networkInterfaces()): ListenAddressResolution {
  const wanted = text.trim();
  if (wanted === '') return refuse(`the hub needs the address or network interface to listen on, ${EXAMPLE}`);
  if (isWildcard(wanted)) {
    return refuse(
      `"${wanted}" means every network interface, and the hub listens on one only: name the address or interface helpers' phones reach, ${EXAMPLE}. ${describeInterfaces(interfaces)}`,
    );
  }
  if (wanted.toLowerCase() === 'localhost') return resolveLocalhost(interfaces);

  const literal = unbracket(wanted);
  if (isIP(literal.address) !== 0) return resolveLiteral(wanted, literal, interfaces);
  if (/^[\d.]+$/.test(wanted)) return refuse(`"${wanted}" is not a valid IPv4 address: write four numbers from 0 to 255 separated by dots, for example "192.168.1.10"`);
  return resolveInterfaceName(wanted, interfaces);
}

/* ---------- Wildcards ---------- */

function isWildcard(text: string): boolean {
  if (text === '*') return true;
  const { address } = unbracket(text);
  if (isIPv4(address)) return address === '0.0.0.0';
  // "::", "0::0", "0:0:0:0:0:0:0:0", "::0": the unspecified IPv6 address in any spelling.
  return isIP(address) === 6 && /^[0:]+$/.test(address);
}

/* ---------- Literal addresses ---------- */

interface Literal {
  readonly address: string;
  readonly zone: string | null;
}

/** "[::1]" → "::1"; "fe80::1%eth0" → fe80::1 in zone eth0. */
function unbracket(text: string): Literal {
  const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const percent = inner.indexOf('%');
  if (percent === -1) return { address: inner, zone: null };
  return { address: inner.slice(0, percent), zone: inner.slice(percent + 1) };
}

function resolveLiteral(original: string, literal: Literal, interfaces: NetworkInterfaceTable): ListenAddressResolution {
  const wanted = canonicalAddress(literal.address);
  const owners = entries(interfaces).filter(
    ({ name, info }) => canonicalAddress(info.address) === wanted && (literal.zone === null || literal.zone === name || literal.zone === String(info.scopeid ?? '')),
  );
  const owner = owners[0];
  if (owner === undefined) {
    return refuse(
      `${original} is not an address of this machine, so the hub cannot listen on it: name one of this machine's addresses or interfaces. ${describeInterfaces(interfaces)}`,
    );
  }
  if (isLinkLocalIPv6(owner.info) && owners.length > 1 && literal.zone === null) {
    return refuse(
      `${original} is a link-local address found on several interfaces (${owners.map(({ name }) => name).join(', ')}): add the interface, for example "${literal.address}%${owners[0]!.name}", or name the interface itself`,
    );
  }
  return accept(owner.name, owner.info);
}

/* ---------- localhost ---------- */

function resolveLocalhost(interfaces: NetworkInterfaceTable): ListenAddressResolution {
  const loopback = entries(interfaces).filter(({ info }) => info.internal);
  // IPv4 first: every phone and browser of the EPN speaks it, not all speak IPv6.
  const chosen = loopback.find(({ info }) => info.family === 'IPv4' && info.address === '127.0.0.1') ?? loopback.find(({ info }) => info.family === 'IPv4') ?? loopback.find(({ info }) => info.family === 'IPv6');
  if (chosen === undefined) return refuse(`this machine shows no loopback interface for "localhost": name an address or interface instead. ${describeInterfaces(interfaces)}`);
  return accept(chosen.name, chosen.info);
}

/* ---------- Interface names ---------- */

function resolveInterfaceName(wanted: string, interfaces: NetworkInterfaceTable): ListenAddressResolution {
  const names = Object.keys(interfaces).filter((name) => (interfaces[name] ?? []).length > 0);
  const exact = names.find((name) => name === wanted);
  const folded = names.filter((name) => name.toLowerCase() === wanted.toLowerCase());
  const name = exact ?? (folded.length === 1 ? folded[0] : undefined);
  if (name === undefined) {
    const hint = wanted.includes('.') ? ' Host names are not looked up.' : '';
    return refuse(`"${wanted}" is neither an address of this machine nor one of its network interfaces.${hint} Name an interface or one of its addresses. ${describeInterfaces(interfaces)}`);
  }

  const addresses = interfaces[name] ?? [];
  const ipv4 = addresses.filter((info) => info.family === 'IPv4');
  const ipv6Global = addresses.filter((info) => info.family === 'IPv6' && !isLinkLocalIPv6(info));
  const ipv6LinkLocal = addresses.filter((info) => info.family === 'IPv6' && isLinkLocalIPv6(info));
  // IPv4 first: every phone of the EPN reaches it; then a routable IPv6 address; link-local last.
  for (const candidates of [ipv4, ipv6Global, ipv6LinkLocal]) {
    if (candidates.length === 1) return accept(name, candidates[0]!);
    if (candidates.length > 1) {
      return refuse(
        `the interface ${name} has several ${candidates[0]!.family} addresses (${candidates.map((info) => info.address).join(', ')}): name the one helpers' phones reach instead of the interface`,
      );
    }
  }
  return refuse(`the interface ${name} has no address: connect it, or name another interface. ${describeInterfaces(interfaces)}`);
}

/* ---------- Helpers ---------- */

function accept(interfaceName: string, info: NetworkInterfaceInfo): ListenAddressResolution {
  const family = info.family === 'IPv4' ? 'IPv4' : 'IPv6';
  // A link-local IPv6 address is only bindable together with its interface.
  const address = family === 'IPv6' && isLinkLocalIPv6(info) ? `${info.address}%${interfaceName}` : info.address;
  return { ok: true, listen: { address, family, interfaceName, loopbackOnly: info.internal } };
}

function refuse(message: string): ListenAddressResolution {
  return { ok: false, message };
}

function entries(interfaces: NetworkInterfaceTable): { readonly name: string; readonly info: NetworkInterfaceInfo }[] {
  return Object.entries(interfaces).flatMap(([name, infos]) => (infos ?? []).map((info) => ({ name, info })));
}

function isLinkLocalIPv6(info: NetworkInterfaceInfo): boolean {
  return info.family === 'IPv6' && /^fe[89ab]/i.test(info.address);
}

/** One spelling per address, so "0:0:0:0:0:0:0:1" finds "::1". */
function canonicalAddress(address: string): string {
  if (isIP(address) !== 6) return address;
  try {
    return new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return address.toLowerCase();
  }
}

/** "The interfaces of this machine: eth0 (192.168.1.10, fe80::1), lo (127.0.0.1, ::1)." */
export function describeInterfaces(interfaces: NetworkInterfaceTable): string {
  const listed = Object.entries(interfaces)
    .filter(([, infos]) => (infos ?? []).length > 0)
    .map(([name, infos]) => `${name} (${(infos ?? []).map((info) => info.address).join(', ')})`);
  return listed.length === 0 ? 'This machine shows no network interface.' : `The interfaces of this machine: ${listed.join(', ')}.`;
}

import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { describeInterfaces, resolveListenAddress, type NetworkInterfaceTable } from '../../../electron/hub/listen-address';

function ipv4(address: string, internal = false): NetworkInterfaceInfo {
  return { address, netmask: '255.255.255.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal, cidr: `${address}/24` };
}
function ipv6(address: string, scopeid = 0, internal = false): NetworkInterfaceInfo {
  return { address, netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '00:00:00:00:00:00', internal, cidr: `${address}/64`, scopeid };
}

/** A staff PC with a wired card, a Wi-Fi card and loopback. */
const STAFF_PC: NetworkInterfaceTable = {
  lo: [ipv4('127.0.0.1', true), ipv6('::1', 0, true)],
  eth0: [ipv4('192.168.1.10'), ipv6('2001:db8::10'), ipv6('fe80::a00:27ff:fe4e:66a1', 2)],
  wlan0: [ipv6('fe80::1', 3)],
  docker0: [],
};

function resolved(text: string, interfaces: NetworkInterfaceTable = STAFF_PC) {
  const result = resolveListenAddress(text, interfaces);
  if (!result.ok) throw new Error(`expected "${text}" to resolve, got: ${result.message}`);
  return result.listen;
}
function refused(text: string, interfaces: NetworkInterfaceTable = STAFF_PC): string {
  const result = resolveListenAddress(text, interfaces);
  if (result.ok) throw new Error(`expected "${text}" to be refused, got ${result.listen.address}`);
  return result.message;
}

describe('resolveListenAddress', () => {
  it('accepts an address of this machine as it is', () => {
    expect(resolved('192.168.1.10')).toEqual({ address: '192.168.1.10', family: 'IPv4', interfaceName: 'eth0', loopbackOnly: false });
    expect(resolved(' 127.0.0.1 ')).toEqual({ address: '127.0.0.1', family: 'IPv4', interfaceName: 'lo', loopbackOnly: true });
    expect(resolved('::1')).toMatchObject({ address: '::1', family: 'IPv6', interfaceName: 'lo', loopbackOnly: true });
    expect(resolved('[::1]').address).toBe('::1');
    expect(resolved('2001:db8::10').interfaceName).toBe('eth0');
  });

  it('finds an IPv6 address whatever its spelling', () => {
    expect(resolved('0:0:0:0:0:0:0:1').address).toBe('::1');
    expect(resolved('2001:DB8:0:0:0:0:0:10').interfaceName).toBe('eth0');
  });

  it('binds a link-local IPv6 address together with its interface', () => {
    expect(resolved('fe80::1').address).toBe('fe80::1%wlan0');
    expect(resolved('fe80::1%wlan0').address).toBe('fe80::1%wlan0');
    expect(refused('fe80::1%eth0')).toContain('not an address of this machine');
  });

  it('turns an interface name into its one IPv4 address', () => {
    expect(resolved('eth0')).toEqual({ address: '192.168.1.10', family: 'IPv4', interfaceName: 'eth0', loopbackOnly: false });
    expect(resolved('ETH0').address).toBe('192.168.1.10');
    expect(resolved('lo').address).toBe('127.0.0.1');
  });

  it('falls back to IPv6 when the interface has no IPv4 address', () => {
    expect(resolved('wlan0').address).toBe('fe80::1%wlan0');
    expect(resolved('v6only', { v6only: [ipv6('fe80::2', 4), ipv6('2001:db8::2')] }).address).toBe('2001:db8::2');
  });

  it('turns localhost into the IPv4 loopback address, or the IPv6 one when there is no other', () => {
    expect(resolved('localhost')).toMatchObject({ address: '127.0.0.1', loopbackOnly: true });
    expect(resolved('LocalHost', { lo: [ipv6('::1', 0, true)] }).address).toBe('::1');
    expect(refused('localhost', { eth0: [ipv4('192.168.1.10')] })).toContain('no loopback interface');
  });

  it.each(['0.0.0.0', '::', '[::]', '*', '0:0:0:0:0:0:0:0', '::0'])('refuses the wildcard %s and says to name one interface', (wildcard) => {
    const message = refused(wildcard);
    expect(message).toContain('every network interface');
    expect(message).toContain("helpers' phones reach");
    expect(message).toContain('eth0 (192.168.1.10');
  });

  it('says so when the address is not on this machine, and lists what is', () => {
    const message = refused('192.168.1.99');
    expect(message).toContain('192.168.1.99 is not an address of this machine');
    expect(message).toContain('lo (127.0.0.1, ::1)');
    expect(message).toContain('eth0 (192.168.1.10, 2001:db8::10, fe80::a00:27ff:fe4e:66a1)');
  });

  it('lists the interfaces and their addresses for an unknown interface name', () => {
    const message = refused('wlp2s0');
    expect(message).toContain('"wlp2s0" is neither an address of this machine nor one of its network interfaces');
    expect(message).toContain('The interfaces of this machine: lo (127.0.0.1, ::1), eth0 (192.168.1.10');
    expect(message).not.toContain('docker0');
  });

  it('does not look host names up', () => {
    expect(refused('hub.epn.local')).toContain('Host names are not looked up');
  });

  it('says what is wrong with a mistyped IPv4 address', () => {
    expect(refused('192.168.1.300')).toContain('not a valid IPv4 address');
  });

  it('refuses an interface with several addresses of the same family, naming them', () => {
    const message = refused('eth1', { eth1: [ipv4('10.0.0.5'), ipv4('10.0.0.6')] });
    expect(message).toContain('several IPv4 addresses (10.0.0.5, 10.0.0.6)');
  });

  it('refuses an interface without any address', () => {
    expect(refused('docker0', { docker0: [], lo: [ipv4('127.0.0.1', true)] })).toContain('docker0');
  });

  it('refuses an empty value with an example', () => {
    expect(refused('  ')).toContain('for example "192.168.1.10" or "eth0"');
  });

  it('reads the real interfaces of this machine by default', () => {
    const result = resolveListenAddress('127.0.0.1');
    expect(result).toEqual({ ok: true, listen: expect.objectContaining({ address: '127.0.0.1', loopbackOnly: true }) });
  });
});

describe('describeInterfaces', () => {
  it('says when there is none', () => {
    expect(describeInterfaces({})).toBe('This machine shows no network interface.');
  });
});

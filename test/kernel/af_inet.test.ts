// socket() through inetsw (af_inet.c inet_create): which struct proto and
// proto_ops a (type, protocol) pair gets, the errors of the pairs Linux
// refuses, and calls a socket type does not have.
import { describe, expect, it } from 'vitest';
import { inet_dgram_ops, inet_sockraw_ops, inet_stream_ops } from '../../src/kernel/ipv4/af_inet.ts';
import type { Sock } from '../../src/kernel/sock.ts';
import { EINVAL, EOPNOTSUPP, EPROTONOSUPPORT, ESOCKTNOSUPPORT, ENOPROTOOPT, ENOTCONN } from '../../src/kernel/uapi/errno.ts';
import * as uapi from '../../src/kernel/uapi/socket.ts';
import { twoHosts } from './helpers.ts';

const { IPPROTO_ICMP, IPPROTO_RAW, IPPROTO_TCP, IPPROTO_UDP, SOCK_DGRAM, SOCK_RAW, SOCK_STREAM } = uapi;

function open(type: number, protocol: number): Sock | number {
  const { a } = twoHosts();
  a.sysctl.set('net.ipv4.ping_group_range', '0\t2147483647');
  const s = uapi.socket(a, type, protocol);
  return typeof s === 'number' ? s : (s as unknown as Sock);
}

describe('inet_create and inetsw', () => {
  it.each([
    [SOCK_STREAM, 0, 'TCP', inet_stream_ops],
    [SOCK_STREAM, IPPROTO_TCP, 'TCP', inet_stream_ops],
    [SOCK_DGRAM, 0, 'UDP', inet_dgram_ops],
    [SOCK_DGRAM, IPPROTO_UDP, 'UDP', inet_dgram_ops],
    [SOCK_DGRAM, IPPROTO_ICMP, 'PING', inet_sockraw_ops],
    [SOCK_RAW, IPPROTO_ICMP, 'RAW', inet_sockraw_ops],
    [SOCK_RAW, IPPROTO_TCP, 'RAW', inet_sockraw_ops],
    [SOCK_RAW, IPPROTO_RAW, 'RAW', inet_sockraw_ops],
  ])('socket(%i, %i) is %s', (type, protocol, prot, ops) => {
    const sk = open(type, protocol);
    if (typeof sk === 'number') throw new Error(`errno ${sk}`);
    expect(sk.prot.name).toBe(prot);
    expect(sk.ops).toBe(ops);
    expect(sk.protocol).toBe(protocol || (type === SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP));
    expect(sk.hdrincl).toBe(protocol === IPPROTO_RAW);
  });

  it.each([
    [SOCK_STREAM, IPPROTO_UDP, -EPROTONOSUPPORT],
    [SOCK_DGRAM, IPPROTO_TCP, -EPROTONOSUPPORT],
    [SOCK_RAW, 0, -EPROTONOSUPPORT],
    [5, 0, -ESOCKTNOSUPPORT],
    [99, 0, -EINVAL],
  ])('socket(%i, %i) fails with %i', (type, protocol, err) => {
    expect(open(type, protocol)).toBe(err);
  });

  it('a datagram socket has no listen or accept; an unconnected one has no peer', () => {
    const { a } = twoHosts();
    const s = uapi.socket(a, SOCK_DGRAM, 0) as uapi.Socket;
    expect(uapi.listen(s, 1)).toBe(-EOPNOTSUPP);
    expect(uapi.accept(s)).toBe(-EOPNOTSUPP);
    expect(uapi.getpeername(s)).toBe(-ENOTCONN);
    expect(uapi.setsockopt(s, uapi.SOL_TCP, uapi.TCP_NODELAY, 1)).toBe(-ENOPROTOOPT);
    uapi.close(s);
  });

  it('a stream socket that is not listening refuses accept', () => {
    const { a } = twoHosts();
    const s = uapi.socket(a, SOCK_STREAM, 0) as uapi.Socket;
    expect(uapi.accept(s)).toBe(-EINVAL);
    expect(uapi.setsockopt(s, uapi.SOL_TCP, uapi.TCP_NODELAY, 1)).toBe(0);
    expect(uapi.getsockopt(s, uapi.SOL_TCP, uapi.TCP_NODELAY)).toBe(1);
    uapi.close(s);
  });
});

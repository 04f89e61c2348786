// The rtnetlink door for routes, neighbours and rules, called as a tool calls
// it: plain rtmsg/ndmsg/fib_rule_hdr messages in, messages or negative errno
// plus extack out.
import { describe, expect, it } from 'vitest';
import {
  FR_ACT_GOTO,
  FR_ACT_TO_TBL,
  fib_rule_hdr,
  ndmsg,
  NLM_F_APPEND,
  NLM_F_CREATE,
  NLM_F_EXCL,
  NLM_F_REPLACE,
  NTF_ROUTER,
  NUD_PERMANENT,
  NUD_REACHABLE,
  RT_SCOPE_LINK,
  RT_SCOPE_UNIVERSE,
  RT_TABLE_MAIN,
  RTM_F_CLONED,
  RTM_F_FIB_MATCH,
  RTN_UNICAST,
  RTPROT_BOOT,
  type RouteMsg,
  rtmsg,
  rtnl_delneigh,
  rtnl_delroute,
  rtnl_delrule,
  rtnl_dumpneigh,
  rtnl_dumproute,
  rtnl_dumprule,
  rtnl_getneigh,
  rtnl_getroute,
  rtnl_newneigh,
  rtnl_newroute,
  rtnl_newrule,
} from '../../../src/kernel/uapi/rtnetlink_route.ts';
import { EEXIST, EINVAL, ENOENT, ESRCH } from '../../../src/kernel/uapi/errno.ts';
import { twoHosts } from '../helpers.ts';

const route = (dst: number, plen: number, extra: Partial<RouteMsg['attrs']> = {}, table = RT_TABLE_MAIN): RouteMsg => ({
  rtm: rtmsg({
    rtm_dst_len: plen,
    rtm_table: table < 256 ? table : 0,
    rtm_protocol: RTPROT_BOOT,
    rtm_scope: extra.RTA_GATEWAY ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK,
    rtm_type: RTN_UNICAST,
  }),
  attrs: { RTA_TABLE: table, RTA_DST: dst, ...extra },
});

describe('RTM_NEWROUTE / DELROUTE / GETROUTE', () => {
  it('honours NLM_F_CREATE/EXCL/REPLACE/APPEND and keeps every table in the kernel', () => {
    const { a } = twoHosts();
    const va = a.devByName.get('va')?.ifindex as number;
    expect(rtnl_newroute(a, NLM_F_CREATE | NLM_F_EXCL, route(0xc0000200, 24, { RTA_GATEWAY: 0x0a000002 }, 1000))).toEqual({
      error: 0,
      extack: null,
    });
    expect(rtnl_newroute(a, NLM_F_CREATE | NLM_F_EXCL, route(0xc0000200, 24, { RTA_GATEWAY: 0x0a000002 }, 1000)).error).toBe(-EEXIST);
    expect(rtnl_newroute(a, NLM_F_REPLACE, route(0xc0000300, 24, { RTA_OIF: va }, 1000)).error).toBe(-ENOENT);
    expect(rtnl_newroute(a, NLM_F_CREATE | NLM_F_APPEND, route(0xc0000200, 24, { RTA_GATEWAY: 0x0a000003 }, 1000)).error).toBe(0);
    const dump = rtnl_dumproute(a, { rtm: rtmsg(), attrs: { RTA_TABLE: 1000 } });
    expect(Array.isArray(dump) && dump.map((m) => [m.attrs.RTA_TABLE, m.attrs.RTA_GATEWAY, m.attrs.RTA_OIF])).toEqual([
      [1000, 0x0a000002, va],
      [1000, 0x0a000003, va],
    ]);
    expect(rtnl_newroute(a, NLM_F_CREATE, route(0xc0000201, 24, { RTA_OIF: va }))).toEqual({
      error: -EINVAL,
      extack: 'Invalid prefix for given prefix length',
    });
    expect(rtnl_delroute(a, route(0xc0000200, 24, {}, 77))).toEqual({ error: -ESRCH, extack: 'FIB table does not exist' });
    expect(rtnl_delroute(a, route(0xc0000200, 24, { RTA_GATEWAY: 0x0a000003 }, 1000)).error).toBe(0);
    expect(rtnl_dumproute(a, { rtm: rtmsg(), attrs: { RTA_TABLE: 77 } })).toEqual({
      error: -ENOENT,
      extack: 'ipv4: FIB table does not exist',
    });
  });

  it('answers ip route get with a cloned route, or the FIB entry with RTM_F_FIB_MATCH', () => {
    const { a } = twoHosts();
    const r = rtnl_getroute(a, { rtm: rtmsg(), attrs: { RTA_DST: 0x0a000002 } });
    expect('error' in r).toBe(false);
    const m = r as RouteMsg;
    expect(m.rtm.rtm_flags & RTM_F_CLONED).toBe(RTM_F_CLONED);
    expect(m.attrs).toMatchObject({ RTA_DST: 0x0a000002, RTA_PREFSRC: 0x0a000001, RTA_TABLE: RT_TABLE_MAIN, RTA_UID: 0 });
    const f = rtnl_getroute(a, { rtm: rtmsg({ rtm_flags: RTM_F_FIB_MATCH }), attrs: { RTA_DST: 0x0a000002 } }) as RouteMsg;
    expect(f.rtm.rtm_dst_len).toBe(24);
    expect(f.attrs.RTA_DST).toBe(0x0a000000);
    expect(rtnl_getroute(a, { rtm: rtmsg(), attrs: { RTA_DST: 0xc6336401 } })).toEqual({ error: -101, extack: null });
  });
});

describe('RTM_NEWNEIGH / DELNEIGH / GETNEIGH', () => {
  it('adds, finds, lists and deletes an entry', () => {
    const { a } = twoHosts();
    const va = a.devByName.get('va')?.ifindex as number;
    const msg = {
      ndm: ndmsg({ ndm_ifindex: va, ndm_state: NUD_PERMANENT, ndm_flags: NTF_ROUTER }),
      attrs: { NDA_DST: 0x0a000007, NDA_LLADDR: new Uint8Array([2, 0, 0, 0, 0, 7]) },
    };
    expect(rtnl_newneigh(a, NLM_F_CREATE | NLM_F_EXCL, msg).error).toBe(0);
    expect(rtnl_newneigh(a, NLM_F_CREATE | NLM_F_EXCL, msg).error).toBe(-EEXIST);
    expect(
      rtnl_newneigh(a, NLM_F_CREATE, { ...msg, attrs: { NDA_DST: 0x0a000008 }, ndm: ndmsg({ ndm_ifindex: va, ndm_state: NUD_REACHABLE }) }),
    ).toEqual({ error: -EINVAL, extack: 'No link layer address given' });
    const got = rtnl_getneigh(a, { ndm: ndmsg({ ndm_ifindex: va }), attrs: { NDA_DST: 0x0a000007 } });
    expect(got).toMatchObject({
      ndm: { ndm_state: NUD_PERMANENT, ndm_flags: NTF_ROUTER },
      attrs: { NDA_LLADDR: new Uint8Array([2, 0, 0, 0, 0, 7]) },
    });
    expect(rtnl_dumpneigh(a, { ndm: ndmsg(), attrs: {} }).map((n) => n.attrs.NDA_DST)).toContain(0x0a000007);
    expect(rtnl_delneigh(a, { ndm: ndmsg({ ndm_ifindex: va }), attrs: { NDA_DST: 0x0a000007 } }).error).toBe(0);
    expect(rtnl_getneigh(a, { ndm: ndmsg({ ndm_ifindex: va }), attrs: { NDA_DST: 0x0a000007 } })).toEqual({
      error: -ENOENT,
      extack: 'Neighbour entry not found',
    });
  });
});

describe('RTM_NEWRULE / DELRULE / GETRULE', () => {
  it('starts with the three default rules and inserts by preference', () => {
    const { a } = twoHosts();
    const prefs = (): (number | undefined)[] => rtnl_dumprule(a, { frh: fib_rule_hdr(), attrs: {} }).map((r) => r.attrs.FRA_PRIORITY);
    expect(prefs()).toEqual([undefined, 32766, 32767]);
    expect(
      rtnl_newrule(a, NLM_F_CREATE | NLM_F_EXCL, {
        frh: fib_rule_hdr({ action: FR_ACT_TO_TBL, table: 100, src_len: 24 }),
        attrs: { FRA_SRC: 0x0a000000 },
      }).error,
    ).toBe(0);
    expect(prefs()).toEqual([undefined, 32765, 32766, 32767]);
    expect(
      rtnl_newrule(a, NLM_F_CREATE | NLM_F_EXCL, { frh: fib_rule_hdr({ action: FR_ACT_GOTO }), attrs: { FRA_PRIORITY: 20, FRA_GOTO: 10 } }),
    ).toEqual({ error: -EINVAL, extack: 'Backward goto not supported' });
    expect(rtnl_delrule(a, { frh: fib_rule_hdr({ table: 100 }), attrs: {} }).error).toBe(0);
    expect(rtnl_delrule(a, { frh: fib_rule_hdr({ table: 100 }), attrs: {} }).error).toBe(-ENOENT);
    expect(a.fib.hasCustomRules).toBe(true);
  });
});

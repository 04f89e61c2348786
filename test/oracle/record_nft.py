#!/usr/bin/env python3
"""record.py, plus the `nft/<ns>.txt` artifact of issue 20.

Usage: same as /work/shared/oracle/record.py (SCENARIO OUTDIR [--runs N] [--files DIR]).

The shared recorder saves `iptables-save -c` per namespace when a scenario mentions
`iptables`; this saves `nft list ruleset` per namespace when a scenario mentions `nft`,
taken at the same moment (right after traffic, next to `nstat -asz`, while the captures
still run) and by the same means (`ip netns exec NS nft list ruleset`, stdout as printed).
It loads the shared record.py unchanged and wraps two of its functions; the
artifact goes through the same merge of the runs (tokens that differ become <*>).
"""
import os
import re
import sys

SHARED = os.environ.get("ORACLE_DIR", "/work/shared/oracle")
sys.path.insert(0, SHARED)
import record  # noqa: E402

_sh = record.sh
_run_once = record.run_once
_script = {"text": ""}
_nft = {}


def sh(cmd, **kw):
    r = _sh(cmd, **kw)
    m = re.fullmatch(r"ip netns exec (\S+) nstat -asz", cmd)
    if m and re.search(r"\bnft\b", _script["text"]):
        _nft[f"nft/{m.group(1)}.txt"] = _sh(f"ip netns exec {m.group(1)} nft list ruleset").stdout
    return r


def run_once(script, namespaces, workdir):
    _script["text"] = script
    _nft.clear()
    arts = _run_once(script, namespaces, workdir)
    arts.update(_nft)
    return arts


record.sh = sh
record.run_once = run_once

if __name__ == "__main__":
    record.main()

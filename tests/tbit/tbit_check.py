#!/usr/bin/python3
"""tbit_check.py JSONFILE [uid...]: print "uid result extra" for each tbit
record of our JSON output (extra: icw=N, the segments the server sent
before its first retransmission, for icw records; null_results and
options for null records)."""
import json
import sys


def icw_segments(pkts):
    high, n = None, 0
    for p in pkts:
        if p.get('dir') != 'rx' or not p.get('tcp_datalen'):
            continue
        seq, end = p['tcp_seq'], p['tcp_seq'] + p['tcp_datalen']
        if high is not None and seq < high:
            return n
        high = end if high is None or end > high else high
        n += 1
    return -1


for line in open(sys.argv[1]):
    line = line.strip()
    if not line.startswith('{'):
        continue
    r = json.loads(line)
    if r.get('type') != 'tbit':
        continue
    extra = ''
    if r['tbit_type'] == 'icw':
        extra = ' icw=%d' % icw_segments(r['pkts'])
    if r['tbit_type'] == 'null':
        extra = ' null_results=%s' % ','.join(r.get('null_results', []))
    print('%d %s%s' % (r['userid'], r['result'], extra))

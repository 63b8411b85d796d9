#!/usr/bin/env python3
"""tests/bench/wakes.py: the prober's wake-ups by cause, from perf script.

usage: perf record -e syscalls:sys_enter_epoll_wait \
           -e syscalls:sys_exit_epoll_wait \
           -e syscalls:sys_enter_clock_nanosleep \
           -e syscalls:sys_exit_clock_nanosleep -e sched:sched_switch \
           -o FILE PROBER...
       perf script -i FILE -F comm,pid,tid,time,event,trace | \
           tests/bench/wakes.py [SPLIT_S]

The prober is the process that made the most epoll_wait calls.  Printed,
for the seconds before SPLIT_S after its first event (the list phase) and
after them (the tail): tick sleeps (clock_nanosleep), epoll_waits (how
many slept, and of those how many returned on a timeout, with no
descriptor ready, or with one), and the process's voluntary and
involuntary context switches.  A wait that slept is one that the process
left the CPU in (a sched_switch with a sleeping state between its entry
and its exit).  Counts only: nothing here depends on the machine's load
except the involuntary switches.
"""
import collections
import re
import sys

split = float(sys.argv[1]) if len(sys.argv) > 1 else 1e18
ev = re.compile(r'^\s*(\S+)\s+(\d+)/(\d+)\s+([\d.]+):\s+(\S+):\s*(.*)$')
rows = []
calls = collections.Counter()
for line in sys.stdin:
    m = ev.match(line)
    if not m:
        continue
    comm, pid, tid, t, name, rest = m.groups()
    rows.append((int(tid), float(t), name, rest))
    if name.endswith('sys_enter_epoll_wait'):
        calls[int(tid)] += 1
if not calls:
    sys.exit("wakes.py: no epoll_wait in the input")
me = calls.most_common(1)[0][0]
t0 = None
st = {p: collections.Counter() for p in ('list', 'tail')}
inwait = None
slept = False
for tid, t, name, rest in rows:
    if name.endswith('sched_switch'):
        m = re.search(r'prev_pid=(\d+).*prev_state=(\S+)', rest)
        if not m or int(m.group(1)) != me:
            continue
    elif tid != me:
        continue
    if t0 is None:
        t0 = t
    s = st['list' if t - t0 < split else 'tail']
    if name.endswith('sched_switch'):
        state = m.group(2)
        if state.startswith('R'):
            s['cs_involuntary'] += 1
        else:
            s['cs_voluntary'] += 1
            slept = True
    elif name.endswith('sys_enter_epoll_wait'):
        inwait, slept = t, False
        to = re.search(r'timeout: (0x[0-9a-f]+|-?\d+)', rest)
        s['epoll_waits'] += 1
        if to and int(to.group(1), 0) == 0:
            s['epoll_polls'] += 1		# timeout 0: never sleeps
    elif name.endswith('sys_exit_epoll_wait'):
        ret = int(re.search(r'0x[0-9a-f]+|-?\d+', rest.split(':')[-1])
                  .group(0), 0)
        if inwait is not None and slept:
            s['epoll_slept'] += 1
            s['epoll_slept_timeout' if ret == 0 else 'epoll_slept_fd'] += 1
        inwait = None
    elif name.endswith('sys_enter_clock_nanosleep'):
        s['tick_sleeps'] += 1
for p in ('list', 'tail'):
    print(p, ' '.join('%s=%d' % kv for kv in sorted(st[p].items())))

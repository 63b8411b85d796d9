#!/usr/bin/env python3
"""check_layout.py: the folder rules of docs/DESIGN.md, read from a build.

Usage: check_layout.py SOURCE_ROOT BUILD_ROOT [NINJA]

It reads what the build really does, not what the meson files say:
  * the headers every object was compiled with (ninja -t deps),
  * the symbols every static library takes from another (nm),
  * the libraries every executable is linked with (build.ninja),
  * the calls in technique sources (their text, and their undefined
    symbols),
and holds them against the rules below.  Every broken rule is printed
with the file and the name that break it; the exit status is 1 then.
"""
import json
import os
import re
import subprocess
import sys

# ---- the rules ---------------------------------------------------------
# Areas are top folders, and prober/'s subfolders.  A technique is any
# prober/ subfolder that is not net, core or control.  An area may use
# (include a header of, call a function of, link) itself and these:
PROBER_FIXED = {'prober/net', 'prober/core', 'prober/control'}
ALLOWED = {
    'common': set(),
    'formats': {'common'},
    'control': {'common', 'formats'},
    'privsep': {'common'},
    'prober/net': {'common'},
    'prober/core': {'common', 'formats', 'prober/net', 'prober/opts'},
    'technique': {'common', 'formats', 'prober/net', 'prober/core'},
    'prober/control': {'common', 'formats', 'control', 'privsep',
                       'prober/net', 'prober/core', 'prober/opts'},
    'prober/opts': {'common'},
    'tools': {'common', 'formats', 'control'},
}
WHY = {
    'formats': 'formats/ depends on common/ only',
    'control': 'control/ depends on common/ and formats/ only',
    'privsep': 'privsep/ links nothing that parses packets, commands or '
               'result files (common/ only)',
    'tools': 'tools/ link common/, formats/ and control/ only, never the '
             'prober',
    'prober/net': 'prober/net depends on common/ only',
    'prober/core': 'the core links no technique and not the control server',
    'technique': 'a technique uses the core (task.h), packets (pkt.h), '
                 'formats/ and common/ only',
    'prober/control': 'the control server uses no technique directly',
    'prober/opts': 'options depend on common/ only',
}
# What a technique may take from prober/net and prober/core: packets
# (pure code: IP probes and replies, ARP and neighbour discovery frames),
# and the core's interface for techniques, not its insides.
TECH_NET_HEADERS = {'pkt.h', 'pkt_nd.h'}
TECH_NET_OBJECTS = {'pkt.c.o', 'pkt_nd.c.o'}
TECH_CORE_FORBIDDEN = {'core.h', 'core_int.h', 'measure.h', 'source.h'}
# Calls a technique makes through task_* instead (method.h's contract).
TECH_CALLS = ['gettimeofday', 'clock_gettime', 'time', 'socket', 'open',
              'openat', 'fopen', 'ioctl', 'getpid', 'getentropy']
TECH_SYMBOLS = set(TECH_CALLS) | {'open64', '__open_2', '__open64_2',
                                  'openat64', 'fopen64', '__clock_gettime',
                                  '__gettimeofday'}

problems = []


def problem(rule, text):
    problems.append('%s: %s' % (rule, text))


def area_of(rel):
    """The area of a path relative to the source root, or None."""
    parts = rel.split('/')
    if len(parts) < 2:
        return None
    if parts[0] in ('common', 'formats', 'control', 'privsep'):
        return parts[0]
    if parts[0] == 'tools':
        return 'tools'
    if parts[0] == 'prober':
        if len(parts) == 2:
            return 'prober/opts' if parts[1].startswith('opts.') \
                else 'prober'
        if parts[1] in ('net', 'core', 'control'):
            return 'prober/' + parts[1]
        return 'prober/' + parts[1]	# a technique
    return None


def rule_of(area):
    if area.startswith('prober/') and area not in PROBER_FIXED and \
            area != 'prober/opts':
        return 'technique'
    return area


def allowed(src, dst):
    """May area SRC use area DST?"""
    if src == dst or dst is None:
        return True
    r = rule_of(src)
    if r not in ALLOWED:	# prober/ itself (main, the table): anything
        return dst != 'tools'	# but the tools
    return dst in ALLOWED[r]


def run(cmd):
    try:
        return subprocess.run(cmd, check=True, capture_output=True,
                              text=True).stdout
    except FileNotFoundError:
        sys.exit('%s: not found (nm comes with binutils; ninja with the '
                 'build)' % cmd[0])
    except subprocess.CalledProcessError as e:
        sys.exit('%s failed: %s' % (' '.join(cmd), e.stderr.strip()))


def rel_to(root, path):
    path = os.path.realpath(path)
    if not path.startswith(root + '/'):
        return None
    return path[len(root) + 1:]


def main():
    if len(sys.argv) < 3:
        sys.exit('usage: check_layout.py SOURCE_ROOT BUILD_ROOT [NINJA]')
    src = os.path.realpath(sys.argv[1])
    bld = os.path.realpath(sys.argv[2])
    ninja = sys.argv[3] if len(sys.argv) > 3 else 'ninja'
    with open(os.path.join(bld, 'meson-info', 'intro-targets.json')) as f:
        targets = json.load(f)

    # Our targets (not the tests'), by the folder that defines them.
    libs = {}		# static library path (build-relative) -> area
    exes = {}		# executable path -> area
    pdirs = []		# (object dir prefix, area)
    for t in targets:
        d = rel_to(src, os.path.dirname(t['defined_in']))
        if d is None or d.startswith('tests'):
            continue
        areas = set()
        for ts in t['target_sources']:
            for f in ts.get('sources', []):
                r = rel_to(src, f)
                if r is not None and area_of(r) is not None:
                    areas.add(area_of(r))
        if not areas and area_of(d + '/meson.build') is not None:
            # the static half of both_libraries lists no sources
            areas.add(area_of(d + '/meson.build'))
        if len(areas) != 1:
            if len(areas) > 1:
                problem('a target holds one folder\'s code',
                        '%s: %s' % (t['name'], ', '.join(sorted(areas))))
            continue
        a = areas.pop()
        for fn in t['filename']:
            r = rel_to(bld, fn)
            if t['type'] == 'static library':
                libs[r] = a
            elif t['type'] == 'executable':
                exes[r] = a
            pdirs.append((r + '.p/', a))
    checked = {'objects': 0, 'headers': 0, 'symbols': 0, 'links': 0,
               'technique files': 0}

    # 1. Headers: what each object was compiled with.
    out = run([ninja, '-C', bld, '-t', 'deps'])
    obj = None
    for line in out.splitlines():
        if not line.startswith(' ') and line.strip():
            obj = line.split(':')[0]
            owner = [a for p, a in pdirs if obj.startswith(p)]
            obj = obj if owner else None
            first = True
            continue
        if obj is None or not line.strip():
            continue
        rel = rel_to(src, os.path.join(bld, line.strip()))
        if rel is None or rel.startswith('build'):
            continue
        if first:		# the source file itself
            first = False
            s_area, s_file = area_of(rel), rel
            checked['objects'] += 1
            continue
        h_area = area_of(rel)
        checked['headers'] += 1
        if s_area is None:
            continue
        if not allowed(s_area, h_area):
            problem(WHY.get(rule_of(s_area), s_area),
                    '%s includes %s' % (s_file, rel))
        elif rule_of(s_area) == 'technique':
            base = os.path.basename(rel)
            if h_area == 'prober/net' and base not in TECH_NET_HEADERS:
                problem(WHY['technique'], '%s includes %s' % (s_file, rel))
            if h_area == 'prober/core' and base in TECH_CORE_FORBIDDEN:
                problem(WHY['technique'], '%s includes %s' % (s_file, rel))

    # 2. Symbols: which library defines what each library takes.
    defs = {}		# symbol -> [(lib, object)]
    undef = []		# (lib, object, symbol)
    for lib in sorted(libs):
        path = os.path.join(bld, lib)
        if not os.path.exists(path):
            problem('build', '%s was not built' % lib)
            continue
        for line in run(['nm', '-A', path]).splitlines():
            m = re.match(r'^[^:]+:([^:]+):\s*(\S*)\s+(\w)\s+(\S+)$', line)
            if not m:
                continue
            o, kind, sym = os.path.basename(m.group(1)), m.group(3), \
                m.group(4)
            if kind == 'U':
                undef.append((lib, o, sym))
            elif kind in 'TDBR':
                defs.setdefault(sym, []).append((lib, o))
    edges = {}
    for lib, o, sym in undef:
        a = libs[lib]
        checked['symbols'] += 1
        if rule_of(a) == 'technique' and sym in TECH_SYMBOLS:
            problem(WHY['technique'] + ' (no ' + sym + ': ask the core)',
                    '%s (%s) calls %s' % (lib, o, sym))
        for dlib, do in defs.get(sym, []):
            if dlib == lib:
                continue
            b = libs[dlib]
            edges.setdefault(lib, set()).add(dlib)
            if not allowed(a, b):
                problem(WHY.get(rule_of(a), a), '%s (%s) uses %s from %s'
                        % (lib, o, sym, dlib))
            elif rule_of(a) == 'technique' and b == 'prober/net' and \
                    do not in TECH_NET_OBJECTS:
                problem(WHY['technique'], '%s (%s) uses %s from %s (%s)'
                        % (lib, o, sym, dlib, do))

    # 3. No circle between static libraries.
    state = {}

    def visit(n, stack):
        state[n] = 1
        stack.append(n)
        for m in sorted(edges.get(n, ())):
            if state.get(m) == 1:
                cyc = stack[stack.index(m):] + [m]
                problem('static libraries form no circle',
                        ' -> '.join(cyc))
            elif m not in state:
                visit(m, stack)
        stack.pop()
        state[n] = 2
    for n in sorted(edges):
        if n not in state:
            visit(n, [])

    # 4. Links: what each executable is linked with.
    with open(os.path.join(bld, 'build.ninja')) as f:
        for line in f:
            m = re.match(r'^build (\S+): c_LINKER (.*)$', line)
            if not m or m.group(1) not in exes:
                continue
            a = exes[m.group(1)]
            for dep in m.group(2).split():
                if dep in libs:
                    checked['links'] += 1
                    if not allowed(a, libs[dep]):
                        problem(WHY.get(rule_of(a), a), '%s links %s'
                                % (m.group(1), dep))

    # 5. The calls technique sources make (text, comments and strings out).
    call = re.compile(r'(?<![\w.>])(' + '|'.join(TECH_CALLS) + r')\s*\(')
    for d in sorted(os.listdir(os.path.join(src, 'prober'))):
        p = os.path.join(src, 'prober', d)
        if not os.path.isdir(p) or rule_of('prober/' + d) != 'technique':
            continue
        for fn in sorted(os.listdir(p)):
            if not fn.endswith(('.c', '.h')):
                continue
            checked['technique files'] += 1
            with open(os.path.join(p, fn), encoding='utf-8') as f:
                text = f.read()
            text = re.sub(r'/\*.*?\*/', lambda m: '\n' * m.group(0).count(
                '\n'), text, flags=re.S)
            text = re.sub(r'"(\\.|[^"\\])*"', '""', text)
            for n, line in enumerate(text.splitlines(), 1):
                for m in call.finditer(line):
                    problem(WHY['technique'] + ' (no ' + m.group(1) +
                            ': ask the core)',
                            'prober/%s/%s:%d calls %s()'
                            % (d, fn, n, m.group(1)))

    for p in problems:
        print('LAYOUT RULE BROKEN: ' + p)
    print('checked %s' % ', '.join('%d %s' % (v, k)
                                   for k, v in checked.items()))
    if checked['objects'] == 0 or checked['symbols'] == 0 or \
            checked['links'] == 0 or checked['technique files'] == 0:
        print('nothing to check: is the build complete?')
        return 1
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/python3
"""bgpd.py LOG: a BGP speaker's first words on [::]:179 (IPv4 and IPv6),
for tbit -p bgp.  Each connection: read one OPEN, log "open as=N as4=N"
(the 2-byte AS and the four-octet AS capability, 0 if none), answer with
an OPEN of AS 64512 and a KEEPALIVE, then hold the connection open until
the peer resets or closes it."""
import socket
import struct
import sys
import threading


def serve(conn, log):
    buf = b''
    while len(buf) < 19 or len(buf) < struct.unpack('!H', buf[16:18])[0]:
        d = conn.recv(4096)
        if not d:
            return
        buf += d
    as2 = struct.unpack('!H', buf[20:22])[0]
    as4, opt = 0, buf[29:29 + buf[28]]
    while len(opt) >= 2:
        if opt[0] == 2:
            cap = opt[2:2 + opt[1]]
            if len(cap) >= 6 and cap[0] == 65:
                as4 = struct.unpack('!I', cap[2:6])[0]
        opt = opt[2 + opt[1]:]
    with open(log, 'a') as f:
        f.write('open as=%d as4=%d\n' % (as2, as4))
    me = b'\xff' * 16 + struct.pack('!HBBHH4sB', 29, 1, 4, 64512, 180,
                                     b'\xc6\x33\x64\x02', 0)
    conn.sendall(me + b'\xff' * 16 + struct.pack('!HB', 19, 4))
    try:
        while conn.recv(4096):
            pass
    except OSError:
        pass


def main():
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('::', 179))
    s.listen(128)
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c, sys.argv[1]),
                         daemon=True).start()


main()

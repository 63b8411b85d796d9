/*
 * sniff_expr.c: sniff's expression, "icmp[icmpid] == X" (the one
 * scamper(1) documents), and the pcap filter it stands for.
 *
 * The filter selects, among packets with our address (-S) as source or
 * destination: ICMP (ICMPv6) echo requests and replies with id X, and
 * ICMP errors (destination unreachable, source quench, redirect, time
 * exceeded, parameter problem; ICMPv6 types 1 to 4) whose quotation is
 * such an echo packet.  The quotation's IPv4 header length is read from
 * the packet; IPv6 packets must carry ICMPv6 straight after their
 * header, as echo packets and the errors quoting them do.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "sniff_int.h"

#define EXPR_MAX	128

/* X of the expression: decimal, or hex with 0x; 0 to 65535. */
static int
parse_id(const char *s, uint16_t *id)
{
	unsigned long v;
	char *end;

	if (*s == '\0' || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ?
	    16 : 10);
	if (errno != 0 || *end != '\0' || v > 65535)
		return -1;
	*id = (uint16_t)v;
	return 0;
}

int
sniff_expr_parse(int argc, char *const *argv, uint16_t *icmpid, char *err,
    size_t errlen)
{
	static const char head[] = "icmp[icmpid]==";
	char e[EXPR_MAX], w[EXPR_MAX];
	size_t n = 0;

	if (argc == 0)
		return cmd_err(err, errlen, "expected the expression "
		    "'icmp[icmpid] == X'");
	e[0] = w[0] = '\0';
	for (int i = 0; i < argc; i++) {
		size_t k = strlen(e);

		snprintf(e + k, sizeof(e) - k, "%s%s", i > 0 ? " " : "",
		    argv[i]);
		for (const char *p = argv[i]; *p != '\0' && n + 1 < sizeof(w);
		    p++)
			if (!isspace((unsigned char)*p))
				w[n++] = *p;
	}
	w[n] = '\0';
	if (strncmp(w, head, sizeof(head) - 1) != 0 ||
	    parse_id(w + sizeof(head) - 1, icmpid) == -1)
		return cmd_err(err, errlen, "expression '%s': the one "
		    "supported is 'icmp[icmpid] == X' with X from 0 to 65535",
		    e);
	return 0;
}

#define FILTER4 \
    "host %s and icmp and (" \
    "((icmp[0] == 0 or icmp[0] == 8) and icmp[4:2] == %u) or " \
    "((icmp[0] == 3 or icmp[0] == 4 or icmp[0] == 5 or icmp[0] == 11 or " \
    "icmp[0] == 12) and icmp[17] == 1 and " \
    "(icmp[8 + ((icmp[8] & 0xf) << 2)] == 0 or " \
    "icmp[8 + ((icmp[8] & 0xf) << 2)] == 8) and " \
    "icmp[8 + ((icmp[8] & 0xf) << 2) + 4 : 2] == %u))"

#define FILTER6 \
    "ip6 host %s and icmp6 and (" \
    "((icmp6[0] == 128 or icmp6[0] == 129) and icmp6[4:2] == %u) or " \
    "(icmp6[0] >= 1 and icmp6[0] <= 4 and icmp6[14] == 58 and " \
    "(icmp6[48] == 128 or icmp6[48] == 129) and icmp6[52:2] == %u))"

char *
sniff_expr_filter(int af, const uint8_t *addr, uint16_t icmpid)
{
	char a[INET6_ADDRSTRLEN], *f;
	size_t len = sizeof(FILTER4) + sizeof(FILTER6) + sizeof(a) + 16;

	if (inet_ntop(af, addr, a, sizeof(a)) == NULL ||
	    (f = malloc(len)) == NULL)
		return NULL;
	if (af == AF_INET)
		snprintf(f, len, FILTER4, a, icmpid, icmpid);
	else
		snprintf(f, len, FILTER6, a, icmpid, icmpid);
	return f;
}

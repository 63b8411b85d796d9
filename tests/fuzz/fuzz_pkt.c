/*
 * fuzz_pkt.c: the reply parser on arbitrary bytes, as an IP packet and as
 * a bare ICMPv6 message.
 */
#include <stdint.h>
#include <string.h>

#include "pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt_reply r;

	(void)pkt_parse(data, size, &r);
	memset(&r, 0, sizeof(r));
	(void)pkt_parse_icmp6(data, size, &r);
	return 0;
}

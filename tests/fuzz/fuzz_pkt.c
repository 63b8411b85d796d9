/*
 * fuzz_pkt.c: the reply parser on arbitrary bytes, as an IP packet, as a
 * bare ICMPv6 message, and as a datalink frame (Ethernet and raw IP,
 * arriving and leaving: a leaving frame is turned into the quotation an
 * ICMP error would carry of it).
 */
#include <stdint.h>
#include <string.h>

#include "dl.h"
#include "pkt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt_reply r;
	uint32_t fragid;
	int frag;

	(void)pkt_parse(data, size, &r);
	memset(&r, 0, sizeof(r));
	(void)pkt_parse_icmp6(data, size, &r);
	for (int out = 0; out < 2; out++) {
		memset(&r, 0, sizeof(r));
		(void)dl_parse_frame(data, size, 14, out, &r, &frag, &fragid);
		memset(&r, 0, sizeof(r));
		(void)dl_parse_frame(data, size, 0, out, &r, &frag, &fragid);
	}
	return 0;
}

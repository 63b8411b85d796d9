/*
 * fuzz_netsim_topo.c: any text given to the topology file parser is
 * rejected with a message naming a line, or accepted as a topology that
 * answers packets and writes its truth, never a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netsim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t probe[28] = { 0x45, 0, 0, 28, 0, 1, 0, 0, 2, 17,
	    0, 0, 192, 0, 2, 1, 198, 18, 0, 9, 0x9c, 0x40, 0x82, 0x9b, 0, 8,
	    0, 0 };
	struct netsim_params p;
	struct netsim_reply r;
	struct netsim *s;
	char err[512], *out = NULL;
	uint8_t pkt[28];
	size_t len = 0;
	FILE *f;

	netsim_params_default(&p);
	err[0] = '\0';
	if ((s = netsim_parse((const char *)data, size, &p, err,
	    sizeof(err))) == NULL) {
		if (strncmp(err, "line ", 5) != 0 && strcmp(err,
		    "out of memory") != 0 && strstr(err, "address") == NULL &&
		    strstr(err, "path") == NULL && strstr(err, "router") ==
		    NULL && strstr(err, "balancer") == NULL)
			abort();	/* every error says where or what */
		return 0;
	}
	memcpy(pkt, probe, sizeof(pkt));
	for (int ttl = 1; ttl < 40; ttl++) {
		uint16_t c;
		uint32_t sum = 0;

		pkt[8] = (uint8_t)ttl;
		pkt[10] = pkt[11] = 0;
		for (int i = 0; i < 20; i += 2)
			sum += (uint32_t)(pkt[i] << 8 | pkt[i + 1]);
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		c = (uint16_t)~sum;
		pkt[10] = (uint8_t)(c >> 8);
		pkt[11] = (uint8_t)c;
		(void)netsim_input(s, pkt, sizeof(pkt), ttl, &r);
	}
	if ((f = open_memstream(&out, &len)) != NULL) {
		if (netsim_truth_write(s, f) != 0)
			abort();
		(void)netsim_path_print(s, "192.0.2.1", "198.18.0.9", "udp",
		    "9c40829b", f, err, sizeof(err));
		fclose(f);
		free(out);
	}
	netsim_free(s);
	return 0;
}

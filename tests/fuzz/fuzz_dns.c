/*
 * fuzz_dns.c: the DNS reply parser of trace -O ptr on arbitrary bytes,
 * as the answer to the PTR query for 192.0.2.2 (the query takes the
 * input's ID, so mutated replies get past the ID check), and the
 * resolv.conf reader on the same bytes as text.
 */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "dns_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t a4[4] = { 192, 0, 2, 2 };
	struct sockaddr_storage ns[DNS_NS_MAX];
	uint8_t q[DNS_MSG_MAX];
	char name[DNS_NAME_MAX], *text;
	uint16_t id = size >= 2 ? (uint16_t)(data[0] << 8 | data[1]) : 0;
	int n = dns_ptr_query(q, sizeof(q), id, AF_INET, a4);

	if (n > 0 && dns_ptr_parse(data, size, q, (size_t)n, name,
	    sizeof(name)) == DNS_NAME && strlen(name) >= DNS_NAME_MAX)
		abort();
	if ((text = malloc(size + 1)) != NULL) {
		memcpy(text, data, size);
		text[size] = '\0';
		(void)dns_resolv_parse(text, ns, DNS_NS_MAX);
		free(text);
	}
	return 0;
}

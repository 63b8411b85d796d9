/*
 * fuzz_priv_msg.c: the helper protocol decoder on arbitrary bytes.  Any
 * input either is refused or decodes to a message that encodes back to
 * exactly the same bytes (the encoding is canonical).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "priv_proto.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct priv_msg m;
	uint8_t buf[PRIV_MSG_MAX];
	struct wire_r r;
	char s[16];
	long len;

	if (priv_msg_decode(&m, data, size) == 0) {
		len = priv_msg_encode(&m, buf, sizeof(buf));
		if (len < 0 || (size_t)len != size ||
		    memcmp(buf, data, size) != 0)
			abort();
	}
	wire_r_init(&r, data, size);
	while (wire_get_str(&r, s, sizeof(s)) == 0)
		if (strlen(s) >= sizeof(s))
			abort();
	return 0;
}

/*
 * scamper_addr.c: address values.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "scamper_addr.h"

size_t
scamper_addr_typelen(int type)
{
	switch (type) {
	case SCAMPER_ADDR_IPV4:		return 4;
	case SCAMPER_ADDR_IPV6:		return 16;
	case SCAMPER_ADDR_ETHERNET:	return 6;
	case SCAMPER_ADDR_FIREWIRE:	return 8;
	}
	return 0;
}

int
scamper_addr_set(struct scamper_addr *a, int type, const void *bytes)
{
	size_t len = scamper_addr_typelen(type);

	memset(a, 0, sizeof(*a));
	if (len == 0)
		return -1;
	a->type = (uint8_t)type;
	a->len = (uint8_t)len;
	memcpy(a->addr, bytes, len);
	return 0;
}

int
scamper_addr_pton(struct scamper_addr *a, const char *str)
{
	uint8_t b[16];

	if (inet_pton(AF_INET, str, b) == 1)
		return scamper_addr_set(a, SCAMPER_ADDR_IPV4, b);
	if (inet_pton(AF_INET6, str, b) == 1)
		return scamper_addr_set(a, SCAMPER_ADDR_IPV6, b);
	memset(a, 0, sizeof(*a));
	return -1;
}

int
scamper_addr_isset(const struct scamper_addr *a)
{
	return a->type != SCAMPER_ADDR_NONE;
}

int
scamper_addr_cmp(const struct scamper_addr *a, const struct scamper_addr *b)
{
	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	return memcmp(a->addr, b->addr, a->len);
}

char *
scamper_addr_tostr(const struct scamper_addr *a, char *buf, size_t len)
{
	size_t off = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	switch (a->type) {
	case SCAMPER_ADDR_IPV4:
		inet_ntop(AF_INET, a->addr, buf, (socklen_t)len);
		break;
	case SCAMPER_ADDR_IPV6:
		inet_ntop(AF_INET6, a->addr, buf, (socklen_t)len);
		break;
	case SCAMPER_ADDR_ETHERNET:
	case SCAMPER_ADDR_FIREWIRE:
		for (size_t i = 0; i < a->len && off + 3 < len; i++)
			off += (size_t)snprintf(buf + off, len - off, "%s%02x",
			    i == 0 ? "" : ":", a->addr[i]);
		break;
	}
	return buf;
}

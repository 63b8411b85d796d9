/*
 * scamper_addr.h: addresses as plain values (IPv4, IPv6, Ethernet, EUI-64).
 *
 * An address is a small value type: copy it with '=', no allocation and no
 * ownership.  type 0 means "not set".
 */
#ifndef SCAMPER_ADDR_H
#define SCAMPER_ADDR_H

#include <stddef.h>
#include <stdint.h>

#define SCAMPER_ADDR_NONE	0
#define SCAMPER_ADDR_IPV4	1
#define SCAMPER_ADDR_IPV6	2
#define SCAMPER_ADDR_ETHERNET	3
#define SCAMPER_ADDR_FIREWIRE	4

/* Longest string scamper_addr_tostr() produces, with its NUL. */
#define SCAMPER_ADDR_STRLEN	48

struct scamper_addr {
	uint8_t	type;		/* SCAMPER_ADDR_* */
	uint8_t	len;		/* bytes used in addr: 4, 16, 6 or 8 */
	uint8_t	addr[16];	/* network byte order */
};

/* Byte length of an address of TYPE, or 0 for an unknown type. */
size_t scamper_addr_typelen(int type);

/* Set A to TYPE with the bytes at BYTES.  Returns 0, or -1 for an unknown
 * type (A is then cleared). */
int scamper_addr_set(struct scamper_addr *a, int type, const void *bytes);

/* Parse a textual IPv4 or IPv6 address into A.  Returns 0 or -1. */
int scamper_addr_pton(struct scamper_addr *a, const char *str);

/* 1 if A holds an address. */
int scamper_addr_isset(const struct scamper_addr *a);

/* Compare by (type, bytes): <0, 0, >0, like memcmp. */
int scamper_addr_cmp(const struct scamper_addr *a, const struct scamper_addr *b);

/* Write A as text into BUF (LEN >= SCAMPER_ADDR_STRLEN is always enough);
 * returns BUF.  IPv4/IPv6 use inet_ntop, Ethernet/EUI-64 colon-hex. */
char *scamper_addr_tostr(const struct scamper_addr *a, char *buf, size_t len);

#endif

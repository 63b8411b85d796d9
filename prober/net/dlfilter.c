/*
 * dlfilter.c: datalink filters compiled by libpcap (see dlfilter.h).
 */
#include "config.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "dlfilter.h"

#ifdef __linux__
#include <linux/filter.h>
#endif

struct dlfilter {
	struct bpf_program	 prog;
};

struct dlfilter *
dlfilter_compile(enum neigh_link kind, const char *expr, char *err,
    size_t errlen)
{
	struct dlfilter *f;
	pcap_t *p;
	int dlt;

	switch (kind) {
	case NEIGH_LINK_ETHER:
	case NEIGH_LINK_LOOP:
		dlt = DLT_EN10MB;
		break;
	case NEIGH_LINK_RAWIP:
		dlt = DLT_RAW;
		break;
	default:
		snprintf(err, errlen, "a link type the datalink code does not "
		    "frame");
		return NULL;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL ||
	    (p = pcap_open_dead(dlt, DLFILTER_SNAPLEN)) == NULL) {
		free(f);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (pcap_compile(p, &f->prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(err, errlen, "%s", pcap_geterr(p));
		pcap_close(p);
		free(f);
		return NULL;
	}
	pcap_close(p);
	return f;
}

void
dlfilter_free(struct dlfilter *f)
{
	if (f == NULL)
		return;
	pcap_freecode(&f->prog);
	free(f);
}

int
dlfilter_match(const struct dlfilter *f, const uint8_t *frame, size_t caplen,
    size_t wirelen)
{
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.caplen = (bpf_u_int32)caplen;
	h.len = (bpf_u_int32)wirelen;
	return pcap_offline_filter(&f->prog, &h, frame) != 0;
}

size_t
dlfilter_len(const struct dlfilter *f)
{
	return f->prog.bf_len;
}

#ifdef __linux__

int
dlfilter_attach(int fd, const struct dlfilter *f)
{
	static struct sock_filter none[] = {
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog;

	/* libpcap's instructions have the kernel's layout */
	_Static_assert(sizeof(struct bpf_insn) == sizeof(struct sock_filter),
	    "bpf_insn and sock_filter differ");
	if (f == NULL) {
		prog.len = 1;
		prog.filter = none;
	} else {
		if (f->prog.bf_len > 0xffff) {
			errno = E2BIG;
			return -1;
		}
		prog.len = (unsigned short)f->prog.bf_len;
		prog.filter = (struct sock_filter *)f->prog.bf_insns;
	}
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	    sizeof(prog));
}

#else

int
dlfilter_attach(int fd, const struct dlfilter *f)
{
	(void)fd;
	(void)f;
	errno = EOPNOTSUPP;
	return -1;
}

#endif

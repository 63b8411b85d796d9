/*
 * sc_warts2pcap: the packets kept in tbit, sting and sniff records of
 * warts files, as a pcap file (raw IP) for tcpdump or wireshark; in file
 * order, or with -s packet sorted by time.
 *
 * libpcap writes the file (pcap_dump on a dead handle): headers in host
 * byte order, as Debian's tool writes them, and the same bytes but for
 * the link type, which is LINKTYPE_RAW (101), the registered number for
 * raw IP; Debian's tool writes DLT_RAW's value on Linux (12), which
 * libpcap on OpenBSD reads as another link type.
 */
#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mem.h"
#include "scamper_file.h"
#include "scamper_sniff.h"
#include "scamper_sting.h"
#include "scamper_tbit.h"

#define SNAPLEN			65535

struct pkt {
	uint32_t	 sec, usec, len;
	uint8_t		*data;		/* owned */
	size_t		 seq;		/* input order, to keep sorting stable */
};

static FILE *out;
static pcap_t *dead;
static pcap_dumper_t *dumper;
static int sorting;
static struct pkt *pkts;
static size_t npkts, apkts;

/* The file header, written by libpcap on OUT.  Returns 0 or -1. */
static int
write_header(void)
{
	if ((dead = pcap_open_dead(DLT_RAW, SNAPLEN)) == NULL)
		return -1;
	if ((dumper = pcap_dump_fopen(dead, out)) == NULL) {
		fprintf(stderr, "sc_warts2pcap: %s\n", pcap_geterr(dead));
		return -1;
	}
	return ferror(out) ? -1 : 0;
}

static int
write_pkt(uint32_t sec, uint32_t usec, const uint8_t *data, uint32_t len)
{
	static const uint8_t none[1];
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)sec;
	h.ts.tv_usec = (suseconds_t)usec;
	h.caplen = h.len = len;
	pcap_dump((u_char *)dumper, &h, len > 0 ? data : none);
	return ferror(out) ? -1 : 0;
}

/* Flush and close the file (OUT with it).  Returns 0 or -1. */
static int
close_file(void)
{
	int rc = 0;

	if (dumper != NULL) {
		if (pcap_dump_flush(dumper) == -1 || ferror(out))
			rc = -1;
		pcap_dump_close(dumper);		/* closes OUT */
	} else if (fclose(out) != 0)
		rc = -1;
	if (dead != NULL)
		pcap_close(dead);
	return rc;
}

/* Write one packet now, or keep a copy to sort later. */
static int
packet(const struct timeval *tv, const uint8_t *data, uint16_t len)
{
	struct pkt *p;

	if (data == NULL)
		len = 0;
	if (!sorting)
		return write_pkt((uint32_t)tv->tv_sec, (uint32_t)tv->tv_usec,
		    data, len);
	if (mem_grow(&pkts, &apkts, npkts + 1, sizeof(*pkts), 1024) != 0)
		return -1;
	p = &pkts[npkts];
	p->sec = (uint32_t)tv->tv_sec;
	p->usec = (uint32_t)tv->tv_usec;
	p->len = len;
	p->seq = npkts;
	if ((p->data = malloc(len > 0 ? len : 1)) == NULL)
		return -1;
	if (len > 0)
		memcpy(p->data, data, len);
	npkts++;
	return 0;
}

/* Write the N packets at P, until one fails (RC); tbit's, sting's and
 * sniff's packet structs all keep tv, data and len. */
#define PACKETS(p, n, rc) \
	for (uint32_t i_ = 0; (p) != NULL && i_ < (n) && (rc) == 0; i_++) \
		(rc) = packet(&(p)[i_].tv, (p)[i_].data, (p)[i_].len)

static int
object(uint16_t type, const void *obj)
{
	const struct scamper_tbit *t = obj;
	const struct scamper_sting *st = obj;
	const struct scamper_sniff *sn = obj;
	int rc = 0;

	if (type == SCAMPER_FILE_OBJ_TBIT)
		PACKETS(t->pkts, t->pktc, rc);
	else if (type == SCAMPER_FILE_OBJ_STING)
		PACKETS(st->pkts, st->pktc, rc);
	else if (type == SCAMPER_FILE_OBJ_SNIFF)
		PACKETS(sn->pkts, sn->pktc, rc);
	return rc;
}

static int
pkt_cmp(const void *va, const void *vb)
{
	const struct pkt *a = va, *b = vb;

	if (a->sec != b->sec)
		return a->sec < b->sec ? -1 : 1;
	if (a->usec != b->usec)
		return a->usec < b->usec ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int
read_file(const char *path)
{
	struct scamper_file *f = scamper_file_open_read(path);
	const char *name = strcmp(path, "-") == 0 ? "stdin" : path;
	uint16_t type;
	void *obj;
	int rc;

	if (f == NULL) {
		fprintf(stderr, "sc_warts2pcap: %s: %s\n", name,
		    strerror(errno));
		return -1;
	}
	while ((rc = scamper_file_read(f, &type, &obj)) == 1) {
		int wr = object(type, obj);

		scamper_file_obj_free(type, obj);
		if (wr != 0) {
			fprintf(stderr, "sc_warts2pcap: %s\n", sorting ?
			    "out of memory" : strerror(errno));
			rc = -2;
			break;
		}
	}
	if (rc == -1)
		fprintf(stderr, "sc_warts2pcap: %s: %s\n", name,
		    scamper_file_error(f));
	scamper_file_close(f);
	return rc == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	const char *opath = NULL;
	int ch, rc = 0;

	while ((ch = getopt(argc, argv, "o:s:")) != -1) {
		if (ch == 'o')
			opath = optarg;
		else if (ch == 's' && strcmp(optarg, "packet") == 0)
			sorting = 1;
		else {
			if (ch == 's')
				fprintf(stderr, "sc_warts2pcap: unknown sort "
				    "'%s' (only 'packet')\n", optarg);
			fprintf(stderr, "usage: sc_warts2pcap [-o outfile] "
			    "[-s packet] [file ...]\n");
			return 1;
		}
	}
	if (opath != NULL && strcmp(opath, "-") != 0) {
		if ((out = fopen(opath, "wb")) == NULL) {
			fprintf(stderr, "sc_warts2pcap: %s: %s\n", opath,
			    strerror(errno));
			return 1;
		}
	} else {
		if (isatty(STDOUT_FILENO)) {
			fprintf(stderr, "sc_warts2pcap: not writing pcap to a "
			    "terminal; use -o or a redirect\n");
			return 1;
		}
		out = stdout;
	}
	if (write_header() != 0)
		rc = 1;
	if (optind == argc && rc == 0 && read_file("-") != 0)
		rc = 1;
	for (int i = optind; i < argc && rc == 0; i++)
		if (read_file(argv[i]) != 0)
			rc = 1;
	if (sorting && rc == 0) {
		qsort(pkts, npkts, sizeof(*pkts), pkt_cmp);
		for (size_t i = 0; i < npkts && rc == 0; i++)
			if (write_pkt(pkts[i].sec, pkts[i].usec, pkts[i].data,
			    pkts[i].len) != 0)
				rc = 1;
	}
	for (size_t i = 0; i < npkts; i++)
		free(pkts[i].data);
	free(pkts);
	if (close_file() != 0 || rc != 0) {
		if (rc == 0)
			fprintf(stderr, "sc_warts2pcap: write: %s\n",
			    strerror(errno));
		return 1;
	}
	return 0;
}

/*
 * warts_pkt.c: the packet records of tbit, sting and sniff (warts_pkt.h).
 */
#include <string.h>
#include <sys/time.h>

#include "warts_pkt.h"

#define PK_NF	4

/* One packet, as its four fields. */
struct wpkt {
	uint8_t		 u8;
	struct timeval	 tv;
	uint8_t		*data;
	uint16_t	 len;
};

static void
pkt_fields(struct wfield *f, struct wpkt *p)
{
	struct wfield fl[PK_NF] = {
		WFIELD(WF_U8, &p->u8, 1),
		WFIELD(WF_TV, &p->tv, 1),
		WFIELD(WF_U16, &p->len, 1),
		WFIELD(WF_BYTES, &p->data, p->len != 0),
	};

	fl[3].lenp = &p->len;
	memcpy(f, fl, sizeof(fl));
}

/* P's fields to or from the packet struct at E (layout L). */
static void
pkt_load(struct wpkt *p, const unsigned char *e,
    const struct warts_pkt_layout *l)
{
	if (l->u8 != WARTS_PKT_NONE)
		memcpy(&p->u8, e + l->u8, sizeof(p->u8));
	memcpy(&p->tv, e + l->tv, sizeof(p->tv));
	memcpy(&p->data, e + l->data, sizeof(p->data));
	memcpy(&p->len, e + l->len, sizeof(p->len));
}

static void
pkt_store(unsigned char *e, const struct wpkt *p,
    const struct warts_pkt_layout *l)
{
	if (l->u8 != WARTS_PKT_NONE)
		memcpy(e + l->u8, &p->u8, sizeof(p->u8));
	memcpy(e + l->tv, &p->tv, sizeof(p->tv));
	memcpy(e + l->data, &p->data, sizeof(p->data));
	memcpy(e + l->len, &p->len, sizeof(p->len));
}

/* Read N packet records of layout L into a new array at *PKTS. */
static int
warts_pkts_read(struct rbuf *rb, uint32_t n,
    const struct warts_pkt_layout *l, void *pkts, uint32_t *pktc)
{
	unsigned char *a = rb_calloc(rb, n, l->size, 1);
	int skip = l->u8 == WARTS_PKT_NONE;	/* fields from the time on */

	if (a == NULL)
		return -1;
	memcpy(pkts, &a, sizeof(a));
	*pktc = n;
	for (uint32_t i = 0; i < n; i++) {
		struct wfield pf[PK_NF];
		struct wpkt p;
		int rc;

		memset(&p, 0, sizeof(p));
		pkt_fields(pf, &p);
		rc = warts_params_read(rb, pf + skip, PK_NF - skip);
		if (rc == 0 && !pf[3].set)
			p.len = 0;
		pkt_store(a + (size_t)i * l->size, &p, l);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static void
warts_pkts_write(struct wbuf *wb, const void *pkts, uint32_t n,
    const struct warts_pkt_layout *l)
{
	const unsigned char *a = pkts;
	int skip = l->u8 == WARTS_PKT_NONE;

	for (uint32_t i = 0; i < n; i++) {
		struct wfield pf[PK_NF];
		struct wpkt p;

		pkt_load(&p, a + (size_t)i * l->size, l);
		if (p.data == NULL)
			p.len = 0;
		pkt_fields(pf, &p);
		warts_params_write(wb, pf + skip, PK_NF - skip);
	}
}

int
warts_rd_ids_pkts(struct wrec_rd *r, void *obj,
    const struct warts_pkt_layout *l, void *pkts, uint32_t *pktc)
{
	uint32_t n = *pktc;

	*pktc = 0;
	if (warts_rd_ids(r, obj) != 0)
		return -1;
	return warts_pkts_read(r->rb, n, l, pkts, pktc);
}

void
warts_wr_params_pkts(struct wbuf *wb, const struct warts_rec *rec,
    void *obj, struct wrec_tmp *x, const struct warts_pkt_layout *l,
    const void *pkts, uint32_t *pktc)
{
	if (pkts == NULL)
		*pktc = 0;
	warts_rec_params(wb, rec, obj, x);
	warts_pkts_write(wb, pkts, *pktc, l);
}

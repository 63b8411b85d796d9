/*
 * run_late.c: sc_netsim's own lateness.  A reply is due when its probe
 * was read plus its designed delay; it leaves when the backend hands it
 * to the kernel (the clock read just before the write, or before the
 * io_uring_enter(2) that submits it).  A busy sc_netsim sends late, and
 * that lateness would otherwise show as the prober's error: it is
 * counted here (the end-of-run counters) and, with --reply-truth, written
 * per reply so a benchmark can take it out of each RTT.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "run_int.h"

void
run_meta(struct reply_meta *m, const uint8_t *probe, size_t plen,
    struct monotime now, int64_t delay_ns)
{
	memset(m, 0, sizeof(*m));
	m->read_ns = now.ns;
	m->delay_ns = delay_ns;
	if (plen >= 20 && probe[0] >> 4 == 4) {
		m->af = 4;
		m->ttl = probe[8];
		memcpy(m->probe_dst, probe + 16, 4);
	} else if (plen >= 40 && probe[0] >> 4 == 6) {
		m->af = 6;
		m->ttl = probe[7];
		memcpy(m->probe_dst, probe + 24, 16);
	}
}

/* Append the decimal V to P; returns the end. */
static char *
put_u64(char *p, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

static char *
put_i64(char *p, int64_t v)
{
	if (v < 0) {
		*p++ = '-';
		return put_u64(p, (uint64_t)0 - (uint64_t)v);
	}
	return put_u64(p, (uint64_t)v);
}

static char *
put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

/* Append address A (4 or 16 bytes, as AF says) as inet_ntop(3) writes
 * it; NULL if it cannot.  IPv4, nearly every reply, without stdio. */
static char *
put_addr(char *p, int af, const uint8_t *a)
{
	char buf[INET6_ADDRSTRLEN];

	if (af == 4) {
		for (int i = 0; i < 4; i++) {
			if (i > 0)
				*p++ = '.';
			p = put_u64(p, a[i]);
		}
		return p;
	}
	if (inet_ntop(AF_INET6, a, buf, sizeof(buf)) == NULL)
		return NULL;
	return put_str(p, buf);
}

/* One --reply-truth line: the reply's source, its probe's destination
 * and TTL, when the probe was read (wall clock, ns), the designed delay
 * and how late the reply left (ns).  Formatted by hand and written with
 * one fwrite(3): printf's cost per reply showed as sc_netsim's lateness
 * at high rates. */
static void
log_reply(struct runner *r, const struct reply_meta *m, const uint8_t *pkt,
    size_t len, int64_t late)
{
	char line[320], *p = line;	/* 241 at most */
	size_t need = m->af == 4 ? 20 : 40;

	if (m->af == 0 || len < need || pkt[0] >> 4 != m->af)
		return;
	p = put_str(p, "{\"type\":\"reply\",\"src\":\"");
	if ((p = put_addr(p, m->af, pkt + (m->af == 4 ? 12 : 8))) == NULL)
		return;
	p = put_str(p, "\",\"probe_dst\":\"");
	if ((p = put_addr(p, m->af, m->probe_dst)) == NULL)
		return;
	p = put_str(p, "\",\"probe_ttl\":");
	p = put_u64(p, m->ttl);
	p = put_str(p, ",\"read_ns\":");
	p = put_i64(p, m->read_ns + r->rt_off);
	p = put_str(p, ",\"delay_ns\":");
	p = put_i64(p, m->delay_ns > 0 ? m->delay_ns : 0);
	p = put_str(p, ",\"late_ns\":");
	p = put_i64(p, late);
	*p++ = '}';
	*p++ = '\n';
	(void)fwrite(line, 1, (size_t)(p - line), r->replylog);
}

void
run_sent(struct runner *r, const struct reply_meta *m, const uint8_t *pkt,
    size_t len, struct monotime sent)
{
	int64_t due = m->read_ns + (m->delay_ns > 0 ? m->delay_ns : 0);
	int64_t late = sent.ns - due;
	struct late_stats *l = &r->late;

	l->n++;
	if (late < 0)
		l->early++;
	l->sum_ns += late;
	if (late > l->max_ns)
		l->max_ns = late;
	if (late > 100000)
		l->over_100us++;
	if (late > 1000000)
		l->over_1ms++;
	if (r->replylog != NULL)
		log_reply(r, m, pkt, len, late);
}

void
run_late_print(const struct runner *r, FILE *f)
{
	const struct late_stats *l = &r->late;

	fprintf(f, "late_n=%llu late_mean_us=%.1f late_max_us=%.1f "
	    "late_over_100us=%llu late_over_1ms=%llu late_early=%llu",
	    (unsigned long long)l->n, l->n > 0 ? (double)l->sum_ns / 1e3 /
	    (double)l->n : 0.0, (double)l->max_ns / 1e3,
	    (unsigned long long)l->over_100us, (unsigned long long)l->over_1ms,
	    (unsigned long long)l->early);
}

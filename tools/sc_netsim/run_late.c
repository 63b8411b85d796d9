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

/* One --reply-truth line: the reply's source, its probe's destination
 * and TTL, when the probe was read (wall clock, ns), the designed delay
 * and how late the reply left (ns). */
static void
log_reply(struct runner *r, const struct reply_meta *m, const uint8_t *pkt,
    size_t len, int64_t late)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	int af = m->af == 4 ? AF_INET : AF_INET6;
	size_t need = m->af == 4 ? 20 : 40;

	if (m->af == 0 || len < need || pkt[0] >> 4 != m->af ||
	    inet_ntop(af, pkt + (m->af == 4 ? 12 : 8), src, sizeof(src)) ==
	    NULL || inet_ntop(af, m->probe_dst, dst, sizeof(dst)) == NULL)
		return;
	fprintf(r->replylog, "{\"type\":\"reply\",\"src\":\"%s\","
	    "\"probe_dst\":\"%s\",\"probe_ttl\":%u,\"read_ns\":%lld,"
	    "\"delay_ns\":%lld,\"late_ns\":%lld}\n", src, dst, m->ttl,
	    (long long)(m->read_ns + r->rt_off), (long long)(m->delay_ns > 0 ?
	    m->delay_ns : 0), (long long)late);
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

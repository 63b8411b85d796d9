/*
 * text.c: traceroute and ping as text, as scamper 20211212 prints them
 * (scamper-behaviour.md c.1 and c.2).
 */
#include <stdio.h>
#include <string.h>

#include "render_int.h"
#include "scamper_ping.h"
#include "scamper_trace.h"
#include "sbuf.h"

/* ---- traceroute ------------------------------------------------------ */

static void
tcp_flags_text(struct sbuf *sb, uint8_t fl)
{
	static const struct { uint8_t bit; const char *name; } f[] = {
		{ 0x04, "RST" }, { 0x02, "SYN" }, { 0x10, "ACK" },
		{ 0x08, "PSH" }, { 0x01, "FIN" }, { 0x20, "URG" },
		{ 0x80, "CWR" }, { 0x40, "ECE" },
	};

	if ((fl & 0x12) == 0x12) {
		sb_cat(sb, (fl & 0x40) ? " [open, ecn]" : " [open]");
		return;
	}
	if (fl & 0x04) {
		sb_cat(sb, " [closed]");
		return;
	}
	if (fl == 0) {
		sb_cat(sb, " [unknown, no flags]");
		return;
	}
	sb_cat(sb, " [unknown,");
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (fl & f[i].bit)
			sb_printf(sb, " %s", f[i].name);
	sb_cat(sb, "]");
}

static void
icmp_annotation(struct sbuf *sb, const struct scamper_trace_hop *h)
{
	uint8_t t = h->icmp_type, c = h->icmp_code;

	if (h->addr.type == SCAMPER_ADDR_IPV4) {
		static const char *un[] = { "N", "H", "P", NULL, "F", "S" };

		if (t == 11 || t == 0 || (t == 3 && c == 3))
			return;
		if (t == 3 && c == 13)
			sb_cat(sb, " !X");
		else if (t == 3 && c < 6 && un[c] != NULL)
			sb_printf(sb, " !%s", un[c]);
		else if (t == 3)
			sb_printf(sb, " !<%u>", c);
		else
			sb_printf(sb, " !<%u,%u>", t, c);
		return;
	}
	if (t == 3 || t == 129 || (t == 1 && c == 4))
		return;
	if (t == 1) {
		static const char *un[] = { "N", "P", "S", "A" };

		if (c < 4)
			sb_printf(sb, " !%s", un[c]);
		else
			sb_printf(sb, " !<%u>", c);
	} else if (t == 2) {
		sb_cat(sb, " !F");
	} else {
		sb_printf(sb, " !<%u,%u>", t, c);
	}
}

static void
hop_item(struct sbuf *sb, const struct scamper_trace_hop *h,
    const struct scamper_addr **last)
{
	if (*last == NULL || scamper_addr_cmp(*last, &h->addr) != 0) {
		sb_cat(sb, "  ");
		sb_addr(sb, &h->addr);
		*last = &h->addr;
	}
	sb_cat(sb, "  ");
	sb_rtt(sb, h->rtt);
	sb_cat(sb, " ms");
	if (h->flags & SCAMPER_TRACE_HOP_TCP)
		tcp_flags_text(sb, h->tcp_flags);
	else if (!(h->flags & SCAMPER_TRACE_HOP_UDP))
		icmp_annotation(sb, h);
}

/*
 * PMTUD annotation for the line of TTL (observed from sc_warts2text):
 * " [mtu: N]" with the MTU in force at that hop, as " [*mtu: N]" when it
 * differs from the MTU the PTB messages reported (so was inferred), then
 * " ptb ADDR" on the line of the hop that sent a PTB when ADDR is not the
 * address printed there, and " nhmtu M!" when that PTB's next-hop MTU M
 * differs from the MTU the note settled on.  Notes apply in order: one
 * with a PTB hop from the hop after it (the PTB came from probe TTL -
 * quoted TTL + 1 hops out), one without from where the previous note
 * applied (the first hop for the first note).
 */
static void
pmtud_annotation(struct sbuf *sb, const struct scamper_trace *t, unsigned ttl,
    const struct scamper_addr *last)
{
	const struct scamper_trace_pmtud *p = t->pmtud;
	unsigned mtu = p->ifmtu, known = p->ifmtu, start = 1, bang = 0;
	const struct scamper_addr *ptb = NULL;

	for (uint8_t i = 0; p->notes != NULL && i < p->notec; i++) {
		const struct scamper_trace_pmtud_note *n = &p->notes[i];
		const struct scamper_trace_hop *h = NULL;
		unsigned dist;

		if (n->hop >= 0 && n->hop < p->hops.hopc) {
			h = &p->hops.hops[n->hop];
			dist = (unsigned)h->probe_ttl - h->icmp_q_ttl + 1;
			start = dist + 1;
			if (ttl == dist) {
				if (last != NULL &&
				    scamper_addr_cmp(last, &h->addr) != 0)
					ptb = &h->addr;
				if (h->icmp_nhmtu != n->nhmtu)
					bang = h->icmp_nhmtu;
			}
		}
		if (ttl >= start) {
			mtu = n->nhmtu;
			if (h != NULL)
				known = h->icmp_nhmtu;
		}
	}
	sb_printf(sb, " [%smtu: %u]", mtu != known ? "*" : "", mtu);
	if (ptb != NULL) {
		sb_cat(sb, " ptb ");
		sb_addr(sb, ptb);
	}
	if (bang != 0)
		sb_printf(sb, " nhmtu %u!", bang);
}

void
text_from_to(struct sbuf *sb, const char *what,
    const struct scamper_addr *src, const struct scamper_addr *dst)
{
	sb_printf(sb, "%s from ", what);
	sb_addr(sb, src);
	sb_cat(sb, " to ");
	sb_addr(sb, dst);
}

int
text_trace(const void *obj, char **out)
{
	const struct scamper_trace *t = obj;
	struct sbuf sb = { 0 };

	text_from_to(&sb, "traceroute", &t->src, &t->dst);
	if (scamper_addr_isset(&t->rtr)) {
		sb_cat(&sb, " via ");
		sb_addr(&sb, &t->rtr);
	}
	sb_cat(&sb, "\n");
	for (unsigned ttl = 1; ttl <= t->hop_count; ttl++) {
		const struct scamper_addr *last = NULL;
		int n = 0;

		sb_printf(&sb, "%2u", ttl);
		for (uint16_t i = 0; i < t->hops.hopc; i++) {
			if (t->hops.hops[i].probe_ttl != ttl)
				continue;
			hop_item(&sb, &t->hops.hops[i], &last);
			n++;
		}
		if (n > 0 && t->pmtud != NULL)
			pmtud_annotation(&sb, t, ttl, last);
		if (n == 0) {
			unsigned k = (t->flags & SCAMPER_TRACE_FLAG_ALLATTEMPTS) ?
			    t->attempts : 1;

			sb_cat(&sb, " ");
			for (unsigned i = 0; i < k; i++)
				sb_cat(&sb, " *");
		}
		sb_rtrim(&sb);
		sb_cat(&sb, "\n");
	}
	return sb_finish(&sb, out);
}

/* ---- ping ------------------------------------------------------------ */

static void
ms_of_day(struct sbuf *sb, const char *name, uint32_t ms)
{
	sb_printf(sb, " %s=%02u:%02u:%02u.%03u", name, (ms / 3600000) % 24,
	    (ms / 60000) % 60, (ms / 1000) % 60, ms % 1000);
}

static void
text_ping_reply(struct sbuf *sb, const struct scamper_ping *p,
    const struct scamper_ping_reply *r)
{
	sb_printf(sb, "%u bytes from ", r->reply_size);
	sb_addr(sb, &r->addr);
	sb_printf(sb, ", seq=%u ", r->probe_id);
	if (r->reply_proto == 6) {
		if ((r->tcp_flags & 0x12) == 0x12)
			sb_cat(sb, (r->tcp_flags & 0x40) ? "tcp=open,ecn " :
			    "tcp=open ");
		else if (r->tcp_flags & 0x04)
			sb_cat(sb, "tcp=closed ");
		else
			sb_printf(sb, "tcp=%02x ", r->tcp_flags);
	}
	sb_printf(sb, "ttl=%u time=", r->reply_ttl);
	sb_rtt(sb, r->rtt);
	sb_cat(sb, " ms");
	if (r->has_tsreply) {
		ms_of_day(sb, "tso", r->tso);
		ms_of_day(sb, "tsr", r->tsr);
		ms_of_day(sb, "tst", r->tst);
	}
	sb_cat(sb, "\n");
	for (uint8_t i = 0; r->v4rr != NULL && i < r->v4rrc; i++) {
		sb_cat(sb, i == 0 ? " RR: " : "     ");
		sb_addr(sb, &r->v4rr[i]);
		sb_cat(sb, "\n");
	}
	for (uint8_t i = 0; r->tsv != NULL && i < r->tsc; i++) {
		sb_cat(sb, i == 0 ? " TS: " : "     ");
		if (r->tsaddr != NULL && i < r->tsaddrc) {
			char a[SCAMPER_ADDR_STRLEN];

			sb_printf(sb, "%-15s ", scamper_addr_tostr(&r->tsaddr[i],
			    a, sizeof(a)));
		}
		sb_printf(sb, "%u\n", r->tsv[i]);
	}
	(void)p;
}

int
text_ping(const void *obj, char **out)
{
	const struct scamper_ping *p = obj;
	struct sbuf sb = { 0 };
	struct scamper_ping_stats st;

	sb_cat(&sb, "ping ");
	sb_addr(&sb, &p->src);
	sb_cat(&sb, " to ");
	sb_addr(&sb, &p->dst);
	sb_printf(&sb, ": %u byte packets\n", p->probe_size);
	for (uint16_t i = 0; i < p->replyc; i++)
		text_ping_reply(&sb, p, &p->replies[i]);
	scamper_ping_stats(p, &st);
	sb_cat(&sb, "--- ");
	sb_addr(&sb, &p->dst);
	sb_printf(&sb, " ping statistics ---\n%u packets transmitted, %u "
	    "packets received, ", p->ping_sent, st.nreplies);
	if (st.ndups > 0)
		sb_printf(&sb, "+%u duplicates, ", st.ndups);
	sb_printf(&sb, "%u%% packet loss\n", p->ping_sent == 0 ? 0 :
	    st.nloss * 100 / p->ping_sent);
	if (st.nreplies > 0) {
		sb_cat(&sb, "round-trip min/avg/max/stddev = ");
		sb_rtt(&sb, st.min);
		sb_cat(&sb, "/");
		sb_rtt(&sb, st.avg);
		sb_cat(&sb, "/");
		sb_rtt(&sb, st.max);
		sb_cat(&sb, "/");
		sb_rtt(&sb, st.stddev);
		sb_cat(&sb, " ms\n");
	}
	return sb_finish(&sb, out);
}

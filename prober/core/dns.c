/*
 * dns.c: the asynchronous PTR resolver of dns.h on the prober's loop.
 *
 * A lookup is one question in flight: a random ID, the query bytes, the
 * nameserver of its current try and a timer.  Callers asking for an
 * address already in flight wait on the same lookup; answers (a name, or
 * none) are kept in a small direct-mapped cache.  A reply counts only if
 * it comes from the nameserver asked, carries a live ID and repeats the
 * question; anything else is counted and dropped, and the lookup keeps
 * waiting.  Callbacks are always made from the loop: answers from the
 * socket's read callback or the timer, cache hits from a zero timer.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dns.h"
#include "dns_wire.h"
#include "log.h"
#include "loop.h"

#define TRIES		2	/* the query and one retry */
#define CACHE_SLOTS	1024	/* direct-mapped */
#define CACHE_SECS	600	/* an answer (name or none) is used */
#define ID_BUCKETS	4096
#define ADDR_BUCKETS	1024	/* lookups in flight by address */
#define INFLIGHT_MAX	16384	/* leaves most of the 65536 IDs free */
#define READ_BURST	64	/* datagrams read per readiness callback */
#define RESOLV_CONF	"/etc/resolv.conf"
#define RESOLV_MAX	65536

struct dns_lookup;

struct dns_query {
	struct dns_lookup	*lk;	/* NULL: on the ready list */
	char			*name;	/* a cache hit: owned */
	dns_ptr_cb		*cb;
	void			*arg;
	TAILQ_ENTRY(dns_query)	 q;
};
TAILQ_HEAD(dns_queryq, dns_query);

/* Invariant: a lookup is on d->lookups, its ID's bucket and its
 * address's bucket while in flight, and its timer runs. */
struct dns_lookup {
	struct dns		*d;
	int			 af;
	uint8_t			 addr[16];
	uint16_t		 id;
	int			 tries;		/* sent so far */
	int			 ns;		/* its nameserver */
	int			 sock;		/* in d->sock */
	uint8_t			 msg[DNS_MSG_MAX];
	size_t			 msglen;
	struct timer		 timer;
	struct dns_queryq	 waiters;
	LIST_ENTRY(dns_lookup)	 all, byid, byaddr;
};
LIST_HEAD(dns_lookupl, dns_lookup);

/* A socket per nameserver family, open while a lookup uses it. */
struct dns_sock {
	struct dns		*d;
	int			 fd;
	struct loop_fd		*lfd;
	int			 inflight;
};

struct dns_cache {
	uint8_t			 used, af;
	uint8_t			 addr[16];
	char			*name;		/* NULL: none */
	struct monotime		 expires;
};

struct dns {
	struct loop		*l;
	struct sockaddr_storage	 ns[DNS_NS_MAX];
	int			 nns;
	int			 timeout_ms;
	struct dns_sock		 sock[2];	/* IPv4, IPv6 */
	struct dns_lookupl	 lookups;
	struct dns_lookupl	 byid[ID_BUCKETS];
	struct dns_lookupl	 byaddr[ADDR_BUCKETS];
	struct dns_queryq	 ready;
	struct timer		 ready_timer;
	struct dns_cache	 cache[CACHE_SLOTS];
	int			 inflight;	/* lookups */
	struct dns_stats	 st;
};

static struct dns *dns_proc;	/* the process's resolver (dns_setup) */

static uint16_t
random16(void)
{
	uint16_t v;

	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) != sizeof(v))
		v = (uint16_t)random();
	return v;
}

/* ---- the cache --------------------------------------------------------- */

/* FNV-1a of AF and the 16 bytes of ADDR. */
static uint32_t
addr_hash(int af, const uint8_t *addr)
{
	uint32_t h = 2166136261u;

	h = (h ^ (uint32_t)af) * 16777619u;
	for (int i = 0; i < 16; i++)
		h = (h ^ addr[i]) * 16777619u;
	return h;
}

static struct dns_cache *
cache_slot(struct dns *d, int af, const uint8_t *addr)
{
	return &d->cache[addr_hash(af, addr) % CACHE_SLOTS];
}

/* The cached answer for ADDR: 1 with *NAME (NULL: none), or 0. */
static int
cache_get(struct dns *d, int af, const uint8_t *addr, const char **name)
{
	struct dns_cache *c = cache_slot(d, af, addr);

	if (!c->used || c->af != af || memcmp(c->addr, addr, 16) != 0 ||
	    monotime_cmp(loop_now(d->l), c->expires) >= 0)
		return 0;
	*name = c->name;
	return 1;
}

static void
cache_put(struct dns *d, int af, const uint8_t *addr, const char *name)
{
	struct dns_cache *c = cache_slot(d, af, addr);

	free(c->name);
	c->name = name != NULL ? strdup(name) : NULL;
	c->used = name == NULL || c->name != NULL;	/* ENOMEM: forget */
	c->af = (uint8_t)af;
	memcpy(c->addr, addr, 16);
	c->expires = monotime_add_ms(loop_now(d->l), CACHE_SECS * 1000);
}

/* ---- sockets ----------------------------------------------------------- */

static void on_read(struct loop_fd *lfd, int fd, int events, void *arg);

static int
sock_index(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET ? 0 : 1;
}

static socklen_t
ss_len(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET ? sizeof(struct sockaddr_in) :
	    sizeof(struct sockaddr_in6);
}

/* Open socket S for FAMILY if it is not.  Returns 0 or -1. */
static int
sock_open(struct dns *d, struct dns_sock *s, int family)
{
	if (s->fd != -1)
		return 0;
	if ((s->fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return -1;
	if ((s->lfd = loop_fd_add(d->l, s->fd, LOOP_READ, on_read, s)) ==
	    NULL) {
		close(s->fd);
		s->fd = -1;
		return -1;
	}
	return 0;
}

static void
sock_close(struct dns *d, struct dns_sock *s)
{
	if (s->fd == -1)
		return;
	loop_fd_del(d->l, s->lfd);
	close(s->fd);
	s->fd = -1;
	s->lfd = NULL;
}

/* ---- lookups ----------------------------------------------------------- */

static void
lookup_unlink(struct dns_lookup *lk)
{
	struct dns *d = lk->d;
	struct dns_sock *s = &d->sock[lk->sock];

	loop_timer_cancel(d->l, &lk->timer);
	LIST_REMOVE(lk, all);
	LIST_REMOVE(lk, byid);
	LIST_REMOVE(lk, byaddr);
	d->inflight--;
	if (--s->inflight == 0)
		sock_close(d, s);	/* a fresh port for the next burst */
}

/* LK is over with NAME (NULL: none): tell its waiters, one at a time so
 * a callback may cancel another waiter, then free it. */
static void
lookup_done(struct dns_lookup *lk, const char *name)
{
	struct dns_query *q;

	lookup_unlink(lk);
	while ((q = TAILQ_FIRST(&lk->waiters)) != NULL) {
		TAILQ_REMOVE(&lk->waiters, q, q);
		q->cb(q->arg, name);
		free(q);
	}
	free(lk);
}

/* A live ID for a new try (none is in flight with it). */
static void
lookup_set_id(struct dns_lookup *lk)
{
	struct dns *d = lk->d;
	struct dns_lookup *o;
	uint16_t id;

again:
	id = random16();
	LIST_FOREACH(o, &d->byid[id % ID_BUCKETS], byid)
		if (o->id == id)
			goto again;
	lk->id = id;
	lk->msg[0] = (uint8_t)(id >> 8);
	lk->msg[1] = (uint8_t)id;
	LIST_INSERT_HEAD(&d->byid[id % ID_BUCKETS], lk, byid);
}

/* Send LK's next try.  A datagram the kernel refuses is a try that will
 * time out, as a lost one would. */
static void
lookup_send(struct dns_lookup *lk)
{
	struct dns *d = lk->d;
	const struct sockaddr_storage *ns = &d->ns[lk->ns];

	d->st.queries++;
	lk->tries++;
	if (sendto(d->sock[lk->sock].fd, lk->msg, lk->msglen, 0,
	    (const struct sockaddr *)ns, ss_len(ns)) == -1)
		log_debug("dns: sendto: %s", strerror(errno));
	loop_timer_after(d->l, &lk->timer, d->timeout_ms);
}

/* No answer in time: the retry goes to the next nameserver. */
static void
on_timeout(void *arg)
{
	struct dns_lookup *lk = arg;
	struct dns *d = lk->d;

	if (lk->tries >= TRIES) {
		d->st.timeouts++;
		lookup_done(lk, NULL);
		return;
	}
	LIST_REMOVE(lk, byid);
	lookup_set_id(lk);
	lk->ns = (lk->ns + 1) % d->nns;
	if (sock_index(&d->ns[lk->ns]) != lk->sock) {
		d->sock[lk->sock].inflight--;
		if (d->sock[lk->sock].inflight == 0)
			sock_close(d, &d->sock[lk->sock]);
		lk->sock = sock_index(&d->ns[lk->ns]);
		d->sock[lk->sock].inflight++;
		if (sock_open(d, &d->sock[lk->sock],
		    d->ns[lk->ns].ss_family) == -1)
			log_debug("dns: socket: %s", strerror(errno));
	}
	lookup_send(lk);
}

/* A new lookup for ADDR, sent.  Returns NULL with errno set. */
static struct dns_lookup *
lookup_new(struct dns *d, int af, const uint8_t *addr)
{
	struct dns_lookup *lk = calloc(1, sizeof(*lk));
	int n;

	if (lk == NULL)
		return NULL;
	lk->d = d;
	lk->af = af;
	memcpy(lk->addr, addr, af == AF_INET ? 4 : 16);
	if ((n = dns_ptr_query(lk->msg, sizeof(lk->msg), 0, af, addr)) == -1) {
		free(lk);
		return NULL;
	}
	lk->msglen = (size_t)n;
	lk->sock = sock_index(&d->ns[0]);
	if (sock_open(d, &d->sock[lk->sock], d->ns[0].ss_family) == -1) {
		free(lk);
		return NULL;
	}
	d->sock[lk->sock].inflight++;
	TAILQ_INIT(&lk->waiters);
	timer_init(&lk->timer, on_timeout, lk);
	LIST_INSERT_HEAD(&d->lookups, lk, all);
	d->inflight++;
	LIST_INSERT_HEAD(&d->byaddr[addr_hash(af, lk->addr) % ADDR_BUCKETS],
	    lk, byaddr);
	lookup_set_id(lk);
	lookup_send(lk);
	return lk;
}

/* ---- replies ----------------------------------------------------------- */

static int
from_ns(const struct sockaddr_storage *from, const struct sockaddr_storage *ns)
{
	const struct sockaddr_in *a4 = (const void *)from;
	const struct sockaddr_in *b4 = (const void *)ns;
	const struct sockaddr_in6 *a6 = (const void *)from;
	const struct sockaddr_in6 *b6 = (const void *)ns;

	if (from->ss_family != ns->ss_family)
		return 0;
	if (from->ss_family == AF_INET)
		return a4->sin_port == b4->sin_port &&
		    a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	return a6->sin6_port == b6->sin6_port &&
	    memcmp(&a6->sin6_addr, &b6->sin6_addr, 16) == 0;
}

/* Datagram BUF (LEN bytes) from FROM on socket S: the answer to a lookup,
 * or dropped. */
static void
reply(struct dns *d, const struct dns_sock *s, const uint8_t *buf,
    size_t len, const struct sockaddr_storage *from)
{
	char name[DNS_NAME_MAX];
	struct dns_lookup *lk;
	uint16_t id;
	int rc;

	if (len < 2) {
		d->st.dropped++;
		return;
	}
	id = (uint16_t)(buf[0] << 8 | buf[1]);
	LIST_FOREACH(lk, &d->byid[id % ID_BUCKETS], byid)
		if (lk->id == id && &d->sock[lk->sock] == s &&
		    from_ns(from, &d->ns[lk->ns]))
			break;
	if (lk == NULL || (rc = dns_ptr_parse(buf, len, lk->msg, lk->msglen,
	    name, sizeof(name))) == DNS_BAD) {
		d->st.dropped++;
		return;
	}
	d->st.answers++;
	cache_put(d, lk->af, lk->addr, rc == DNS_NAME ? name : NULL);
	lookup_done(lk, rc == DNS_NAME ? name : NULL);
}

static void
on_read(struct loop_fd *lfd, int fd, int events, void *arg)
{
	struct dns_sock *s = arg;
	struct sockaddr_storage from;
	socklen_t fromlen;
	uint8_t buf[4096];
	ssize_t n;

	(void)lfd;
	(void)events;
	/* a reply may end the last lookup, which closes the socket */
	for (int i = 0; i < READ_BURST && s->fd == fd; i++) {
		fromlen = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
		    &fromlen);
		if (n == -1)
			break;
		reply(s->d, s, buf, (size_t)n, &from);
	}
}

/* ---- the resolver ------------------------------------------------------ */

/* Cache hits and lookups that cannot be asked are told from here. */
static void
on_ready(void *arg)
{
	struct dns *d = arg;
	struct dns_query *q;

	while ((q = TAILQ_FIRST(&d->ready)) != NULL) {
		TAILQ_REMOVE(&d->ready, q, q);
		q->cb(q->arg, q->name);
		free(q->name);
		free(q);
	}
}

struct dns *
dns_new(struct loop *l, const struct sockaddr_storage *ns, int nns,
    int timeout_ms)
{
	struct dns *d;

	if (nns < 0 || nns > DNS_NS_MAX || timeout_ms <= 0) {
		errno = EINVAL;
		return NULL;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->l = l;
	if (nns > 0)
		memcpy(d->ns, ns, (size_t)nns * sizeof(*ns));
	d->nns = nns;
	d->timeout_ms = timeout_ms;
	for (int i = 0; i < 2; i++) {
		d->sock[i].d = d;
		d->sock[i].fd = -1;
	}
	LIST_INIT(&d->lookups);
	for (int i = 0; i < ID_BUCKETS; i++)
		LIST_INIT(&d->byid[i]);
	for (int i = 0; i < ADDR_BUCKETS; i++)
		LIST_INIT(&d->byaddr[i]);
	TAILQ_INIT(&d->ready);
	timer_init(&d->ready_timer, on_ready, d);
	return d;
}

void
dns_free(struct dns *d)
{
	struct dns_lookup *lk;
	struct dns_query *q;

	if (d == NULL)
		return;
	while ((lk = LIST_FIRST(&d->lookups)) != NULL) {
		lookup_unlink(lk);
		while ((q = TAILQ_FIRST(&lk->waiters)) != NULL) {
			TAILQ_REMOVE(&lk->waiters, q, q);
			free(q);
		}
		free(lk);
	}
	while ((q = TAILQ_FIRST(&d->ready)) != NULL) {
		TAILQ_REMOVE(&d->ready, q, q);
		free(q->name);
		free(q);
	}
	loop_timer_cancel(d->l, &d->ready_timer);
	for (int i = 0; i < CACHE_SLOTS; i++)
		free(d->cache[i].name);
	if (d == dns_proc)
		dns_proc = NULL;
	free(d);
}

int
dns_nservers(const struct dns *d)
{
	return d->nns;
}

/* Q is told NAME (copied) from the loop. */
static int
ready(struct dns *d, struct dns_query *q, const char *name)
{
	if (name != NULL && (q->name = strdup(name)) == NULL)
		return -1;
	TAILQ_INSERT_TAIL(&d->ready, q, q);
	loop_timer_after(d->l, &d->ready_timer, 0);
	return 0;
}

struct dns_query *
dns_ptr(struct dns *d, int af, const uint8_t *a, dns_ptr_cb *cb,
    void *arg)
{
	struct dns_query *q;
	struct dns_lookup *lk;
	const char *name = NULL;
	uint8_t addr[16] = { 0 };	/* IPv4: zero-padded, for the cache */

	if (af != AF_INET && af != AF_INET6) {
		errno = EAFNOSUPPORT;
		return NULL;
	}
	memcpy(addr, a, af == AF_INET ? 4 : 16);
	if ((q = calloc(1, sizeof(*q))) == NULL)
		return NULL;
	q->cb = cb;
	q->arg = arg;
	if (d->nns == 0 || cache_get(d, af, addr, &name)) {
		if (d->nns != 0)
			d->st.cache_hits++;
		if (ready(d, q, name) == 0)
			return q;
		free(q);
		return NULL;
	}
	LIST_FOREACH(lk, &d->byaddr[addr_hash(af, addr) % ADDR_BUCKETS],
	    byaddr)
		if (lk->af == af && memcmp(lk->addr, addr, 16) == 0)
			break;
	if (lk == NULL && d->inflight >= INFLIGHT_MAX) {
		/* so many at once: this one goes without */
		d->st.overflow++;
		if (ready(d, q, NULL) == 0)
			return q;
		free(q);
		return NULL;
	}
	if (lk == NULL && (lk = lookup_new(d, af, addr)) == NULL) {
		free(q);
		return NULL;
	}
	q->lk = lk;
	TAILQ_INSERT_TAIL(&lk->waiters, q, q);
	return q;
}

void
dns_cancel(struct dns *d, struct dns_query *q)
{
	if (q->lk != NULL)
		/* the lookup runs on, to fill the cache */
		TAILQ_REMOVE(&q->lk->waiters, q, q);
	else
		TAILQ_REMOVE(&d->ready, q, q);
	free(q->name);
	free(q);
}

const struct dns_stats *
dns_stats(const struct dns *d)
{
	return &d->st;
}

/* ---- the process's resolver -------------------------------------------- */

void
dns_setup(struct loop *l)
{
	struct sockaddr_storage ns[DNS_NS_MAX];
	char *text;
	size_t n = 0;
	FILE *f;
	int nns;

	if (dns_proc != NULL)
		return;
	if ((text = malloc(RESOLV_MAX)) == NULL)
		return;
	if ((f = fopen(RESOLV_CONF, "re")) != NULL) {
		n = fread(text, 1, RESOLV_MAX - 1, f);
		fclose(f);
	}
	text[n] = '\0';
	nns = dns_resolv_parse(text, ns, DNS_NS_MAX);
	free(text);
	if ((dns_proc = dns_new(l, ns, nns, 5000)) == NULL)
		log_warn("dns");
	log_debug("dns: %d nameserver(s) in %s", nns, RESOLV_CONF);
}

struct dns *
dns_default(void)
{
	return dns_proc;
}

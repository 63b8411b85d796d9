/*
 * ptrnames.c: a measurement's addresses and their PTR names (see
 * ptrnames.h).  Lookups of one address in flight at once are shared and
 * answers cached by the resolver (dns.c).
 */
#include "config.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"
#include "log.h"
#include "ptrnames.h"

/* One address and its name. */
struct ptrname {
	struct ptrnames	*set;
	struct dns_query *q;	/* in flight, or NULL */
	char		*name;	/* owned; NULL: none */
	uint8_t		 addr[16];
};

struct ptrnames {
	struct ptrname	**v;
	uint32_t	 n;
	unsigned	 pending;
	int		 af;
	ptrnames_done_cb *done;
	void		*arg;
};

struct ptrnames *
ptrnames_new(int af, ptrnames_done_cb *done, void *arg, char *err,
    size_t errlen)
{
	struct dns *d = dns_default();
	struct ptrnames *p;

	if (d == NULL || dns_nservers(d) == 0) {
		errf(err, errlen, "-O ptr: no nameserver in /etc/resolv.conf");
		return NULL;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		errf(err, errlen, "out of memory");
		return NULL;
	}
	p->af = af;
	p->done = done;
	p->arg = arg;
	return p;
}

static size_t
alen(const struct ptrnames *p)
{
	return p->af == AF_INET ? 4 : 16;
}

static void
on_name(void *arg, const char *name)
{
	struct ptrname *n = arg;
	struct ptrnames *p = n->set;

	n->q = NULL;
	if (name != NULL && (n->name = strdup(name)) == NULL)
		log_warn("PTR name");
	if (--p->pending == 0 && p->done != NULL)
		p->done(p->arg);
}

static struct ptrname *
find(const struct ptrnames *p, const uint8_t *addr)
{
	for (uint32_t i = 0; i < p->n; i++)
		if (memcmp(p->v[i]->addr, addr, alen(p)) == 0)
			return p->v[i];
	return NULL;
}

void
ptrnames_add(struct ptrnames *p, const uint8_t *addr)
{
	struct ptrname *n, **v;

	if (find(p, addr) != NULL || p->n == UINT16_MAX ||
	    (v = realloc(p->v, (p->n + 1u) * sizeof(*v))) == NULL)
		return;
	p->v = v;
	if ((n = calloc(1, sizeof(*n))) == NULL)
		return;
	n->set = p;
	memcpy(n->addr, addr, alen(p));
	p->v[p->n++] = n;
	if ((n->q = dns_ptr(dns_default(), p->af, n->addr, on_name, n)) ==
	    NULL)
		log_warn("PTR lookup");
	else
		p->pending++;
}

unsigned
ptrnames_pending(const struct ptrnames *p)
{
	return p->pending;
}

void
ptrnames_cancel(struct ptrnames *p)
{
	for (uint32_t i = 0; i < p->n; i++)
		if (p->v[i]->q != NULL) {
			dns_cancel(dns_default(), p->v[i]->q);
			p->v[i]->q = NULL;
		}
	p->pending = 0;
}

const char *
ptrnames_get(const struct ptrnames *p, const uint8_t *addr)
{
	const struct ptrname *n = find(p, addr);

	return n != NULL ? n->name : NULL;
}

void
ptrnames_free(struct ptrnames *p)
{
	if (p == NULL)
		return;
	ptrnames_cancel(p);
	for (uint32_t i = 0; i < p->n; i++) {
		free(p->v[i]->name);
		free(p->v[i]);
	}
	free(p->v);
	free(p);
}

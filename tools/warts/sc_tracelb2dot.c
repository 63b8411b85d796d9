/*
 * sc_tracelb2dot: the graphs of the MDA traceroutes (tracelb) in warts
 * files, as Graphviz DOT: one digraph per tracelb, its nodes (with how
 * sure the search is that none of their next hops was missed, where the
 * record says) and its links (dashed, with the hop count, across silent
 * hops; to a "*" for a branch that ended in silence).  Other records are
 * skipped.
 *
 * usage: sc_tracelb2dot [file ...]     (no file, or "-": standard input)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scamper_file.h"
#include "scamper_tracelb.h"
#include "wartsread.h"

static void
addr(const struct scamper_addr *a, char *buf, size_t len)
{
	if (scamper_addr_tostr(a, buf, len) == NULL)
		snprintf(buf, len, "*");
}

static void
graph(const struct scamper_tracelb *t)
{
	char s[SCAMPER_ADDR_STRLEN], d[SCAMPER_ADDR_STRLEN];
	char a[SCAMPER_ADDR_STRLEN], b[SCAMPER_ADDR_STRLEN];

	addr(&t->src, s, sizeof(s));
	addr(&t->dst, d, sizeof(d));
	printf("digraph \"tracelb %s to %s\" {\n\tnode [shape=box];\n", s, d);
	for (uint16_t i = 0; t->nodes != NULL && i < t->nodec; i++) {
		const struct scamper_tracelb_node *n = &t->nodes[i];

		addr(&n->addr, a, sizeof(a));
		printf("\t\"%s\"", a);
		if (scamper_addr_cmp(&n->addr, &t->dst) == 0)
			printf(" [shape=doubleoctagon]");
		else if (n->has_conf)
			printf(" [label=\"%s\\n%u.%02u%%\"]", a,
			    n->conf / 10000000, n->conf / 100000 % 100);
		printf(";\n");
	}
	for (uint16_t i = 0; t->links != NULL && i < t->linkc; i++) {
		const struct scamper_tracelb_link *l = &t->links[i];

		if (l->from >= t->nodec)
			continue;
		addr(&t->nodes[l->from].addr, a, sizeof(a));
		if (l->to < 0 || l->to >= t->nodec) {
			printf("\t\"*%u\" [shape=plaintext, label=\"*\"];\n", i);
			printf("\t\"%s\" -> \"*%u\" [style=dotted, label=\"%u "
			    "hop%s\"];\n", a, i, l->hopc, l->hopc == 1 ? "" :
			    "s");
			continue;
		}
		addr(&t->nodes[l->to].addr, b, sizeof(b));
		if (l->hopc > 1)
			printf("\t\"%s\" -> \"%s\" [style=dashed, label=\"%u "
			    "hops\"];\n", a, b, l->hopc);
		else
			printf("\t\"%s\" -> \"%s\";\n", a, b);
	}
	printf("}\n");
}

static int
print(const char *path, uint16_t type, void *obj)
{
	(void)path;
	if (type == SCAMPER_FILE_OBJ_TRACELB)
		graph(obj);
	return 0;
}

int
main(int argc, char **argv)
{
	return wr_main("sc_tracelb2dot", "usage: sc_tracelb2dot [file ...]",
	    argc, argv, print);
}

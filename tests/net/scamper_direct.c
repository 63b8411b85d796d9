/*
 * scamper_direct.c: scamper's measurement path without privilege
 * separation, for lab tests of the techniques: it takes scamper's
 * command line, opens the raw sockets itself (it must run as root inside
 * a lab namespace) and runs the same measure_run() as scamper.  Not
 * installed.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>

#include "log.h"
#include "loop.h"
#include "measure.h"
#include "methods.h"
#include "opts.h"

int
main(int argc, char **argv)
{
	struct opts o;
	struct netio_fds fds;
	struct loop *l;
	struct measure *m;
	char err[512];
	int rc;

	log_init("scamper-direct");
	if (opts_parse(argc, argv, &o, err, sizeof(err)) == -1 ||
	    opts_check(&o, err, sizeof(err)) == -1) {
		fprintf(stderr, "scamper-direct: %s\n", err);
		return 1;
	}
	netio_fds_init(&fds);
	fds.send4 = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	fds.icmp4 = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	fds.tcp4 = socket(AF_INET, SOCK_RAW, IPPROTO_TCP);
	fds.send6 = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);
	fds.icmp6 = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
	fds.tcp6 = socket(AF_INET6, SOCK_RAW, IPPROTO_TCP);
	if (fds.send4 == -1 || fds.icmp4 == -1) {
		perror("scamper-direct: raw socket");
		return 1;
	}
	if ((l = loop_new(o.loop)) == NULL) {
		perror("scamper-direct: loop");
		return 1;
	}
	if ((m = measure_prepare(&o, prober_methods)) == NULL)
		return 1;
	rc = measure_run(m, l, &fds);
	loop_free(l);
	opts_free(&o);
	return rc;
}

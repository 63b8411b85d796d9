/*
 * helper_main.c: scamper-helper's command line.
 *
 *   scamper-helper [-d] [-u user] child
 *   scamper-helper [-d] [-g group] [-s socket] [-t secs] [-u user] service
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helper.h"
#include "log.h"

static int
usage(void)
{
	fprintf(stderr,
	    "usage: scamper-helper [-d] [-u user] child\n"
	    "       scamper-helper [-d] [-g group] [-s socket] [-t secs] "
	    "[-u user] service\n"
	    "       scamper-helper -v\n");
	return 1;
}

int
main(int argc, char **argv)
{
	struct helper_conf conf;
	char *end;
	int ch;

	log_init("scamper-helper");
	memset(&conf, 0, sizeof(conf));
	conf.sock_path = HELPER_SOCK_PATH;
	conf.group = HELPER_GROUP;
	while ((ch = getopt(argc, argv, "dg:s:t:u:v")) != -1) {
		switch (ch) {
		case 'd':
			log_set_verbosity(2);
			break;
		case 'g':
			conf.group = optarg;
			break;
		case 's':
			conf.sock_path = optarg;
			break;
		case 't':
			conf.hello_secs = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || conf.hello_secs < 1 ||
			    conf.hello_secs > 3600) {
				fprintf(stderr, "scamper-helper: -t %s: "
				    "seconds from 1 to 3600\n", optarg);
				return 1;
			}
			break;
		case 'u':
			conf.user = optarg;
			break;
		case 'v':
			printf("scamper-helper version %s\n", SCAMPER_VERSION);
			return 0;
		default:
			return usage();
		}
	}
	if (optind + 1 != argc)
		return usage();
	if (strcmp(argv[optind], "child") == 0)
		conf.child = 1;
	else if (strcmp(argv[optind], "service") != 0)
		return usage();
	return helper_run(&conf);
}

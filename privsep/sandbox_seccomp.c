/*
 * sandbox_seccomp.c: the prober's sandbox on Linux: no capabilities,
 * no_new_privs, and a libseccomp allowlist.  A forbidden system call
 * traps (SIGSYS); the handler writes the call's number and exits, so the
 * log says exactly what was refused.  Opening files is answered with
 * EACCES instead: library code may try (time zones, locales) and cope.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <linux/capability.h>
#include <linux/sockios.h>

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "sandbox.h"

const char sandbox_name[] = "seccomp";

#define SANDBOX_EXIT	159		/* 128 + SIGSYS, as if killed by it */

/* Everything the prober does after start-up.  Allowed unconditionally. */
static const int allowed[] = {
	/* the event loop and its self-pipe */
	SCMP_SYS(epoll_create1), SCMP_SYS(epoll_ctl), SCMP_SYS(epoll_wait),
	SCMP_SYS(epoll_pwait), SCMP_SYS(epoll_pwait2), SCMP_SYS(poll),
	SCMP_SYS(ppoll), SCMP_SYS(select), SCMP_SYS(pselect6),
	SCMP_SYS(pipe2), SCMP_SYS(eventfd2), SCMP_SYS(timerfd_create),
	SCMP_SYS(timerfd_settime), SCMP_SYS(timerfd_gettime),
	/* time: recorded timestamps and the monotonic scheduler */
	SCMP_SYS(clock_gettime), SCMP_SYS(clock_getres), SCMP_SYS(gettimeofday),
	SCMP_SYS(time), SCMP_SYS(nanosleep), SCMP_SYS(clock_nanosleep),
	/* descriptors: reading input, writing output */
	SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv), SCMP_SYS(writev),
	SCMP_SYS(pread64), SCMP_SYS(pwrite64), SCMP_SYS(lseek),
	SCMP_SYS(close), SCMP_SYS(dup), SCMP_SYS(dup3), SCMP_SYS(fcntl),
	SCMP_SYS(fstat), SCMP_SYS(newfstatat), SCMP_SYS(statx),
	SCMP_SYS(fsync), SCMP_SYS(fdatasync), SCMP_SYS(ftruncate),
	/* sockets: probes, replies, control and remote connections, and
	 * the helper's socket (recvmsg brings later descriptors) */
	SCMP_SYS(sendto), SCMP_SYS(sendmsg), SCMP_SYS(sendmmsg),
	SCMP_SYS(recvfrom), SCMP_SYS(recvmsg), SCMP_SYS(recvmmsg),
	SCMP_SYS(connect), SCMP_SYS(bind), SCMP_SYS(listen),
	SCMP_SYS(accept), SCMP_SYS(accept4), SCMP_SYS(shutdown),
	SCMP_SYS(getsockopt), SCMP_SYS(setsockopt), SCMP_SYS(getsockname),
	SCMP_SYS(getpeername),
	/* memory */
	SCMP_SYS(brk), SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap),
	SCMP_SYS(madvise), SCMP_SYS(mprotect),
	/* signals, delivered through the loop's self-pipe; abort() */
	SCMP_SYS(rt_sigaction), SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(rt_sigreturn), SCMP_SYS(sigaltstack), SCMP_SYS(tgkill),
	SCMP_SYS(restart_syscall),
	/* harmless queries and process end */
	SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(getuid),
	SCMP_SYS(geteuid), SCMP_SYS(getgid), SCMP_SYS(getegid),
	SCMP_SYS(getrandom), SCMP_SYS(uname), SCMP_SYS(sched_yield),
	SCMP_SYS(futex), SCMP_SYS(exit), SCMP_SYS(exit_group),
};

/* ioctls: socket timestamps, readiness and interface lookups, isatty. */
static const unsigned long allowed_ioctls[] = {
	FIONREAD, FIONBIO, TCGETS, SIOCGSTAMP, SIOCGSTAMPNS,
	SIOCGIFINDEX, SIOCGIFNAME, SIOCGIFMTU, SIOCGIFHWADDR, SIOCGIFADDR,
};

/* Socket kinds the prober may create itself: UDP/TCP over IPv4/IPv6 and
 * Unix sockets (control, remote, DNS), netlink for route lookups.  Raw
 * sockets come only from the helper. */
static const struct { int domain, type; } allowed_sockets[] = {
	{ AF_INET, SOCK_DGRAM }, { AF_INET, SOCK_STREAM },
	{ AF_INET6, SOCK_DGRAM }, { AF_INET6, SOCK_STREAM },
	{ AF_UNIX, SOCK_DGRAM }, { AF_UNIX, SOCK_STREAM },
	{ AF_UNIX, SOCK_SEQPACKET }, { AF_NETLINK, SOCK_RAW },
	{ AF_NETLINK, SOCK_DGRAM },
};

/* SIGSYS: say which call was refused, then end (async-signal-safe). */
static void
on_sigsys(int signo, siginfo_t *si, void *uc)
{
	static const char pre[] = "scamper: sandbox: system call ";
	static const char post[] = " is not permitted; exiting\n";
	char num[16];
	int n = si->si_syscall, i = sizeof(num);

	(void)signo;
	(void)uc;
	if (n < 0)
		n = 0;
	do {
		num[--i] = (char)('0' + n % 10);
		n /= 10;
	} while (n > 0 && i > 0);
	(void)!write(STDERR_FILENO, pre, sizeof(pre) - 1);
	(void)!write(STDERR_FILENO, num + i, sizeof(num) - (size_t)i);
	(void)!write(STDERR_FILENO, post, sizeof(post) - 1);
	_exit(SANDBOX_EXIT);
}

/* Drop every capability (permitted, effective, inheritable, ambient). */
static int
drop_caps(char *err, size_t len)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) == -1 &&
	    errno != EINVAL) {
		snprintf(err, len, "clearing ambient capabilities: %s",
		    strerror(errno));
		return -1;
	}
	if (syscall(SYS_capset, &hdr, data) == -1) {
		snprintf(err, len, "dropping capabilities: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int
add_rules(scmp_filter_ctx ctx)
{
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		if (allowed[i] >= 0 &&
		    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0) != 0)
			return -1;
	for (size_t i = 0; i < sizeof(allowed_ioctls) / sizeof(allowed_ioctls[0]);
	    i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
		    SCMP_A1(SCMP_CMP_EQ, allowed_ioctls[i])) != 0)
			return -1;
	for (size_t i = 0; i < sizeof(allowed_sockets) /
	    sizeof(allowed_sockets[0]); i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 2,
		    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)allowed_sockets[i].domain),
		    SCMP_A1(SCMP_CMP_MASKED_EQ,
		    ~(scmp_datum_t)(SOCK_NONBLOCK | SOCK_CLOEXEC),
		    (scmp_datum_t)allowed_sockets[i].type)) != 0)
			return -1;
	/* file opening: refused politely, the chroot is empty anyway */
	if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat),
	    0) != 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(open), 0) != 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(unlink),
	    0) != 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(unlinkat),
	    0) != 0)
		return -1;
	return 0;
}

int
sandbox_prober(char *err, size_t len)
{
	struct sigaction sa;
	scmp_filter_ctx ctx;
	int rc;

	if (drop_caps(err, len) == -1)
		return -1;
	/* no execve can ever give privilege back */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		snprintf(err, len, "no_new_privs: %s", strerror(errno));
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGSYS, &sa, NULL) == -1) {
		snprintf(err, len, "SIGSYS handler: %s", strerror(errno));
		return -1;
	}
	if ((ctx = seccomp_init(SCMP_ACT_TRAP)) == NULL) {
		snprintf(err, len, "seccomp_init failed");
		return -1;
	}
	if (add_rules(ctx) == -1 || (rc = seccomp_load(ctx)) != 0) {
		snprintf(err, len, "loading the seccomp filter failed");
		seccomp_release(ctx);
		return -1;
	}
	seccomp_release(ctx);
	return 0;
}

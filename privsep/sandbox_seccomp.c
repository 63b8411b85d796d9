/*
 * sandbox_seccomp.c: the sandboxes on Linux, one libseccomp allowlist
 * for each of the three processes: the prober (no capabilities,
 * no_new_privs), the file server (the same, and little more than
 * openat2 and its socket) and scamper-helper (which keeps the
 * capabilities it was left with).  A forbidden system call traps
 * (SIGSYS); the handler writes the call's number and exits, so the log
 * says exactly what was refused.  In the prober, opening files is
 * answered with EACCES instead: library code may try (time zones,
 * locales) and cope.
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

/* gcc says ASan with __SANITIZE_ADDRESS__, clang 14 with __has_feature */
#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_ASAN 1
#endif
#endif

const char sandbox_name[] = "seccomp";

/* Who the SIGSYS message names: set with the filter. */
static const char *sigsys_prog = "scamper";

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
struct sock_kind {
	int	domain, type;
};

static const struct sock_kind allowed_sockets[] = {
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
	static const char pre[] = ": sandbox: system call ";
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
	(void)!write(STDERR_FILENO, sigsys_prog, strlen(sigsys_prog));
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

/* Allow each call in CALLS (N of them). */
static int
allow_all(scmp_filter_ctx ctx, const int *calls, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (calls[i] >= 0 &&
		    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, calls[i], 0) != 0)
			return -1;
	return 0;
}

/* Allow ioctl with each request in REQS (N of them). */
static int
allow_ioctls(scmp_filter_ctx ctx, const unsigned long *reqs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
		    SCMP_A1(SCMP_CMP_EQ, reqs[i])) != 0)
			return -1;
	return 0;
}

/* Allow socket() of each domain and type in KINDS (N of them). */
static int
allow_sockets(scmp_filter_ctx ctx, const struct sock_kind *kinds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 2,
		    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)kinds[i].domain),
		    SCMP_A1(SCMP_CMP_MASKED_EQ,
		    ~(scmp_datum_t)(SOCK_NONBLOCK | SOCK_CLOEXEC),
		    (scmp_datum_t)kinds[i].type)) != 0)
			return -1;
	return 0;
}

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static int
add_prober(scmp_filter_ctx ctx)
{
	if (allow_all(ctx, allowed, NELEM(allowed)) == -1 ||
	    allow_ioctls(ctx, allowed_ioctls, NELEM(allowed_ioctls)) == -1 ||
	    allow_sockets(ctx, allowed_sockets, NELEM(allowed_sockets)) == -1)
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

/* The file server: its socket, openat2 and a look at what it opened. */
static const int allowed_filesrv[] = {
	SCMP_SYS(recvmsg), SCMP_SYS(sendmsg), SCMP_SYS(openat2),
	SCMP_SYS(fstat), SCMP_SYS(newfstatat), SCMP_SYS(statx),
	SCMP_SYS(fcntl), SCMP_SYS(close), SCMP_SYS(write),
	SCMP_SYS(brk), SCMP_SYS(mmap), SCMP_SYS(munmap),
	SCMP_SYS(rt_sigreturn), SCMP_SYS(sigaltstack),
	SCMP_SYS(restart_syscall), SCMP_SYS(exit), SCMP_SYS(exit_group),
};

static int
add_filesrv(scmp_filter_ctx ctx)
{
	return allow_all(ctx, allowed_filesrv, NELEM(allowed_filesrv));
}

/* scamper-helper once set up: its event loop, its clients, the sockets
 * of the allowlist (raw, datalink, route), the sockets it binds to hold
 * a firewall rule's port, and netlink messages on the netfilter socket
 * it already has.  No file is ever opened, no process started. */
static const int allowed_helper[] = {
	SCMP_SYS(poll), SCMP_SYS(ppoll), SCMP_SYS(read), SCMP_SYS(write),
	SCMP_SYS(close), SCMP_SYS(fcntl), SCMP_SYS(accept4),
	SCMP_SYS(getsockopt), SCMP_SYS(setsockopt), SCMP_SYS(bind),
	SCMP_SYS(getsockname), SCMP_SYS(sendmsg), SCMP_SYS(recvmsg),
	SCMP_SYS(sendto), SCMP_SYS(recvfrom),
	SCMP_SYS(clock_gettime), SCMP_SYS(gettimeofday),
	SCMP_SYS(brk), SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap),
	SCMP_SYS(madvise), SCMP_SYS(fstat), SCMP_SYS(newfstatat),
	SCMP_SYS(getpid), SCMP_SYS(getuid), SCMP_SYS(geteuid),
	SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask), SCMP_SYS(sigaltstack),
	SCMP_SYS(restart_syscall), SCMP_SYS(exit), SCMP_SYS(exit_group),
};

/* if_indextoname(): SIOCGIFNAME on a throwaway socket. */
static const unsigned long helper_ioctls[] = { SIOCGIFNAME, SIOCGIFINDEX };

static const struct sock_kind helper_sockets[] = {
	{ AF_INET, SOCK_RAW }, { AF_INET6, SOCK_RAW },
	{ AF_PACKET, SOCK_RAW }, { AF_NETLINK, SOCK_RAW },
	{ AF_INET, SOCK_STREAM }, { AF_INET6, SOCK_STREAM },
	{ AF_INET, SOCK_DGRAM }, { AF_INET6, SOCK_DGRAM },
	{ AF_UNIX, SOCK_DGRAM },
};

static int
add_helper(scmp_filter_ctx ctx)
{
	if (allow_all(ctx, allowed_helper, NELEM(allowed_helper)) == -1 ||
	    allow_ioctls(ctx, helper_ioctls, NELEM(helper_ioctls)) == -1 ||
	    allow_sockets(ctx, helper_sockets, NELEM(helper_sockets)) == -1)
		return -1;
	return 0;
}

/* Install the SIGSYS reporter naming PROG and load the allowlist ADD
 * builds.  Returns 0, or -1 with a message in ERR. */
static int
load_filter(const char *prog, int (*add)(scmp_filter_ctx), char *err,
    size_t len)
{
	struct sigaction sa;
	scmp_filter_ctx ctx;

	/* no execve can ever give privilege back */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		snprintf(err, len, "no_new_privs: %s", strerror(errno));
		return -1;
	}
	sigsys_prog = prog;
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
#if defined(SANDBOX_ASAN)
	/* the sanitizers' runtimes ask for random bytes now and then (seen:
	 * clang 14's, in the service helper); not in a normal build */
	if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(getrandom), 0) != 0) {
		snprintf(err, len, "seccomp: getrandom for the sanitizers");
		seccomp_release(ctx);
		return -1;
	}
#endif
	if (add(ctx) == -1 || seccomp_load(ctx) != 0) {
		snprintf(err, len, "loading the seccomp filter failed");
		seccomp_release(ctx);
		return -1;
	}
	seccomp_release(ctx);
	return 0;
}

int
sandbox_prober(char *err, size_t len)
{
	if (drop_caps(err, len) == -1)
		return -1;
	return load_filter("scamper", add_prober, err, len);
}

int
sandbox_filesrv(char *err, size_t len)
{
	if (drop_caps(err, len) == -1)
		return -1;
	return load_filter("scamper (file server)", add_filesrv, err, len);
}

#if defined(SANDBOX_ASAN)
/* LeakSanitizer checks at exit by stopping the world (clone, ptrace),
 * which the helper's filter forbids: it is off in a filtered helper. */
static int helper_filtered;

int __lsan_is_turned_off(void);

int
__lsan_is_turned_off(void)
{
	return helper_filtered;
}
#endif

int
sandbox_helper(char *err, size_t len)
{
	if (load_filter("scamper-helper", add_helper, err, len) == -1)
		return -1;
#if defined(SANDBOX_ASAN)
	helper_filtered = 1;
#endif
	return 0;
}

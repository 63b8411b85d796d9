/*
 * priv_client.h: the prober's side of the helper protocol.  Every
 * privileged call the prober makes is a priv_* function here, so they
 * are easy to find.
 *
 * Requests are asynchronous: priv_open_raw() and friends send and return
 * at once; when the helper's socket is readable the caller runs
 * priv_client_read(), which calls the request's callback with the reply.
 * The *_sync variants wait for their reply and are for start-up only,
 * before the event loop runs.  A malformed or unexpected reply from the
 * helper is a protocol violation and fatal.
 */
#ifndef PRIVSEP_PRIV_CLIENT_H
#define PRIVSEP_PRIV_CLIENT_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

#include "priv_proto.h"

#define PRIV_CLIENT_MAXPENDING	64	/* requests in flight at once */

struct priv_client;

/* A request's completion.  ERR is 0 or the helper's errno.  FD is the
 * descriptor received (now the callback's to keep or close) or -1.
 * VALUE is 0 (kept for callers that share one callback). */
typedef void priv_cb(void *arg, int err, int fd, uint32_t value);

/* A firewall rule's completion: ERR is 0 or the helper's errno; on
 * success RULE_ID names the rule for priv_fw_del and LPORT is the local
 * port the helper holds for it (the one asked for, or the free one it
 * chose). */
typedef void priv_fw_cb(void *arg, int err, uint32_t rule_id,
    uint16_t lport);

/* Wrap SOCK, a connected SOCK_SEQPACKET socket to a helper; the client
 * owns it from now on (even on failure).  Returns NULL on ENOMEM.
 * Free with priv_client_free(). */
struct priv_client *priv_client_new(int sock);

/* Close the socket and free PC; pending callbacks are never called. */
void priv_client_free(struct priv_client *pc);

/* The socket, for the caller's event loop to watch for reading. */
int priv_client_sock(const struct priv_client *pc);

/* The helper's pid as it said in HELLO_OK (0 before). */
pid_t priv_client_helper_pid(const struct priv_client *pc);

/* Nonzero if the helper said it can install firewall rules. */
int priv_client_has_fw(const struct priv_client *pc);

/* Say HELLO and check the protocol version; blocks (start-up only).
 * Returns 0, or -1 with errno (EACCES: the helper refused us; EPERM:
 * the helper has no privilege; EPROTONOSUPPORT: version mismatch;
 * EPIPE: the helper went away) and a message in ERR. */
int priv_hello_sync(struct priv_client *pc, char *err, size_t len);

/* Ask for a raw socket of FAMILY and PROTO (PRIV_AF_*, PRIV_P_*). */
int priv_open_raw(struct priv_client *pc, uint8_t family, uint8_t proto,
    priv_cb *cb, void *arg);

/* Ask for a datalink socket on interface IFINDEX. */
int priv_open_dl(struct priv_client *pc, uint32_t ifindex, priv_cb *cb,
    void *arg);

/* Ask for a route socket. */
int priv_open_route(struct priv_client *pc, priv_cb *cb, void *arg);

/* Ask the helper to drop the replies to one probe (rule R; R->lport 0:
 * any free port).  The helper binds R's local address and port itself,
 * exclusively, and holds them while the rule exists: refused with
 * EADDRINUSE if any other socket has that port, EADDRNOTAVAIL if the
 * address is not this host's, EINVAL by policy (priv_proto.h). */
int priv_fw_add(struct priv_client *pc, const struct priv_fw_rule *r,
    priv_fw_cb *cb, void *arg);

/* Ask the helper to remove firewall rule ID. */
int priv_fw_del(struct priv_client *pc, uint32_t id, priv_cb *cb, void *arg);

/* Ask the file server (filesrv.h) for the regular file PATH, relative to
 * its directory, opened in MODE (PRIV_FILE_*).  Its refusals: EXDEV
 * (leaves the directory), ELOOP (a symbolic link), EISDIR, ENODEV/ENXIO
 * (not a regular file), ENOENT, EACCES. */
int priv_open_file(struct priv_client *pc, const char *path, int mode,
    priv_cb *cb, void *arg);
/* The async calls above return 0 once sent, or -1 with errno: EAGAIN if
 * PRIV_CLIENT_MAXPENDING requests are in flight or the socket is full,
 * EPIPE if the helper is gone.  The callback runs from
 * priv_client_read(), never from the call itself. */

/* Read and dispatch one reply; call when the socket is readable.
 * Returns 0, or -1 with errno = EPIPE when the helper has gone (the
 * pending callbacks are then called with EPIPE).  Never blocks if the
 * socket was readable. */
int priv_client_read(struct priv_client *pc);

/* Blocking forms for start-up: return the descriptor, or -1 with errno. */
int priv_open_raw_sync(struct priv_client *pc, uint8_t family,
    uint8_t proto);
int priv_open_dl_sync(struct priv_client *pc, uint32_t ifindex);
int priv_open_file_sync(struct priv_client *pc, const char *path, int mode);

/* Blocking priv_fw_add: returns the rule id with the port held in
 * *LPORT, or -1 with errno. */
long priv_fw_add_sync(struct priv_client *pc, const struct priv_fw_rule *r,
    uint16_t *lport);

#endif

/*
 * tls.h: a byte stream over a non-blocking TCP socket, plain or TLS
 * (OpenSSL), for "scamper -R" and sc_remoted.  The caller owns the event
 * loop: after any call that returns -1 with errno EAGAIN it asks
 * tstream_events() what to wait for.
 *
 * Files (CA, certificate, key) are read by tls_ctx_client() and
 * tls_ctx_server() at once, so the contexts work after a chroot.
 */
#ifndef CONTROL_TLS_H
#define CONTROL_TLS_H

#include <stddef.h>
#include <sys/types.h>

struct ssl_ctx_st;

struct tstream {
	int		 fd;
	void		*ssl;		/* SSL *, or NULL for plain TCP */
	int		 established;	/* handshake done (plain: always) */
	int		 want_write;	/* TLS needs the socket writable */
	char		 err[160];	/* the last TLS failure, "" if none */
};

/* A client context verifying servers against CAFILE (NULL: the system's
 * default CA file), presenting CERT/KEY if both are given.  Returns NULL
 * with the problem (naming the file) in ERR. */
struct ssl_ctx_st *tls_ctx_client(const char *cafile, const char *cert,
    const char *key, char *err, size_t errlen);

/* A server context presenting CERT with KEY; if CLIENT_CA is not NULL,
 * clients must present a certificate issued by a CA in that file.
 * Returns NULL with the problem (naming the file) in ERR. */
struct ssl_ctx_st *tls_ctx_server(const char *cert, const char *key,
    const char *client_ca, char *err, size_t errlen);

void tls_ctx_free(struct ssl_ctx_st *ctx);

/* Start a stream on the connected FD (not owned).  CTX NULL: plain.  As
 * a client, HOST is the name the server's certificate must carry (a DNS
 * name, or an IP address).  Returns 0, or -1 with ERR. */
int tstream_init(struct tstream *ts, int fd, struct ssl_ctx_st *ctx,
    int server, const char *host, char *err, size_t errlen);

/* Continue the TLS handshake.  Returns 1 when established, 0 if it must
 * wait (see tstream_events), -1 on failure with the reason (e.g. the
 * certificate check's verdict) in ERR. */
int tstream_handshake(struct tstream *ts, char *err, size_t errlen);

/* Read or write like read(2)/write(2): -1 with errno EAGAIN when it must
 * wait, 0 from tstream_read at the end of the stream, -1 with another
 * errno (EPROTO for a TLS failure) when broken. */
ssize_t tstream_read(struct tstream *ts, void *buf, size_t len);
ssize_t tstream_write(struct tstream *ts, const void *buf, size_t len);

/* Text for ERRNUM after a failed tstream_read/tstream_write: the TLS
 * failure (e.g. an alert from the peer) for EPROTO, else strerror. */
const char *tstream_strerror(const struct tstream *ts, int errnum);

/* The loop events (1 read, 2 write) to wait for; HAVE_OUTPUT: the caller
 * has bytes to write. */
int tstream_events(const struct tstream *ts, int have_output);

/* Free the TLS state (the descriptor is not closed). */
void tstream_free(struct tstream *ts);

/* The last OpenSSL error as text, for messages. */
const char *tls_error(void);

#endif

/*
 * tls.c: plain or TLS byte streams on non-blocking sockets (see tls.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "tls.h"
#include "tls_lib.h"

const char *
tls_error(void)
{
	static char buf[256];
	unsigned long e;

	if (!tls_lib_loaded())
		return "TLS is not loaded";
	if ((e = ERR_get_error()) == 0)
		return "unknown TLS error";
	ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	return buf;
}

/* Writes may be partial and retried from a moved buffer (the callers'
 * output queues move); idle connections give their buffers back. */
static void
set_modes(SSL_CTX *ctx)
{
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
}

static int
load_pair(SSL_CTX *ctx, const char *cert, const char *key, char *err,
    size_t errlen)
{
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
		snprintf(err, errlen, "certificate %s: %s", cert, tls_error());
		return -1;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
		snprintf(err, errlen, "private key %s: %s", key, tls_error());
		return -1;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		snprintf(err, errlen, "private key %s does not match %s",
		    key, cert);
		return -1;
	}
	return 0;
}

SSL_CTX *
tls_ctx_client(const char *cafile, const char *cert, const char *key,
    char *err, size_t errlen)
{
	const char *ca;
	SSL_CTX *ctx;

	if (tls_lib_load(err, errlen) == -1)
		return NULL;
	ca = cafile != NULL ? cafile : X509_get_default_cert_file();
	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL) {
		snprintf(err, errlen, "TLS: %s", tls_error());
		return NULL;
	}
	set_modes(ctx);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	/* read now: after the privilege drop there is no file system */
	if (SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1) {
		snprintf(err, errlen, "CA file %s: %s", ca, tls_error());
		goto fail;
	}
	if ((cert == NULL) != (key == NULL)) {
		snprintf(err, errlen, "a client certificate needs both the "
		    "certificate and the key file");
		goto fail;
	}
	if (cert != NULL && load_pair(ctx, cert, key, err, errlen) == -1)
		goto fail;
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

/* Ask clients for a certificate from a CA in FILE and refuse those
 * without one. */
static int
want_client_cert(SSL_CTX *ctx, const char *file, char *err, size_t errlen)
{
	STACK_OF(X509_NAME) *names;

	if (SSL_CTX_load_verify_locations(ctx, file, NULL) != 1 ||
	    (names = SSL_load_client_CA_file(file)) == NULL) {
		snprintf(err, errlen, "client CA file %s: %s", file,
		    tls_error());
		return -1;
	}
	SSL_CTX_set_client_CA_list(ctx, names);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER |
	    SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	return 0;
}

SSL_CTX *
tls_ctx_server(const char *cert, const char *key, const char *client_ca,
    char *err, size_t errlen)
{
	SSL_CTX *ctx;

	if (tls_lib_load(err, errlen) == -1)
		return NULL;
	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL) {
		snprintf(err, errlen, "TLS: %s", tls_error());
		return NULL;
	}
	set_modes(ctx);
	if (load_pair(ctx, cert, key, err, errlen) == -1 ||
	    (client_ca != NULL &&
	    want_client_cert(ctx, client_ca, err, errlen) == -1)) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

void
tls_ctx_free(SSL_CTX *ctx)
{
	if (ctx != NULL)
		SSL_CTX_free(ctx);
}

int
tstream_init(struct tstream *ts, int fd, SSL_CTX *ctx, int server,
    const char *host, char *err, size_t errlen)
{
	unsigned char a[16];
	SSL *ssl;

	memset(ts, 0, sizeof(*ts));
	ts->fd = fd;
	if (ctx == NULL) {
		ts->established = 1;
		return 0;
	}
	if ((ssl = SSL_new(ctx)) == NULL || SSL_set_fd(ssl, fd) != 1) {
		snprintf(err, errlen, "TLS: %s", tls_error());
		SSL_free(ssl);
		return -1;
	}
	if (server)
		SSL_set_accept_state(ssl);
	else {
		SSL_set_connect_state(ssl);
		if (inet_pton(AF_INET, host, a) == 1 ||
		    inet_pton(AF_INET6, host, a) == 1) {
			if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl),
			    host) != 1)
				goto fail;
		} else if (SSL_set_tlsext_host_name(ssl, host) != 1 ||
		    SSL_set1_host(ssl, host) != 1)
			goto fail;
	}
	ts->ssl = ssl;
	return 0;
fail:
	snprintf(err, errlen, "TLS: name %s: %s", host, tls_error());
	SSL_free(ssl);
	return -1;
}

/* Keep the reason of the oldest queued OpenSSL error in TS->err (e.g.
 * "tlsv13 alert certificate required") and clear the queue. */
static void
keep_error(struct tstream *ts)
{
	unsigned long e = ERR_get_error();
	const char *why = e != 0 ? ERR_reason_error_string(e) : NULL;

	if (why != NULL)
		snprintf(ts->err, sizeof(ts->err), "TLS: %s", why);
	else if (e != 0) {
		snprintf(ts->err, sizeof(ts->err), "TLS: ");
		ERR_error_string_n(e, ts->err + 5, sizeof(ts->err) - 5);
	} else
		snprintf(ts->err, sizeof(ts->err), "TLS: protocol error");
	ERR_clear_error();
}

const char *
tstream_strerror(const struct tstream *ts, int errnum)
{
	if (errnum == EPROTO && ts->err[0] != '\0')
		return ts->err;
	return strerror(errnum);
}

/* Map an SSL result to errno; sets want_write. */
static ssize_t
ssl_result(struct tstream *ts, int rc)
{
	switch (SSL_get_error(ts->ssl, rc)) {
	case SSL_ERROR_WANT_READ:
		ts->want_write = 0;
		errno = EAGAIN;
		return -1;
	case SSL_ERROR_WANT_WRITE:
		ts->want_write = 1;
		errno = EAGAIN;
		return -1;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	case SSL_ERROR_SYSCALL:
		ERR_clear_error();
		if (errno == 0)
			errno = ECONNRESET;
		return -1;
	default:
		keep_error(ts);
		errno = EPROTO;
		return -1;
	}
}

int
tstream_handshake(struct tstream *ts, char *err, size_t errlen)
{
	int rc;
	long v;

	if (ts->established)
		return 1;
	ERR_clear_error();
	if ((rc = SSL_do_handshake(ts->ssl)) == 1) {
		ts->established = 1;
		ts->want_write = 0;
		return 1;
	}
	if (SSL_get_error(ts->ssl, rc) == SSL_ERROR_WANT_READ ||
	    SSL_get_error(ts->ssl, rc) == SSL_ERROR_WANT_WRITE) {
		ts->want_write = SSL_get_error(ts->ssl, rc) ==
		    SSL_ERROR_WANT_WRITE;
		return 0;
	}
	if ((v = SSL_get_verify_result(ts->ssl)) != X509_V_OK)
		snprintf(err, errlen, "TLS: certificate refused: %s",
		    X509_verify_cert_error_string(v));
	else if (ERR_peek_error() != 0)
		snprintf(err, errlen, "TLS handshake: %s", tls_error());
	else
		snprintf(err, errlen, "TLS handshake: connection closed (%s)",
		    errno != 0 ? strerror(errno) : "by the peer");
	ERR_clear_error();
	return -1;
}

ssize_t
tstream_read(struct tstream *ts, void *buf, size_t len)
{
	int rc;

	if (ts->ssl == NULL)
		return read(ts->fd, buf, len);
	ERR_clear_error();
	errno = 0;
	if (len > 1 << 30)
		len = 1 << 30;
	if ((rc = SSL_read(ts->ssl, buf, (int)len)) > 0)
		return rc;
	return ssl_result(ts, rc);
}

ssize_t
tstream_write(struct tstream *ts, const void *buf, size_t len)
{
	int rc;

	if (ts->ssl == NULL)
		return write(ts->fd, buf, len);
	ERR_clear_error();
	errno = 0;
	if (len > 1 << 30)
		len = 1 << 30;
	if ((rc = SSL_write(ts->ssl, buf, (int)len)) > 0) {
		ts->want_write = 0;
		return rc;
	}
	if (ssl_result(ts, rc) == 0)
		errno = EPIPE;
	return -1;
}

int
tstream_events(const struct tstream *ts, int have_output)
{
	int ev = 1;

	if (ts->want_write || (have_output && ts->established))
		ev |= 2;
	return ev;
}

void
tstream_free(struct tstream *ts)
{
	if (ts->ssl != NULL)
		SSL_free(ts->ssl);
	ts->ssl = NULL;
}

/*
 * tls_lib.h: the OpenSSL functions tls.c calls, reached through pointers
 * that tls_lib_load() fills from libssl (and the libcrypto it brings) with
 * dlopen, so that a process that never makes a TLS context (scamper -R
 * -O notls, sc_remoted without -c, sc_attach) never maps OpenSSL: its
 * relocated data alone kept about 400 KB resident.  Include after the
 * OpenSSL headers: each name below becomes its pointer, so calls and
 * OpenSSL's own macros (SSL_CTX_set_mode, ...) go through it.
 */
#ifndef CONTROL_TLS_LIB_H
#define CONTROL_TLS_LIB_H

#include <stddef.h>

#define TLS_LIB_FUNCS(X)						\
	X(ERR_clear_error) X(ERR_get_error) X(ERR_peek_error)		\
	X(ERR_error_string_n) X(ERR_reason_error_string)		\
	X(X509_verify_cert_error_string) X(X509_get_default_cert_file)	\
	X(X509_VERIFY_PARAM_set1_ip_asc)				\
	X(TLS_client_method) X(TLS_server_method)			\
	X(SSL_CTX_new) X(SSL_CTX_free) X(SSL_CTX_ctrl)			\
	X(SSL_CTX_set_verify) X(SSL_CTX_load_verify_locations)		\
	X(SSL_CTX_use_certificate_chain_file)				\
	X(SSL_CTX_use_PrivateKey_file) X(SSL_CTX_check_private_key)	\
	X(SSL_CTX_set_client_CA_list) X(SSL_load_client_CA_file)	\
	X(SSL_new) X(SSL_free) X(SSL_ctrl) X(SSL_set_fd)		\
	X(SSL_set_connect_state) X(SSL_set_accept_state)		\
	X(SSL_set1_host) X(SSL_get0_param) X(SSL_do_handshake)		\
	X(SSL_read) X(SSL_write) X(SSL_get_error) X(SSL_get_verify_result)

#define TLS_LIB_PTR(f) __typeof__(f) *f;
struct tls_lib {
	TLS_LIB_FUNCS(TLS_LIB_PTR)
};
#undef TLS_LIB_PTR

extern struct tls_lib tls_lib;

/* Load OpenSSL once (later calls return at once).  Returns 0, or -1 with
 * a message in ERR naming the libraries tried and the loader's error. */
int	tls_lib_load(char *err, size_t errlen);

/* Whether tls_lib_load() succeeded. */
int	tls_lib_loaded(void);

#ifndef TLS_LIB_NOMACROS
#define ERR_clear_error (*tls_lib.ERR_clear_error)
#define ERR_get_error (*tls_lib.ERR_get_error)
#define ERR_peek_error (*tls_lib.ERR_peek_error)
#define ERR_error_string_n (*tls_lib.ERR_error_string_n)
#define ERR_reason_error_string (*tls_lib.ERR_reason_error_string)
#define X509_verify_cert_error_string (*tls_lib.X509_verify_cert_error_string)
#define X509_get_default_cert_file (*tls_lib.X509_get_default_cert_file)
#define X509_VERIFY_PARAM_set1_ip_asc (*tls_lib.X509_VERIFY_PARAM_set1_ip_asc)
#define TLS_client_method (*tls_lib.TLS_client_method)
#define TLS_server_method (*tls_lib.TLS_server_method)
#define SSL_CTX_new (*tls_lib.SSL_CTX_new)
#define SSL_CTX_free (*tls_lib.SSL_CTX_free)
#define SSL_CTX_ctrl (*tls_lib.SSL_CTX_ctrl)
#define SSL_CTX_set_verify (*tls_lib.SSL_CTX_set_verify)
#define SSL_CTX_load_verify_locations (*tls_lib.SSL_CTX_load_verify_locations)
#define SSL_CTX_use_certificate_chain_file \
	(*tls_lib.SSL_CTX_use_certificate_chain_file)
#define SSL_CTX_use_PrivateKey_file (*tls_lib.SSL_CTX_use_PrivateKey_file)
#define SSL_CTX_check_private_key (*tls_lib.SSL_CTX_check_private_key)
#define SSL_CTX_set_client_CA_list (*tls_lib.SSL_CTX_set_client_CA_list)
#define SSL_load_client_CA_file (*tls_lib.SSL_load_client_CA_file)
#define SSL_new (*tls_lib.SSL_new)
#define SSL_free (*tls_lib.SSL_free)
#define SSL_ctrl (*tls_lib.SSL_ctrl)
#define SSL_set_fd (*tls_lib.SSL_set_fd)
#define SSL_set_connect_state (*tls_lib.SSL_set_connect_state)
#define SSL_set_accept_state (*tls_lib.SSL_set_accept_state)
#define SSL_set1_host (*tls_lib.SSL_set1_host)
#define SSL_get0_param (*tls_lib.SSL_get0_param)
#define SSL_do_handshake (*tls_lib.SSL_do_handshake)
#define SSL_read (*tls_lib.SSL_read)
#define SSL_write (*tls_lib.SSL_write)
#define SSL_get_error (*tls_lib.SSL_get_error)
#define SSL_get_verify_result (*tls_lib.SSL_get_verify_result)
#endif

#endif

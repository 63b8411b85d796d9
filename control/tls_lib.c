/*
 * tls_lib.c: OpenSSL loaded on first use (see tls_lib.h).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/opensslv.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#define TLS_LIB_NOMACROS
#include "tls_lib.h"

struct tls_lib tls_lib;
static int loaded;

#define STR_(x) #x
#define STR(x) STR_(x)

/* libssl's names: the version built against first (Linux, then the
 * BSDs' and macOS's spellings), then any. */
static const char *const libssl_names[] = {
#if defined(OPENSSL_VERSION_MAJOR) && OPENSSL_VERSION_MAJOR >= 3
	"libssl.so." STR(OPENSSL_VERSION_MAJOR),
	"libssl.so." STR(OPENSSL_VERSION_MAJOR) "0",
	"libssl." STR(OPENSSL_VERSION_MAJOR) ".dylib",
#else
	"libssl.so.1.1", "libssl.so.111", "libssl.1.1.dylib",
#endif
	"libssl.so", "libssl.dylib",
};

/* Fill tls_lib from H; -1 naming the first symbol missing. */
static int
resolve(void *h, char *err, size_t errlen, const char *name)
{
	void *p;

#define TLS_LIB_SYM(f)							\
	if ((p = dlsym(h, #f)) == NULL) {				\
		snprintf(err, errlen, "TLS: %s has no %s", name, #f);	\
		return -1;						\
	}								\
	memcpy(&tls_lib.f, &p, sizeof(p));
	TLS_LIB_FUNCS(TLS_LIB_SYM)
#undef TLS_LIB_SYM
	return 0;
}

int
tls_lib_load(char *err, size_t errlen)
{
	const char *why = "not found";
	size_t n = sizeof(libssl_names) / sizeof(libssl_names[0]);

	if (loaded)
		return 0;
	for (size_t i = 0; i < n; i++) {
		void *h = dlopen(libssl_names[i], RTLD_NOW | RTLD_LOCAL);

		if (h == NULL) {
			why = dlerror();
			continue;
		}
		if (resolve(h, err, errlen, libssl_names[i]) == -1) {
			dlclose(h);
			return -1;
		}
		loaded = 1;
		return 0;
	}
	snprintf(err, errlen, "TLS: cannot load OpenSSL (%s, ...): %s",
	    libssl_names[0], why != NULL ? why : "not found");
	return -1;
}

int
tls_lib_loaded(void)
{
	return loaded;
}

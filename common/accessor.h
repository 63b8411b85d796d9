/*
 * accessor.h: one way to write the getter of an opaque struct.
 *
 * Many opaque structs export functions that only read one field:
 * `rtype name(const struct stype *x) { return x->field; }`.  ACCESSOR
 * defines such a function, with external linkage, so the header that
 * declares it stays as it is.  Put the function's contract in a comment
 * above each use, as above any exported function.  Header-only, so that
 * libscamperfile (which links nothing of common/) uses it too.
 */
#ifndef COMMON_ACCESSOR_H
#define COMMON_ACCESSOR_H

/* Define `RTYPE NAME(const struct STYPE *x)`, returning x->FIELD. */
#define ACCESSOR(STYPE, RTYPE, NAME, FIELD)				\
	RTYPE								\
	NAME(const struct STYPE *x)					\
	{								\
		return x->FIELD;					\
	}

#endif

/*
 * sanitized.h: UNIT_SANITIZED is 1 in an AddressSanitizer build (gcc's
 * __SANITIZE_ADDRESS__, clang's __has_feature), else 0.  Sanitized code
 * runs several times slower: a test that builds large inputs builds
 * smaller ones there, so that it never leans on an idle machine.
 */
#ifndef TESTS_UNIT_SANITIZED_H
#define TESTS_UNIT_SANITIZED_H

#if defined(__SANITIZE_ADDRESS__)
#define UNIT_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNIT_SANITIZED 1
#endif
#endif
#ifndef UNIT_SANITIZED
#define UNIT_SANITIZED 0
#endif

#endif

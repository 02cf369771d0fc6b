/**
 * @file common.h
 * @brief Export, linkage and attribute macros shared by every libkube header.
 *
 * Thread-safety: macros only.
 * @since 0.1
 */
#ifndef KUBE_COMMON_H
#define KUBE_COMMON_H

#include <stddef.h>
#include <stdint.h>

/** @def KUBE_EXTERN
 * Marks a public libkube function. Symbols are hidden by default; only
 * KUBE_EXTERN ones (and only those listed in the version script) are exported.
 * Define KUBE_STATIC when linking the static libraries on Windows. */
#if defined(_WIN32) && !defined(KUBE_STATIC)
#  if defined(BUILDING_KUBE)
#    define KUBE_EXTERN __declspec(dllexport)
#  else
#    define KUBE_EXTERN __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && defined(BUILDING_KUBE)
#  define KUBE_EXTERN __attribute__((visibility("default")))
#else
#  define KUBE_EXTERN
#endif

/** @def KUBE_BEGIN_DECL
 * Opens an `extern "C"` block for C++ includers. */
/** @def KUBE_END_DECL
 * Closes the block opened by KUBE_BEGIN_DECL. */
#ifdef __cplusplus
#  define KUBE_BEGIN_DECL extern "C" {
#  define KUBE_END_DECL }
#else
#  define KUBE_BEGIN_DECL
#  define KUBE_END_DECL
#endif

/** @def KUBE_PRINTF
 * printf-style format checking where the compiler supports it (a no-op elsewhere). */
#if defined(__GNUC__)
#  define KUBE_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#  define KUBE_PRINTF(fmt_index, first_arg)
#endif

/** @def KUBE_DEPRECATED
 * Marks a function replaced by a successor; an error under KUBE_DEPRECATE_HARD. */
#if defined(KUBE_DEPRECATE_HARD)
#  define KUBE_DEPRECATED(msg)
#elif defined(__GNUC__)
#  define KUBE_DEPRECATED(msg) __attribute__((deprecated(msg)))
#else
#  define KUBE_DEPRECATED(msg)
#endif

#endif /* KUBE_COMMON_H */

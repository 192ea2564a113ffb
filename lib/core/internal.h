/*
 * povmetrics — internal helpers shared by every module. Not installed, not API.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POV_INTERNAL_H
#define POV_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "povmetrics/common.h"

#if defined(__GNUC__)
#define POVI_PRINTF(f, a) __attribute__((format(printf, f, a)))
/* a va_list variant: the format is checked at the callers of the ... form */
#define POVI_VPRINTF(f) __attribute__((format(printf, f, 0)))
#define POVI_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define POVI_PRINTF(f, a)
#define POVI_VPRINTF(f)
#define POVI_UNLIKELY(x) (x)
#endif

/* POVI_SIMD_CLONES before a hot kernel: the compiler builds it twice, for
 * x86-64 with AVX2 and for the baseline instruction set, and the dynamic
 * loader picks one for the machine (GNU ifunc), once. Both compute with the
 * same IEEE operations in the same order (no FMA: it is not in "avx2", and
 * C11 mode does not contract), so results are bit-identical; AVX2 gives
 * wider vectors and blends. Elsewhere it is empty. Set
 * -DPOVI_NO_SIMD_CLONES to build the baseline only. */
#if defined(__x86_64__) && defined(__linux__) && defined(__ELF__) && !defined(POVI_NO_SIMD_CLONES) && \
    ((defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 8) ||                            \
     (defined(__clang__) && __clang_major__ >= 14))
#define POVI_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define POVI_SIMD_CLONES
#endif

/** Location of an error in some input; zero/empty members mean "unknown". */
typedef struct povi_loc {
    const char *source; /* file name or "<string>"; may be NULL */
    size_t line;        /* 1-based, 0 = n/a */
    size_t column;      /* 1-based, 0 = n/a */
    size_t offset;      /* 0-based, SIZE_MAX = n/a */
    const char *path;   /* field path; may be NULL */
} povi_loc;

#define POVI_LOC_NONE ((povi_loc){NULL, 0, 0, SIZE_MAX, NULL})

/*
 * Records an error for the calling thread and returns @p code, so callers can
 * write `return povi_error(POV_EINVAL, "n must be > 0");`.
 */
int povi_error(int code, const char *fmt, ...) POVI_PRINTF(2, 3);

/* Same, with a location. */
int povi_error_at(int code, const povi_loc *loc, const char *fmt, ...) POVI_PRINTF(3, 4);
int povi_error_atv(int code, const povi_loc *loc, const char *fmt, va_list ap) POVI_VPRINTF(3);

/* Prefixes the current error's path with @p prefix (e.g. "[12]"), used when an
 * inner parser reported a path relative to its record. */
void povi_error_prefix_path(const char *prefix);

/* Sets the current error's source if it has none. */
void povi_error_set_source_if_empty(const char *source);

/* Computes 1-based line and column of byte @p offset in @p text. */
void povi_line_col(const char *text, size_t offset, size_t *line, size_t *column);

/* Large arrays (a value per household of a big dataset, sort buffers): from
 * 4 MiB aligned to 2 MiB and backed by transparent huge pages where the
 * system allows it on request, else ordinary memory aligned to 64 bytes.
 * povi_big_try_alloc() returns NULL when out of memory (for callers that
 * report POV_ENOMEM); povi_big_alloc() aborts then, as g_malloc does.
 * @p bytes 0 gives a valid pointer. Free with povi_big_free() (= free()). */
void *povi_big_try_alloc(size_t bytes);
void *povi_big_alloc(size_t bytes);
void *povi_big_alloc0(size_t bytes);
void povi_big_free(void *p);

#endif /* POV_INTERNAL_H */

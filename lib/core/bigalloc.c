/*
 * povmetrics — large arrays (see internal.h: povi_big_alloc).
 *
 * A fresh result for a million households is a few hundred megabytes that
 * the kernel hands out one 4 KiB page fault at a time. Where the system
 * offers transparent huge pages on request (Linux, "madvise" mode), arrays of
 * 4 MiB and more are aligned to 2 MiB and marked MADV_HUGEPAGE, which cuts
 * those faults 512-fold (and the TLB misses of scatters that write to
 * thousands of places at once). Elsewhere, or when the kernel declines, they
 * are ordinary memory aligned to 64 bytes. Either way they are freed with
 * povi_big_free().
 *
 * SPDX-License-Identifier: MIT
 */
/* madvise(): _DEFAULT_SOURCE comes from the build (meson.build) */
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#include "internal.h"

#define HUGE_FROM ((size_t)4 << 20)
#define HUGE_ALIGN ((size_t)2 << 20)

void *povi_big_try_alloc(size_t bytes) {
    void *p = NULL;
    if (bytes == 0)
        bytes = 1;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (bytes >= HUGE_FROM) {
        size_t len = (bytes + HUGE_ALIGN - 1) & ~(HUGE_ALIGN - 1);
        if (len < bytes || posix_memalign(&p, HUGE_ALIGN, len) != 0)
            return NULL;
        (void)madvise(p, len, MADV_HUGEPAGE); /* advice only: failure changes nothing */
        return p;
    }
#endif
    /* 64-byte lines: whole cache lines for write-combining scatters */
    return posix_memalign(&p, 64, bytes) == 0 ? p : NULL;
}

void *povi_big_alloc(size_t bytes) {
    void *p = povi_big_try_alloc(bytes);
    if (!p)
        g_error("povmetrics: out of memory allocating %zu bytes", bytes);
    return p;
}

void *povi_big_alloc0(size_t bytes) {
    void *p = povi_big_alloc(bytes);
    memset(p, 0, bytes);
    return p;
}

void povi_big_free(void *p) { free(p); }

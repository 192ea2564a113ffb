/* White-box tests of the large-array allocator (lib/core/bigalloc.c). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

Test(bigalloc, small_zero_and_large_sizes_are_usable) {
    const size_t sizes[] = {0, 1, 4095, (size_t)4 << 20, ((size_t)4 << 20) + 1, (size_t)9 << 20};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k];
        unsigned char *p = povi_big_alloc(n);
        cr_assert_not_null(p, "size %zu", n);
        memset(p, 0xA5, n); /* every byte writable (ASan/valgrind check the bounds) */
        for (size_t i = 0; i < n; i += 4093)
            cr_assert_eq(p[i], 0xA5);
        povi_big_free(p);
        unsigned char *z = povi_big_alloc0(n);
        for (size_t i = 0; i < n; i++)
            if (z[i] != 0)
                cr_assert_fail("size %zu: byte %zu is %u, not 0", n, i, z[i]);
        povi_big_free(z);
    }
    povi_big_free(NULL);
}

#if defined(__linux__)
Test(bigalloc, large_arrays_are_aligned_for_huge_pages) {
    void *p = povi_big_alloc((size_t)5 << 20);
    cr_assert_eq((uintptr_t)p % ((uintptr_t)2 << 20), 0, "not 2 MiB-aligned: %p", p);
    povi_big_free(p);
}
#endif

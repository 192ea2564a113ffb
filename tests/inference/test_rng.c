/* White-box tests of the internal generator against published reference outputs. */
#include <criterion/criterion.h>
#include <stdint.h>

#include "rng.h"

Test(rng, splitmix64_reference_outputs) {
    /* splitmix64 from state 0: the first three outputs of the reference
     * implementation (Steele, Lea & Flood 2014; Vigna's splitmix64.c). */
    uint64_t st = 0;
    cr_assert_eq(povi_splitmix64(&st), UINT64_C(0xE220A8397B1DCDAF));
    cr_assert_eq(povi_splitmix64(&st), UINT64_C(0x6E789E6AA1B965F4));
    cr_assert_eq(povi_splitmix64(&st), UINT64_C(0x06C45D188009454F));
}

Test(rng, xoshiro256starstar_reference_outputs) {
    /* State {1, 2, 3, 4}: first outputs of the reference xoshiro256starstar.c.
     * The first one by hand: rotl(2·5, 7)·9 = 1280·9 = 11520. */
    povi_rng r = {{1, 2, 3, 4}};
    cr_assert_eq(povi_rng_next(&r), UINT64_C(11520));
    cr_assert_eq(povi_rng_next(&r), UINT64_C(0));
    cr_assert_eq(povi_rng_next(&r), UINT64_C(1509978240));
    cr_assert_eq(povi_rng_next(&r), UINT64_C(1215971899390074240));
}

Test(rng, seeding_is_splitmix_of_the_seed) {
    povi_rng r;
    povi_rng_seed(&r, 0);
    cr_assert_eq(r.s[0], UINT64_C(0xE220A8397B1DCDAF));
    cr_assert_eq(r.s[1], UINT64_C(0x6E789E6AA1B965F4));
    cr_assert_eq(r.s[2], UINT64_C(0x06C45D188009454F));
}

Test(rng, below_is_in_range_and_roughly_uniform) {
    povi_rng r;
    povi_rng_seed(&r, 42);
    unsigned hist[7] = {0};
    for (int i = 0; i < 70000; i++) {
        uint64_t k = povi_rng_below(&r, 7);
        cr_assert_lt(k, 7);
        hist[k]++;
    }
    /* each cell expects 10000, sd ≈ 93: allow 6 sd */
    for (int k = 0; k < 7; k++)
        cr_assert(hist[k] > 9440 && hist[k] < 10560, "cell %d: %u", k, hist[k]);
    cr_assert_eq(povi_rng_below(&r, 1), 0);
}

Test(rng, uniform_in_unit_interval) {
    povi_rng r;
    povi_rng_seed(&r, 7);
    double s = 0.0;
    for (int i = 0; i < 100000; i++) {
        double u = povi_rng_uniform(&r);
        cr_assert(u >= 0.0 && u < 1.0);
        s += u;
    }
    cr_assert_float_eq(s / 100000, 0.5, 0.005);
}

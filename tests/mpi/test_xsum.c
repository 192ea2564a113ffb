/* White-box tests of the exact summation (lib/mpi/xsum.c). The oracle for
 * random sums is independent: values k·2^-30 with integer k are summed
 * exactly in a 128-bit integer, whose conversion to double GCC rounds to
 * nearest, ties to even. */
#include <criterion/criterion.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "xsum.h"

static double xs(const double *v, size_t n) {
    povi_xsum s;
    int ovf;
    povi_xsum_init(&s);
    for (size_t i = 0; i < n; i++)
        povi_xsum_add(&s, v[i]);
    double r = povi_xsum_round(&s, &ovf);
    cr_assert_eq(ovf, 0);
    return r;
}

#define XS(...) xs((const double[]){__VA_ARGS__}, sizeof((const double[]){__VA_ARGS__}) / sizeof(double))

Test(xsum, cancellation_is_exact) {
    cr_assert_eq(XS(1e308, 1e308, -1e308, -1e308, 1.0), 1.0);
    cr_assert_eq(XS(1e100, 1.0, -1e100), 1.0);
    cr_assert_eq(XS(1.0, -1.0), 0.0);
    cr_assert_eq(XS(0.0), 0.0);
    cr_assert_eq(XS(-2.5, 0.5), -2.0);
}

Test(xsum, exact_decimal_example) {
    /* 0.1 = 0x1.999999999999ap-4, 0.2 = 0x1.999999999999ap-3,
     * 0.3 = 0x1.3333333333333p-2. In units of 2^-56 with A = 0x1999999999999a
     * and B = 0x13333333333333 the sum is A + 2A − 4B = 2, so the exact sum is
     * 2^-55 (naive left-to-right double arithmetic gives 2^-54). */
    cr_assert_eq(XS(0.1, 0.2, -0.3), 0x1p-55);
    cr_assert_eq(XS(-0.3, 0.2, 0.1), 0x1p-55);
}

Test(xsum, ties_round_to_even) {
    cr_assert_eq(XS(1.0, 0x1p-53), 1.0);                        /* tie, 1.0 is even */
    cr_assert_eq(XS(1.0, 0x1p-53, 0x1p-1074), 1.0 + 0x1p-52);  /* sticky bit breaks the tie */
    cr_assert_eq(XS(1.0 + 0x1p-52, 0x1p-53), 1.0 + 0x1p-51);    /* tie to even upwards */
    cr_assert_eq(XS(-1.0, -0x1p-53), -1.0);
    cr_assert_eq(XS(0x1.fffffffffffffp0, 0x1p-52), 2.0);      /* carry into the exponent */
}

Test(xsum, subnormals_and_extremes) {
    cr_assert_eq(XS(0x1p-1074, 0x1p-1074, 0x1p-1074), 0x3p-1074);
    cr_assert_eq(XS(DBL_MIN, -0x1p-1074), DBL_MIN - 0x1p-1074);
    cr_assert_eq(XS(DBL_MAX, -DBL_MAX, DBL_MAX), DBL_MAX);
    cr_assert_eq(XS(DBL_MAX, 0x1p-1074, -DBL_MAX), 0x1p-1074);
}

Test(xsum, overflow_is_reported) {
    povi_xsum s;
    int ovf;
    povi_xsum_init(&s);
    povi_xsum_add(&s, DBL_MAX);
    povi_xsum_add(&s, DBL_MAX);
    double r = povi_xsum_round(&s, &ovf);
    cr_assert_eq(ovf, 1);
    cr_assert(isinf(r) && r > 0);
}

static uint64_t rng = 88172645463325252u;
static uint64_t next(void) { /* xorshift64 */
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

Test(xsum, random_sums_match_integer_oracle_any_order) {
    enum { N = 2000 };
    static double v[N];
    for (int rep = 0; rep < 50; rep++) {
        __int128 exact = 0;
        for (int i = 0; i < N; i++) {
            /* k up to 2^(10..52) in magnitude: a wide dynamic range */
            int bits = 10 + (int)(next() % 43);
            int64_t k = (int64_t)(next() >> (64 - bits));
            if (next() & 1)
                k = -k;
            exact += k;
            v[i] = ldexp((double)k, -30);
        }
        double want = ldexp((double)exact, -30);
        cr_assert_eq(xs(v, N), want, "rep %d", rep);
        /* shuffle: the result must not change */
        for (int i = N - 1; i > 0; i--) {
            int j = (int)(next() % (uint64_t)(i + 1));
            double t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        cr_assert_eq(xs(v, N), want, "rep %d shuffled", rep);
    }
}

Test(xsum, merge_equals_single_pass) {
    enum { N = 1000 };
    double v[N];
    for (int i = 0; i < N; i++)
        v[i] = ldexp((double)(int64_t)(next() >> 11) - 0x1p52, (int)(next() % 200) - 100);
    povi_xsum a, b, all;
    povi_xsum_init(&a);
    povi_xsum_init(&b);
    povi_xsum_init(&all);
    for (int i = 0; i < N; i++) {
        povi_xsum_add(i % 3 ? &a : &b, v[i]);
        povi_xsum_add(&all, v[i]);
    }
    povi_xsum_add_sum(&b, &a);
    int o1, o2;
    cr_assert_eq(povi_xsum_round(&b, &o1), povi_xsum_round(&all, &o2));
}

Test(xsum, string_round_trip) {
    const double vals[] = {0.0, 1.0, -1.0, 0.1, 1e300, -3e-310, 0x1p-1074, 12345.678};
    for (size_t t = 0; t < sizeof vals / sizeof vals[0]; t++) {
        povi_xsum s, r;
        povi_xsum_init(&s);
        povi_xsum_add(&s, vals[t]);
        povi_xsum_add(&s, 0x1p-1000); /* make it not a single double */
        char *text = povi_xsum_to_string(&s);
        cr_assert_not_null(text);
        cr_assert_eq(povi_xsum_from_string(&r, text), 0, "%s", text);
        povi_xsum_normalise(&s);
        cr_assert_arr_eq(s.limb, r.limb, sizeof s.limb, "%s", text);
        free(text);
    }
}

Test(xsum, string_forms) {
    povi_xsum s;
    int ovf;
    cr_assert_eq(povi_xsum_from_string(&s, "0x1a8p-4"), 0);
    cr_assert_eq(povi_xsum_round(&s, &ovf), 26.5);
    cr_assert_eq(povi_xsum_from_string(&s, "-0x3p0"), 0);
    cr_assert_eq(povi_xsum_round(&s, &ovf), -3.0);
    povi_xsum_init(&s);
    char *z = povi_xsum_to_string(&s);
    cr_assert_str_eq(z, "0x0p0");
    free(z);
    povi_xsum_add(&s, 26.5);
    z = povi_xsum_to_string(&s);
    /* 26.5 = 0x35 · 2^-1: limb-aligned form, exponent a multiple of 32 minus 1074 */
    cr_assert_eq(povi_xsum_from_string(&s, z), 0);
    cr_assert_eq(povi_xsum_round(&s, &ovf), 26.5);
    free(z);
    const char *bad[] = {"", "0x", "1p0", "0xp0", "0x1", "0x1p", "0x1p1x", "0xgp0", "0x1p-2000",
                         "0x1p5000"};
    for (size_t t = 0; t < sizeof bad / sizeof bad[0]; t++)
        cr_assert_eq(povi_xsum_from_string(&s, bad[t]), -1, "%s", bad[t]);
}

/* Mergeable Alkire–Foster accumulator: the AF example streamed person by
 * person, bitwise equality across batchings and merge orders, agreement
 * with pov_mpi_new() and a brute force, serialisation, bad input. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "povmetrics.h"

static void expect_err(int rc, int code, const char *path) {
    cr_assert_eq(rc, code, "rc %d, want %d (%s)", rc, code, pov_error_message(pov_error_last()));
    if (path)
        cr_assert_str_eq(pov_error_path(pov_error_last()), path);
}

/* Alkire & Foster (2011) example, see test_mpi.c: H = 1/2, A = 3/4, M0 = 3/8 */
static const double AF[16] = {13.1, 14, 4, 1,  15.2, 7, 5, 0,  12.5, 10, 1, 0,  20, 11, 3, 1};
static const double AFZ[4] = {13, 12, 3, 1};

static double am(const pov_mpi_accum *a, pov_mpi_stat s) {
    double v = NAN;
    cr_assert_eq(pov_mpi_accum_measure(a, s, &v), 0, "%s", pov_error_message(pov_error_last()));
    return v;
}

Test(mpi_accum, example_person_by_person) {
    pov_mpi_options o = POV_MPI_OPTIONS_INIT;
    o.cutoffs = AFZ;
    o.k = 0.5;
    pov_mpi_accum *a = NULL;
    cr_assert_eq(pov_mpi_accum_new(4, &o, &a), 0);
    cr_assert_eq(pov_mpi_accum_indicators(a), 4);
    for (int i = 0; i < 4; i++)
        cr_assert_eq(pov_mpi_accum_update(a, AF + 4 * i, NULL, 1), 0);
    cr_assert_eq(pov_mpi_accum_count(a), 4);
    cr_assert_eq(am(a, POV_MPI_H), 0.5);
    cr_assert_eq(am(a, POV_MPI_A), 0.75);
    cr_assert_eq(am(a, POV_MPI_M0), 0.375);
    cr_assert_eq(am(a, POV_MPI_POPULATION), 4.0);
    double s1 = 5.0 / 12 + 1 + 0.5 / 13 + 2.0 / 12 + 2.0 / 3 + 1;
    cr_assert_float_eq(am(a, POV_MPI_M1), s1 / 16, 1e-15);
    double t[16];
    cr_assert_eq(pov_mpi_accum_indicator_table(a, t), 0);
    const double want[16] = {0.25, 0.25, 0.25, 100.0 / 6,  0.75, 0.5, 0.25, 100.0 / 3,
                             0.25, 0.25, 0.25, 100.0 / 6,  0.5,  0.5, 0.25, 100.0 / 3};
    for (int i = 0; i < 16; i++)
        cr_assert_float_eq(t[i], want[i], 1e-13, "cell %d", i);
    pov_mpi_accum_free(a);
}

static uint64_t rs = 4242;
static double unif(void) {
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return (double)(rs >> 11) * 0x1p-53;
}

enum { N = 3000, D = 5 };
static double X[N * D], PW[N], Z[D], WJ[D];
static int32_t DIR[D];

static void make_data(void) {
    for (int j = 0; j < D; j++) {
        Z[j] = 1 + j;
        WJ[j] = 0.3 + unif();
        DIR[j] = j == 3;
    }
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < D; j++)
            X[i * D + j] = floor(unif() * 2.2 * Z[j] * 8) / 8;
        PW[i] = unif() < 0.02 ? 0 : 0.1 + 100 * unif();
    }
}

static pov_mpi_options spec(double k) {
    pov_mpi_options o = POV_MPI_OPTIONS_INIT;
    o.cutoffs = Z;
    o.direction = DIR;
    o.weights = WJ;
    o.k = k;
    return o;
}

static pov_mpi_accum *fresh(double k) {
    pov_mpi_options o = spec(k);
    pov_mpi_accum *a = NULL;
    cr_assert_eq(pov_mpi_accum_new(D, &o, &a), 0);
    return a;
}

/* All outputs of @p a as one array, for bitwise comparison. */
static void dump(const pov_mpi_accum *a, double out[6 + 4 * D]) {
    for (int s = 0; s < 6; s++)
        out[s] = am(a, (pov_mpi_stat)s);
    cr_assert_eq(pov_mpi_accum_indicator_table(a, out + 6), 0);
}

Test(mpi_accum, random_runs_to_random_partitions) {
    make_data();
    pov_mpi_accum *one = fresh(0.4);
    cr_assert_eq(pov_mpi_accum_update(one, X, PW, N), 0);
    double r1[6 + 4 * D], r2[6 + 4 * D];
    dump(one, r1);
    for (int split = 0; split < 4; split++) {
        enum { P = 6 };
        pov_mpi_accum *part[P];
        for (int p = 0; p < P; p++)
            part[p] = fresh(0.4);
        /* runs of persons dealt to random partitions: no partition holds a
         * contiguous slice, so only order independence makes this exact */
        size_t i = 0;
        while (i < N) {
            size_t len = 1 + (size_t)(unif() * 300);
            if (len > N - i)
                len = N - i;
            int p = (int)(unif() * P);
            cr_assert_eq(pov_mpi_accum_update(part[p], X + i * D, PW + i, len), 0);
            i += len;
        }
        /* fold into a split-dependent partition, forwards or backwards */
        const int root = split % P;
        for (int s = 1; s < P; s++) {
            int from = split % 2 ? (root + s) % P : (root + P - s) % P;
            cr_assert_eq(pov_mpi_accum_merge(part[root], part[from]), 0);
        }
        dump(part[root], r2);
        cr_assert_eq(memcmp(r1, r2, sizeof r1), 0, "split %d", split);
        cr_assert_eq(pov_mpi_accum_count(part[root]), N);
        for (int p = 0; p < P; p++)
            pov_mpi_accum_free(part[p]);
    }
    pov_mpi_accum_free(one);
}

Test(mpi_accum, partition_merge_orders) {
    make_data();
    pov_mpi_accum *one = fresh(1.0 / 3);
    cr_assert_eq(pov_mpi_accum_update(one, X, PW, N), 0);
    double r1[6 + 4 * D], r2[6 + 4 * D];
    dump(one, r1);
    const size_t cuts[][5] = {{1, 2, 3, 1000, 2999}, {500, 1000, 1500, 2000, 2500},
                              {10, 20, 30, 40, 50}};
    for (int c = 0; c < 3; c++) {
        pov_mpi_accum *part[6];
        size_t lo = 0;
        for (int p = 0; p < 6; p++) {
            size_t hi = p < 5 ? cuts[c][p] : N;
            part[p] = fresh(1.0 / 3);
            cr_assert_eq(pov_mpi_accum_update(part[p], X + lo * D, PW + lo, hi - lo), 0);
            lo = hi;
        }
        /* merge order: reverse for c = 0, tree otherwise */
        if (c == 0) {
            for (int p = 4; p >= 0; p--)
                cr_assert_eq(pov_mpi_accum_merge(part[5], part[p]), 0);
            dump(part[5], r2);
        } else {
            cr_assert_eq(pov_mpi_accum_merge(part[0], part[1]), 0);
            cr_assert_eq(pov_mpi_accum_merge(part[2], part[3]), 0);
            cr_assert_eq(pov_mpi_accum_merge(part[4], part[5]), 0);
            cr_assert_eq(pov_mpi_accum_merge(part[2], part[4]), 0);
            cr_assert_eq(pov_mpi_accum_merge(part[0], part[2]), 0);
            dump(part[0], r2);
        }
        cr_assert_eq(memcmp(r1, r2, sizeof r1), 0, "cut set %d", c);
        for (int p = 0; p < 6; p++)
            pov_mpi_accum_free(part[p]);
    }
    /* agrees with pov_mpi_new() (compensated sums) to rounding */
    pov_mpi_options o = spec(1.0 / 3);
    o.person_weights = PW;
    pov_mpi *m = NULL;
    cr_assert_eq(pov_mpi_new(X, N, D, &o, &m), 0);
    for (int s = 0; s < 6; s++) {
        double v;
        cr_assert_eq(pov_mpi_measure(m, (pov_mpi_stat)s, &v), 0);
        cr_assert_float_eq(r1[s], v, 1e-14 * fabs(v), "stat %d", s);
    }
    double t[4 * D];
    cr_assert_eq(pov_mpi_indicator_table(m, t), 0);
    for (int i = 0; i < 4 * D; i++)
        cr_assert_float_eq(r1[6 + i], t[i], 1e-12, "cell %d", i);
    /* and with a long double brute force */
    double ws = 0;
    for (int j = 0; j < D; j++)
        ws += WJ[j];
    long double nn = 0, q = 0, m0 = 0;
    for (int i = 0; i < N; i++) {
        double cc = 0;
        for (int j = 0; j < D; j++) {
            double v = X[i * D + j];
            if (DIR[j] ? v > Z[j] : v < Z[j])
                cc += WJ[j] / ws;
        }
        nn += PW[i];
        if (cc + 1e-12 >= 1.0 / 3) {
            q += PW[i];
            m0 += PW[i] * cc;
        }
    }
    cr_assert_float_eq(r1[POV_MPI_H], (double)(q / nn), 1e-12);
    cr_assert_float_eq(r1[POV_MPI_M0], (double)(m0 / nn), 1e-12);
    pov_mpi_free(m);
    pov_mpi_accum_free(one);
}

Test(mpi_accum, serialize_round_trip) {
    make_data();
    pov_mpi_accum *a = fresh(0.5), *b = NULL, *rest = fresh(0.5), *one = fresh(0.5);
    cr_assert_eq(pov_mpi_accum_update(a, X, PW, N / 3), 0);
    char *t1 = NULL, *t2 = NULL;
    cr_assert_eq(pov_mpi_accum_serialize(a, &t1), 0);
    cr_assert_not_null(strstr(t1, "\"format\":\"povmetrics.mpi-accum/1\""));
    cr_assert_eq(pov_mpi_accum_deserialize(t1, &b), 0);
    cr_assert_eq(pov_mpi_accum_serialize(b, &t2), 0);
    cr_assert_str_eq(t1, t2);
    cr_assert_eq(pov_mpi_accum_update(rest, X + (N / 3) * D, PW + N / 3, N - N / 3), 0);
    cr_assert_eq(pov_mpi_accum_merge(rest, b), 0);
    cr_assert_eq(pov_mpi_accum_update(one, X, PW, N), 0);
    double r1[6 + 4 * D], r2[6 + 4 * D];
    dump(one, r1);
    dump(rest, r2);
    cr_assert_eq(memcmp(r1, r2, sizeof r1), 0);
    pov_free(t1);
    pov_free(t2);
    /* binary matrix, default weights: null cut-offs and weights */
    pov_mpi_options ob = POV_MPI_OPTIONS_INIT;
    ob.k = 0.5;
    pov_mpi_accum *c = NULL, *c2 = NULL;
    cr_assert_eq(pov_mpi_accum_new(2, &ob, &c), 0);
    const double xb[] = {1, 1, 0, 1, 0, 0};
    cr_assert_eq(pov_mpi_accum_update(c, xb, NULL, 3), 0);
    cr_assert_eq(pov_mpi_accum_serialize(c, &t1), 0);
    cr_assert_not_null(strstr(t1, "\"cutoffs\":null"));
    cr_assert_eq(pov_mpi_accum_deserialize(t1, &c2), 0);
    cr_assert_eq(am(c2, POV_MPI_H), 2.0 / 3);
    cr_assert_eq(am(c2, POV_MPI_M0), 0.5);
    double v;
    expect_err(pov_mpi_accum_measure(c2, POV_MPI_M1, &v), POV_ESTATE, NULL);
    pov_free(t1);
    pov_mpi_accum_free(c);
    pov_mpi_accum_free(c2);
    pov_mpi_accum_free(a);
    pov_mpi_accum_free(b);
    pov_mpi_accum_free(rest);
    pov_mpi_accum_free(one);
}

Test(mpi_accum, bad_input) {
    pov_mpi_accum *a = (pov_mpi_accum *)1;
    pov_mpi_options o = POV_MPI_OPTIONS_INIT;
    o.cutoffs = AFZ;
    expect_err(pov_mpi_accum_new(4, &o, &a), POV_EINVAL, "k");
    cr_assert_null(a);
    o.k = 0.5;
    const double pw[4] = {1, 1, 1, 1};
    o.person_weights = pw;
    expect_err(pov_mpi_accum_new(4, &o, &a), POV_EINVAL, NULL);
    o.person_weights = NULL;
    expect_err(pov_mpi_accum_new(0, &o, &a), POV_EINVAL, NULL);
    expect_err(pov_mpi_accum_new(4, &o, NULL), POV_EINVAL, NULL);
    cr_assert_eq(pov_mpi_accum_new(4, &o, &a), 0);
    double v, t[16];
    expect_err(pov_mpi_accum_measure(a, POV_MPI_M0, &v), POV_EEMPTY, NULL);
    expect_err(pov_mpi_accum_indicator_table(a, t), POV_EEMPTY, NULL);
    double x[8] = {13.1, 14, 4, 1, 15.2, NAN, 5, 0};
    expect_err(pov_mpi_accum_update(a, x, NULL, 2), POV_ENONFINITE, "x[1][1]");
    const double wneg[2] = {1, -2};
    expect_err(pov_mpi_accum_update(a, AF, wneg, 2), POV_ERANGE, "w[1]");
    expect_err(pov_mpi_accum_update(a, NULL, NULL, 2), POV_EINVAL, NULL);
    cr_assert_eq(pov_mpi_accum_update(a, NULL, NULL, 0), 0);
    cr_assert_eq(pov_mpi_accum_count(a), 0);
    const double w0[4] = {0, 0, 0, 0};
    cr_assert_eq(pov_mpi_accum_update(a, AF, w0, 4), 0);
    expect_err(pov_mpi_accum_measure(a, POV_MPI_H, &v), POV_EEMPTY, NULL);
    expect_err(pov_mpi_accum_measure(a, (pov_mpi_stat)9, &v), POV_EEMPTY, NULL);
    cr_assert_eq(pov_mpi_accum_update(a, AF, NULL, 4), 0);
    expect_err(pov_mpi_accum_measure(a, (pov_mpi_stat)9, &v), POV_EINVAL, NULL);

    /* mismatched specifications */
    pov_mpi_options o2 = o;
    o2.k = 0.75;
    pov_mpi_accum *b = NULL;
    cr_assert_eq(pov_mpi_accum_new(4, &o2, &b), 0);
    expect_err(pov_mpi_accum_merge(a, b), POV_EINVAL, NULL);
    pov_mpi_accum_free(b);
    const double w112[4] = {1, 1, 2, 1};
    o2 = o;
    o2.weights = w112;
    cr_assert_eq(pov_mpi_accum_new(4, &o2, &b), 0);
    expect_err(pov_mpi_accum_merge(a, b), POV_EINVAL, NULL);
    pov_mpi_accum_free(b);
    o2 = o;
    o2.cutoffs = NULL;
    cr_assert_eq(pov_mpi_accum_new(4, &o2, &b), 0);
    expect_err(pov_mpi_accum_merge(a, b), POV_EINVAL, NULL);
    pov_mpi_accum_free(b);
    expect_err(pov_mpi_accum_merge(a, NULL), POV_EINVAL, NULL);
    pov_mpi_accum_free(a);
    pov_mpi_accum_free(NULL);
}

Test(mpi_accum, binary_values_checked) {
    pov_mpi_options o = POV_MPI_OPTIONS_INIT;
    o.k = 0.5;
    pov_mpi_accum *a = NULL;
    cr_assert_eq(pov_mpi_accum_new(2, &o, &a), 0);
    const double xb[4] = {0, 1, 2, 0};
    expect_err(pov_mpi_accum_update(a, xb, NULL, 2), POV_EDOMAIN, "x[1][0]");
    pov_mpi_accum_free(a);
}

Test(mpi_accum, deserialize_errors) {
    pov_mpi_accum *a = (pov_mpi_accum *)1;
    expect_err(pov_mpi_accum_deserialize("{", &a), POV_ESYNTAX, NULL);
    cr_assert_null(a);
    expect_err(pov_mpi_accum_deserialize("{\"format\":\"povmetrics.accum/1\"}", &a), POV_EFORMAT,
               "format");
    expect_err(pov_mpi_accum_deserialize("{\"format\":\"povmetrics.mpi-accum/1\"}", &a),
               POV_EMISSING, "k");
    const char *head = "{\"format\":\"povmetrics.mpi-accum/1\",\"k\":\"0x1p-1\",\"cutoffs\":null,"
                       "\"weights\":null,\"count\":1,";
    char doc[700];
    snprintf(doc, sizeof doc,
             "%s\"direction\":[0,2],\"sums\":{\"n\":\"0x1p0\",\"q\":\"0x1p0\",\"score\":\"0x1p0\","
             "\"m1\":\"0x0p0\",\"m2\":\"0x0p0\",\"uncensored\":[\"0x1p0\",\"0x1p0\"],"
             "\"censored\":[\"0x1p0\",\"0x1p0\"]}}", head);
    expect_err(pov_mpi_accum_deserialize(doc, &a), POV_ETYPE, "direction[1]");
    snprintf(doc, sizeof doc,
             "%s\"direction\":[0,0],\"sums\":{\"n\":\"0x1p0\",\"score\":\"0x1p0\","
             "\"m1\":\"0x0p0\",\"m2\":\"0x0p0\",\"uncensored\":[\"0x1p0\",\"0x1p0\"],"
             "\"censored\":[\"0x1p0\",\"0x1p0\"]}}", head);
    expect_err(pov_mpi_accum_deserialize(doc, &a), POV_EMISSING, "sums.q");
    snprintf(doc, sizeof doc,
             "%s\"direction\":[0,0],\"sums\":{\"n\":\"0x1p0\",\"q\":\"0x1p0\",\"score\":\"0x1p0\","
             "\"m1\":\"0x0p0\",\"m2\":\"0x0p0\",\"uncensored\":[\"0x1p0\",\"0x1p0\"],"
             "\"censored\":[\"0x1p0\",\"oops\"]}}", head);
    expect_err(pov_mpi_accum_deserialize(doc, &a), POV_ESYNTAX, "sums.censored[1]");
    snprintf(doc, sizeof doc,
             "%s\"direction\":[0,0],\"sums\":{\"n\":\"0x1p0\",\"q\":\"0x1p0\",\"score\":\"0x1p0\","
             "\"m1\":\"0x0p0\",\"m2\":\"0x0p0\",\"uncensored\":[\"0x1p0\",\"0x1p0\"],"
             "\"censored\":[\"0x1p0\",\"0x1p0\"]}}", head);
    cr_assert_eq(pov_mpi_accum_deserialize(doc, &a), 0);
    double v;
    cr_assert_eq(pov_mpi_accum_measure(a, POV_MPI_H, &v), 0);
    cr_assert_eq(v, 1.0);
    pov_mpi_accum_free(a);
    snprintf(doc, sizeof doc,
             "{\"format\":\"povmetrics.mpi-accum/1\",\"k\":\"0x1p-1\",\"cutoffs\":[\"0x1p0\"],"
             "\"weights\":null,\"count\":1,\"direction\":[0,0],\"sums\":{}}");
    expect_err(pov_mpi_accum_deserialize(doc, &a), POV_EMISSING, "sums.n");
    snprintf(doc, sizeof doc,
             "%s\"direction\":[0,0],\"sums\":{\"n\":\"0x1p0\",\"q\":\"0x1p0\",\"score\":\"0x1p0\","
             "\"m1\":\"0x0p0\",\"m2\":\"0x0p0\",\"uncensored\":[\"0x1p0\"],"
             "\"censored\":[\"0x1p0\",\"0x1p0\"]}}", head);
    expect_err(pov_mpi_accum_deserialize(doc, &a), POV_EINVAL, "sums.uncensored");
    expect_err(pov_mpi_accum_deserialize(NULL, &a), POV_EINVAL, NULL);
    expect_err(pov_mpi_accum_serialize(NULL, NULL), POV_EINVAL, NULL);
}

Test(mpi_accum, overflowing_gaps_are_refused_atomically) {
    /* gap (z − x)/z = (1e-300 + 1e300)/1e-300 overflows */
    const double z[1] = {1e-300}, x[2] = {0, -1e300};
    pov_mpi_options o = POV_MPI_OPTIONS_INIT;
    o.cutoffs = z;
    o.k = 1;
    pov_mpi_accum *a = NULL;
    cr_assert_eq(pov_mpi_accum_new(1, &o, &a), 0);
    expect_err(pov_mpi_accum_update(a, x, NULL, 2), POV_ERANGE, "x[1]");
    cr_assert_eq(pov_mpi_accum_count(a), 0);
    cr_assert_eq(pov_mpi_accum_update(a, x, NULL, 1), 0);
    cr_assert_eq(am(a, POV_MPI_POPULATION), 1.0); /* the failed batch left no trace */
    cr_assert_eq(am(a, POV_MPI_M1), 1.0);
    pov_mpi_accum_free(a);
    pov_mpi *m = NULL;
    expect_err(pov_mpi_new(x, 2, 1, &o, &m), POV_ERANGE, "x[1]");
    cr_assert_null(m);
}

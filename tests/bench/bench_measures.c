/*
 * bench_measures — times the measures on n = 10^6 and 10^7 log-normal
 * incomes with weights, against the time to read the arrays once.
 *
 * usage: bench_measures [--sizes N1,N2,...] [--repeat R] [--json]
 *
 * Data (deterministic): y_i = exp(10 + 0.8 Z_i), Z_i standard normal by
 * Box–Muller from a splitmix64 stream (seed 12345); w_i uniform on
 * [0.5, 2.0); for M0 10 achievements X = 3 U / p (U uniform) with cut-off 3,
 * so the deprivation probability p depends on the person's income (and
 * deprivations are correlated), and the same deprivations as a 0/1 matrix;
 * equal indicator weights, k = 1/3. The "x read" column of the M0 rows is
 * relative to one read of M0's own inputs (the matrix and the weights).
 *
 * Each figure is the minimum wall time of R runs (default 5). Built by meson
 * (option bench), never run by meson test. See tests/bench/README.md.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "povmetrics.h"

static uint64_t sm_state;
static uint64_t sm_next(void)
{
    uint64_t z = (sm_state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}
static double sm_unif(void)
{
    return ((double)(sm_next() >> 11) + 0.5) * 0x1.0p-53;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static void die(const char *what, int rc)
{
    fprintf(stderr, "bench_measures: %s failed: %s (%s)\n", what, pov_strerror(rc),
            pov_error_message(pov_error_last()));
    exit(1);
}

#define CHECK(what, call)                                                                   \
    do {                                                                                    \
        int rc_ = (call);                                                                   \
        if (rc_ < 0)                                                                        \
            die(what, rc_);                                                                 \
    } while (0)

typedef struct row {
    const char *name;
    size_t n;
    double ms;
    double value;
} row;

static row rows[64];
static size_t nrows;

static volatile double sink;

static void record(const char *name, size_t n, double ms, double value)
{
    rows[nrows++] = (row){name, n, ms, value};
}

int main(int argc, char **argv)
{
    size_t sizes[8] = {1000000, 10000000};
    size_t nsizes = 2;
    int repeat = 5, json = 0;
    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--sizes") == 0 && a + 1 < argc) {
            nsizes = 0;
            for (char *tok = strtok(argv[++a], ","); tok != NULL && nsizes < 8;
                 tok = strtok(NULL, ","))
                sizes[nsizes++] = (size_t)strtoull(tok, NULL, 10);
        } else if (strcmp(argv[a], "--repeat") == 0 && a + 1 < argc) {
            repeat = atoi(argv[++a]);
            if (repeat < 1)
                repeat = 1;
        } else if (strcmp(argv[a], "--json") == 0) {
            json = 1;
        } else {
            fprintf(stderr, "usage: %s [--sizes N1,N2,...] [--repeat R] [--json]\n", argv[0]);
            return 2;
        }
    }

    for (size_t si = 0; si < nsizes; si++) {
        size_t n = sizes[si];
        enum { D = 10 };
        double *y = malloc(n * sizeof *y), *w = malloc(n * sizeof *w);
        double *x = malloc(n * D * sizeof *x), *X = malloc(n * D * sizeof *X);
        if (y == NULL || w == NULL || x == NULL || X == NULL) {
            fprintf(stderr, "bench_measures: out of memory for n = %zu\n", n);
            return 1;
        }
        sm_state = 12345;
        for (size_t i = 0; i < n; i++) {
            double z = sqrt(-2.0 * log(sm_unif())) * cos(2.0 * M_PI * sm_unif());
            y[i] = exp(10.0 + 0.8 * z);
            w[i] = 0.5 + 1.5 * sm_unif();
            double p = 0.5 * (1.0 - erf(z / sqrt(2.0))) * 0.6; /* poorer: more deprived */
            for (int j = 0; j < D; j++) { /* achievement 3 U / p: below 3 with probability p */
                X[i * D + j] = 3.0 * sm_unif() / p;
                x[i * D + j] = X[i * D + j] < 3.0 ? 1.0 : 0.0;
            }
        }
        double med;
        CHECK("pov_quantile", pov_quantile(y, w, n, 0.5, &med));
        double line = 0.6 * med;

        double best, t0, v = 0;
#define TIME(name, ...)                                                                       \
    do {                                                                                    \
        best = INFINITY;                                                                    \
        for (int r_ = 0; r_ < repeat; r_++) {                                               \
            t0 = now_ms();                                                                  \
            __VA_ARGS__;                                                                    \
            double dt_ = now_ms() - t0;                                                     \
            if (dt_ < best)                                                                 \
                best = dt_;                                                                 \
        }                                                                                   \
        record(name, n, best, v);                                                           \
    } while (0)

        TIME("read once (sum y, sum w)", {
            double sy = 0, sw = 0;
            for (size_t i = 0; i < n; i++) {
                sy += y[i];
                sw += w[i];
            }
            sink = sy + sw;
            v = sy / sw;
        });
        TIME("FGT0+1+2 (pov_fgt_many)", {
            const double alphas[3] = {0.0, 1.0, 2.0};
            double f[3];
            CHECK("pov_fgt_many", pov_fgt_many(y, w, n, line, alphas, 3, f));
            v = f[0];
        });
        TIME("FGT0+1+2 (3 x pov_fgt)", {
            double f0, f1, f2;
            CHECK("pov_fgt", pov_fgt(y, w, n, line, 0.0, &f0));
            CHECK("pov_fgt", pov_fgt(y, w, n, line, 1.0, &f1));
            CHECK("pov_fgt", pov_fgt(y, w, n, line, 2.0, &f2));
            v = f0;
        });
        TIME("Watts", CHECK("pov_watts", pov_watts(y, w, n, line, &v)));
        TIME("mean", CHECK("pov_mean", pov_mean(y, w, n, &v)));
        TIME("median (quantile)", CHECK("pov_quantile", pov_quantile(y, w, n, 0.5, &v)));
        TIME("Gini", CHECK("pov_gini", pov_gini(y, w, n, &v)));
        TIME("arpr", CHECK("pov_arpr", pov_arpr(y, w, n, 0.6, &v)));
        TIME("read x once (M0 input)", { /* a row per step: D partial sums, memory-bound */
            double sx[D] = {0}, sw = 0;
            for (size_t i = 0; i < n; i++) {
                for (int j = 0; j < D; j++)
                    sx[j] += x[i * D + j];
                sw += w[i];
            }
            double t = 0;
            for (int j = 0; j < D; j++)
                t += sx[j];
            sink = t + sw;
            v = t / sw;
        });
        TIME("M0 (pov_mpi_m0)", {
            pov_mpi_options o;
            pov_mpi_options_init(&o);
            o.k = 1.0 / 3.0;
            o.person_weights = w;
            double hm[3];
            CHECK("pov_mpi_m0", pov_mpi_m0(x, n, D, &o, hm));
            v = hm[2];
        });
        TIME("M0 (pov_mpi_new, tables)", {
            pov_mpi_options o;
            pov_mpi_options_init(&o);
            o.k = 1.0 / 3.0;
            o.person_weights = w;
            pov_mpi *m;
            CHECK("pov_mpi_new", pov_mpi_new(x, n, D, &o, &m));
            CHECK("pov_mpi_measure", pov_mpi_measure(m, POV_MPI_M0, &v));
            pov_mpi_free(m);
        });
        TIME("M0 achiev.+cut-offs (m0)", {
            const double cut[D] = {3, 3, 3, 3, 3, 3, 3, 3, 3, 3};
            pov_mpi_options o;
            pov_mpi_options_init(&o);
            o.k = 1.0 / 3.0;
            o.person_weights = w;
            o.cutoffs = cut;
            double hm[3];
            CHECK("pov_mpi_m0", pov_mpi_m0(X, n, D, &o, hm));
            v = hm[2];
        });
        if (n <= 1000000) {
            pov_estimate e;
            pov_estimate_init(&e);
            TIME("Gini + linearised SE", {
                CHECK("pov_se_gini", pov_se_gini(y, w, n, NULL, &e));
                v = e.se;
            });
        }
        free(y);
        free(w);
        free(x);
        free(X);
    }

    if (json) {
        printf("[\n");
        for (size_t r = 0; r < nrows; r++)
            printf("  {\"measure\": \"%s\", \"n\": %zu, \"ms\": %.3f, \"value\": %.17g}%s\n",
                   rows[r].name, rows[r].n, rows[r].ms, rows[r].value,
                   r + 1 < nrows ? "," : "");
        printf("]\n");
        return 0;
    }
    printf("%-26s %10s %11s %10s %14s\n", "measure", "n", "ms", "x read", "value");
    /* x read: against one read of the measure's own inputs (for M0 the
     * n x 10 matrix and the person weights) */
    double read_ms = 0, read_x_ms = 0;
    for (size_t r = 0; r < nrows; r++) {
        if (strncmp(rows[r].name, "read once", 9) == 0)
            read_ms = rows[r].ms;
        if (strncmp(rows[r].name, "read x once", 11) == 0)
            read_x_ms = rows[r].ms;
        double ref = strncmp(rows[r].name, "M0", 2) == 0 || strncmp(rows[r].name, "read x", 6) == 0
                         ? read_x_ms
                         : read_ms;
        printf("%-26s %10zu %11.2f %10.2f %14.6g\n", rows[r].name, rows[r].n, rows[r].ms,
               rows[r].ms / ref, rows[r].value);
    }
    return 0;
}

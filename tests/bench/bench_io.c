/*
 * bench_io — reads a household file with libpovmetrics and prints one JSON
 * line: households, members, seconds, bytes, MB/s, households/s and the
 * process's peak RSS. Driven by bench_io.py (run by hand, not a test).
 *
 *   bench_io FORMAT FILE [--members FILE] [--batch N] [--whole] [--no-dup-check]
 *
 * FORMAT: jsonl, json or csv. Default: stream in batches of 8192 households,
 * freeing each batch (memory bounded by the batch); --whole reads into one
 * dataset.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "povmetrics.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static long long file_size(const char *p) {
    struct stat st;
    return (p && stat(p, &st) == 0) ? (long long)st.st_size : 0;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: bench_io jsonl|json|csv FILE [--members FILE] [--batch N] "
                        "[--whole] [--no-dup-check]\n");
        return 2;
    }
    int format = !strcmp(argv[1], "jsonl") ? POV_FORMAT_JSONL
                 : !strcmp(argv[1], "json") ? POV_FORMAT_JSON
                                            : POV_FORMAT_CSV;
    const char *path = argv[2];
    pov_read_options o;
    pov_read_options_init(&o);
    int whole = 0;
    for (int i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "--members") && i + 1 < argc)
            o.members_path = argv[++i];
        else if (!strcmp(argv[i], "--batch") && i + 1 < argc)
            o.batch_size = (size_t)strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--whole"))
            whole = 1;
        else if (!strcmp(argv[i], "--no-dup-check"))
            o.check_duplicates = 0;
    }
    size_t households = 0, members = 0;
    double t0 = now();
    if (whole) {
        pov_dataset *ds;
        if (pov_dataset_read_file(pov_schema_core(), path, format, &o, &ds, NULL) < 0) {
            fprintf(stderr, "bench_io: %s\n", pov_error_message(pov_error_last()));
            return 1;
        }
        households = pov_dataset_count(ds);
        members = pov_dataset_member_count(ds);
        pov_dataset_free(ds);
    } else {
        pov_reader *r;
        if (pov_reader_open(pov_schema_core(), path, format, &o, &r) < 0) {
            fprintf(stderr, "bench_io: %s\n", pov_error_message(pov_error_last()));
            return 1;
        }
        pov_dataset *b;
        int k;
        while ((k = pov_reader_next(r, &b)) > 0) {
            households += (size_t)k;
            members += pov_dataset_member_count(b);
            pov_dataset_free(b);
        }
        if (k < 0) {
            fprintf(stderr, "bench_io: %s (line %zu)\n", pov_error_message(pov_error_last()),
                    pov_error_line(pov_error_last()));
            return 1;
        }
        pov_reader_free(r);
    }
    double dt = now() - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    long long bytes = file_size(path) + file_size(o.members_path);
    double cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 +
                 (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
    /* throughput by CPU time: the wall clock depends on other load */
    printf("{\"tool\": \"povmetrics\", \"format\": \"%s\", \"mode\": \"%s\", "
           "\"households\": %zu, \"members\": %zu, \"bytes\": %lld, \"wall_s\": %.4f, "
           "\"cpu_s\": %.4f, \"mb_per_s\": %.2f, \"households_per_s\": %.0f, "
           "\"peak_rss_mb\": %.1f}\n",
           argv[1], whole ? "whole" : "stream", households, members, bytes, dt, cpu,
           bytes / 1e6 / cpu, households / cpu, ru.ru_maxrss / 1024.0);
    return 0;
}

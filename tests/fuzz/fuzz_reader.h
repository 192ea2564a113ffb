/*
 * Shared body of the dataset reader targets (fuzz_json, fuzz_jsonl,
 * fuzz_csv): reads the input in strict and in collect mode and checks the
 * report.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POV_FUZZ_READER_H
#define POV_FUZZ_READER_H

#include "fuzz_common.h"

/* Checks the outcome of one read. */
static inline void fuzz_check_read(int rc, int mode, pov_dataset *ds, pov_read_report *rep)
{
    if (rc != 0) {
        fuzz_check_error(rc);
        FUZZ_CHECK(ds == NULL);
    } else {
        FUZZ_CHECK(ds != NULL);
    }
    if (rep != NULL) {
        size_t nread = pov_read_report_read(rep);
        size_t acc = pov_read_report_accepted(rep);
        size_t rej = pov_read_report_rejected(rep);
        FUZZ_CHECK(acc <= nread);
        FUZZ_CHECK(rej <= nread);
        if (rc == 0) {
            FUZZ_CHECK(acc == pov_dataset_count(ds));
            if (mode == POV_READ_STRICT) {
                FUZZ_CHECK(rej == 0);
            }
        }
        for (size_t i = 0; i < rej; i++) {
            FUZZ_CHECK(pov_read_report_reject_code(rep, i) < 0);
            FUZZ_CHECK(pov_read_report_reject_message(rep, i)[0] != '\0');
            (void)pov_read_report_reject_source(rep, i);
            (void)pov_read_report_reject_path(rep, i);
            FUZZ_CHECK(strlen(pov_read_report_reject_text(rep, i)) <= 4096);
        }
    }
    if (ds != NULL) {
        size_t n = pov_dataset_count(ds);
        for (size_t i = 0; i < n; i++) {
            FUZZ_CHECK(pov_dataset_id(ds, i) != NULL);
        }
    }
    pov_dataset_free(ds);
    pov_read_report_free(rep);
}

/* Reads @p data as @p format in both modes. Small limits make the limit
 * paths reachable with small inputs. */
static inline void fuzz_read_buffer(const uint8_t *data, size_t size, int format)
{
    for (int mode = POV_READ_STRICT; mode <= POV_READ_COLLECT; mode++) {
        pov_read_options opts;
        FUZZ_CHECK(pov_read_options_init(&opts) == 0);
        opts.mode = mode;
        opts.max_line = 4096;
        opts.max_depth = 8;
        opts.max_rejects = mode == POV_READ_COLLECT ? 50 : 0;
        pov_dataset *ds = NULL;
        pov_read_report *rep = NULL;
        int rc = pov_dataset_read_buffer(pov_schema_core(), (const char *)data, size, "<fuzz>",
                                         format, &opts, &ds, &rep);
        fuzz_check_read(rc, mode, ds, rep);
    }
}

#endif /* POV_FUZZ_READER_H */

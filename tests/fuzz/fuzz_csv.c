/*
 * Fuzz target: the CSV dataset reader from memory. The input is the
 * households table; when it contains a form feed line ("\n\f\n"), the part
 * after it is the members table (pov_dataset_read_csv_buffers). Also read
 * with pov_dataset_read_buffer (no members). Strict and collect modes.
 *
 * SPDX-License-Identifier: MIT
 */
#include "fuzz_reader.h"

static const char separator[] = "\n\f\n";

static const uint8_t *find_separator(const uint8_t *data, size_t size)
{
    const size_t k = sizeof separator - 1;
    for (size_t i = 0; i + k <= size; i++) {
        if (memcmp(data + i, separator, k) == 0) {
            return data + i;
        }
    }
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *sep = find_separator(data, size);
    size_t hh_len = sep != NULL ? (size_t)(sep - data) + 1 : size; /* keeps the '\n' */
    const char *members = NULL;
    size_t members_len = 0;
    if (sep != NULL) {
        members = (const char *)sep + sizeof separator - 1;
        members_len = size - (size_t)(members - (const char *)data);
    }
    fuzz_read_buffer(data, hh_len, POV_FORMAT_CSV);
    for (int mode = POV_READ_STRICT; mode <= POV_READ_COLLECT; mode++) {
        pov_read_options opts;
        FUZZ_CHECK(pov_read_options_init(&opts) == 0);
        opts.mode = mode;
        opts.max_line = 4096;
        pov_dataset *ds = NULL;
        pov_read_report *rep = NULL;
        int rc = pov_dataset_read_csv_buffers(pov_schema_core(), (const char *)data, hh_len,
                                              "households.csv", members, members_len,
                                              "members.csv", &opts, &ds, &rep);
        fuzz_check_read(rc, mode, ds, rep);
    }
    return 0;
}

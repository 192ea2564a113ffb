/*
 * Fuzz target: the JSON dataset reader from memory (pov_dataset_read_buffer
 * with POV_FORMAT_JSON) in strict and collect modes.
 *
 * SPDX-License-Identifier: MIT
 */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read_buffer(data, size, POV_FORMAT_JSON);
    return 0;
}

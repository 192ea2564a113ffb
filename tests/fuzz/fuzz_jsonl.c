/*
 * Fuzz target: the JSONL dataset reader from memory (pov_dataset_read_buffer
 * with POV_FORMAT_JSONL) in strict and collect modes.
 *
 * SPDX-License-Identifier: MIT
 */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read_buffer(data, size, POV_FORMAT_JSONL);
    return 0;
}

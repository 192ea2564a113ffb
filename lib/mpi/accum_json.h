/*
 * povmetrics — JSON helpers shared by the accumulators' serialisation
 * (internal).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVI_ACCUM_JSON_H
#define POVI_ACCUM_JSON_H

#include <cJSON.h>
#include <stdint.h>

#include "xsum.h"

/* Field kinds for povi_acc_get_field(). */
enum { POVI_ACC_NUMBER = 0, POVI_ACC_STRING = 1, POVI_ACC_ARRAY = 2, POVI_ACC_OBJECT = 3 };

/* Exact sum as a JSON string "[-]0x<hex>p<exp>" (NULL when out of memory). */
cJSON *povi_acc_xsum_json(const povi_xsum *s);
/* A double as a C99 hexadecimal float string. */
cJSON *povi_acc_hexfloat_json(double v);
/* Records an error with a field path (source "<string>") and returns code. */
int povi_acc_field_error(int code, const char *path, const char *msg);
/* Looks up a required field of the given kind. */
int povi_acc_get_field(const cJSON *obj, const char *name, const char *path, int kind,
                       const cJSON **out);
int povi_acc_parse_hexfloat(const cJSON *v, const char *path, double *out);
int povi_acc_parse_sum(const cJSON *v, const char *path, povi_xsum *out);
int povi_acc_parse_count(const cJSON *v, const char *path, uint64_t *out);
/* Parses @p json; on malformed text reports POV_ESYNTAX with line/column. */
int povi_acc_parse(const char *json, cJSON **out);
/* Checks the "format" field equals @p format. */
int povi_acc_check_format(const cJSON *root, const char *format);

#endif /* POVI_ACCUM_JSON_H */

/*
 * povmetrics — internal structures of the program module. Not API.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVI_PROGRAM_INTERNAL_H
#define POVI_PROGRAM_INTERNAL_H

#include "../rules/condition_internal.h"
#include "povmetrics/program.h"
#include "risk_internal.h"

typedef struct povi_program {
    char *id, *title, *source;
    int kind;
    pov_condition *cond; /* NULL: everyone is eligible */
    uint32_t causes;     /* bits over cause_main code indices */
    uint32_t risks;      /* bits over pov_risk_reason */
    double capacity;     /* households; INFINITY = unlimited */
    double unit_cost;    /* yuan per household */
    double income_effect;/* yuan per person per year */
} povi_program;

struct pov_programs {
    const pov_schema *schema; /* referenced */
    char *id;
    size_t n;
    povi_program *prog;
};

void povi_programs_destroy(pov_programs *p);
int povi_programs_check_dataset(const pov_programs *p, const pov_dataset *ds);

/* 1 when the program's condition is true for household i (missing = 0). */
static inline int povi_program_eligible(const povi_program *g, const povi_colview *v, size_t i) {
    if (!g->cond)
        return 1;
    return povi_condition_eval_view(g->cond, v, i) == 1.0;
}

#endif /* POVI_PROGRAM_INTERNAL_H */

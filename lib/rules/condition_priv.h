/*
 * povmetrics — the condition language: program layout shared by the compiler
 * (condition.c) and the interpreter (condition_eval.c). Not installed.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVI_CONDITION_PRIV_H
#define POVI_CONDITION_PRIV_H

#include <stdint.h>

#include "condition_internal.h"

/*
 * A stack machine over doubles. Every value is a double; NaN is "missing"
 * (booleans are 0/1, category values are code indices). Jumps are absolute
 * instruction indices. "acc" is the slot below the top of the stack.
 */
typedef enum povi_op {
    OP_PUSH,       /* push k[a] */
    OP_HNUM,       /* push household numeric column a */
    OP_HCAT,       /* push household category column a */
    OP_MNUM,       /* push current member's numeric column a */
    OP_MCAT,       /* push current member's category column a */
    OP_KNUM,       /* push member number b's numeric column a (missing if none) */
    OP_KCAT,       /* push member number b's category column a */
    OP_SLOT,       /* push stack[a] (the reduce accumulator) */
    OP_DEFAULT,    /* top not missing: jump a; else pop (default code follows) */
    OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, /* pop 2, push bool or missing */
    OP_LT3, OP_LE3, /* pop 3 (a, x, b), push a < x < b / a <= x <= b */
    OP_NOT,        /* logical not, missing stays missing */
    OP_TRUTH,      /* !!: 0 -> false, other -> true, missing stays missing */
    OP_AND,        /* pop x; x false: acc = 0, jump a; x missing: acc = NaN */
    OP_OR,         /* pop x; x true: acc = 1, jump a; x missing: acc = NaN */
    OP_COND,       /* pop c; c missing: push NaN, jump b; c false: jump a */
    OP_JUMP,       /* jump a */
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_MIN, OP_MAX, /* pop 2, push */
    OP_NEG,        /* top = -top */
    OP_TONUM,      /* unary +: top stays (a no-op kept for clarity) */
    OP_IN,         /* pop x, push x in k[a .. a+b-1] */
    OP_MISSING,    /* push number of refs[a .. a+b-1] that are missing */
    OP_MISSING_SOME, /* push 0 if at least c of refs[a .. a+b-1] present, else missing count */
    OP_LOOP,       /* start member loop: m = first member; no member: jump a */
    OP_NEXT,       /* m++; m < end: jump a */
    OP_SKIP,       /* pop x; x not true: jump a (filter) */
    OP_COUNT,      /* pop x; acc = x missing ? NaN : acc + (x true) */
    OP_STORE,      /* pop x; acc = x (reduce) */
    /* the same with a constant right operand k[a] (literal operands are fused
     * at compile time: one dispatch instead of two) */
    OP_EQK, OP_NEK, OP_LTK, OP_LEK, OP_GTK, OP_GEK,
    OP_ADDK, OP_SUBK, OP_MULK, OP_DIVK,
    OP_END         /* stop; the result is the top of the stack */
} povi_op;

typedef struct povi_insn {
    int32_t op;
    int32_t a;
    int32_t b;
    int32_t c;
} povi_insn;

/* A variable reference of `missing` / `missing_some`. */
typedef struct povi_ref {
    int32_t index; /* column index */
    uint8_t level; /* 0 household, 1 current member, 2 member number `member` */
    uint8_t cat;   /* 1: category column, 0: numeric */
    int32_t member;
} povi_ref;

struct pov_condition {
    povi_insn *code;
    size_t n_code;
    double *k;
    size_t n_k;
    povi_ref *refs;
    size_t n_refs;
    int32_t *inputs;
    size_t n_inputs;
    int result_type;       /* povi_ctype */
    int32_t result_ind;    /* category indicator of the result, or -1 */
    int max_stack;
    int block;             /* povi_condition_plan_block(): block evaluation applies */
    const pov_schema *schema; /* referenced; NULL when compiled with a custom resolver */
};

/* 1 if the program has a shape the block evaluator handles (condition_eval.c);
 * the compiler stores it in pov_condition.block. */
int povi_condition_plan_block(const pov_condition *c);

#endif /* POVI_CONDITION_PRIV_H */

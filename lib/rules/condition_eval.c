/*
 * The condition language: the interpreter. One function, run(), evaluates a
 * compiled program for one household of a column view; the single-household
 * and the batch entry points both call it. It allocates nothing: the value
 * stack is a local array whose size the compiler checked
 * (POVI_COND_STACK_MAX), and the member loop state lives in two locals
 * (quantifiers do not nest).
 *
 * Values are doubles; NaN is "missing". The missing-value rules implemented
 * here are those of docs/conditions.md.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <string.h>

#include "condition_priv.h"

static inline double num_at(const double *col, size_t j) { return col ? col[j] : NAN; }

static inline double cat_at(const int32_t *col, size_t j) {
    int32_t x = col ? col[j] : -1;
    return x < 0 ? NAN : (double)x;
}

/* A finite arithmetic result, or missing on overflow. */
static inline double finite_or_missing(double r) { return isfinite(r) ? r : NAN; }

static inline double ref_value(const povi_ref *r, const povi_colview *v, size_t i, size_t m) {
    size_t j;
    if (r->level == 0) {
        j = i;
    } else if (r->level == 1) {
        j = m;
    } else {
        j = v->member_offsets[i] + (size_t)r->member;
        if (j >= v->member_offsets[i + 1])
            return NAN;
    }
    return r->cat ? cat_at(v->cat[r->index], j) : num_at(v->num[r->index], j);
}

static inline double run(const pov_condition *c, const povi_colview *v, size_t i) {
    double st[POVI_COND_STACK_MAX];
    const povi_insn *code = c->code;
    const double *k = c->k;
    int sp = 0;
    size_t ip = 0, m = 0, mend = 0;
    for (;;) {
        const povi_insn *in = &code[ip++];
        double a, b, x;
        switch ((povi_op)in->op) {
        case OP_PUSH:
            st[sp++] = k[in->a];
            break;
        case OP_HNUM:
            st[sp++] = num_at(v->num[in->a], i);
            break;
        case OP_HCAT:
            st[sp++] = cat_at(v->cat[in->a], i);
            break;
        case OP_MNUM:
            st[sp++] = num_at(v->num[in->a], m);
            break;
        case OP_MCAT:
            st[sp++] = cat_at(v->cat[in->a], m);
            break;
        case OP_KNUM:
        case OP_KCAT: {
            size_t j = v->member_offsets[i] + (size_t)in->b;
            if (j >= v->member_offsets[i + 1])
                st[sp++] = NAN;
            else
                st[sp++] = in->op == OP_KNUM ? num_at(v->num[in->a], j) : cat_at(v->cat[in->a], j);
            break;
        }
        case OP_SLOT:
            st[sp] = st[in->a];
            sp++;
            break;
        case OP_DEFAULT:
            if (!isnan(st[sp - 1]))
                ip = (size_t)in->a;
            else
                sp--;
            break;
#define CMP(OP, OPK, EXPR)                                                                     \
    case OP:                                                                                   \
        b = st[--sp];                                                                          \
        a = st[sp - 1];                                                                        \
        st[sp - 1] = (isnan(a) || isnan(b)) ? NAN : (double)(EXPR);                            \
        break;                                                                                 \
    case OPK:                                                                                  \
        b = k[in->a];                                                                          \
        a = st[sp - 1];                                                                        \
        st[sp - 1] = (isnan(a) || isnan(b)) ? NAN : (double)(EXPR);                            \
        break;
        CMP(OP_EQ, OP_EQK, a == b)
        CMP(OP_NE, OP_NEK, a != b)
        CMP(OP_LT, OP_LTK, a < b)
        CMP(OP_LE, OP_LEK, a <= b)
        CMP(OP_GT, OP_GTK, a > b)
        CMP(OP_GE, OP_GEK, a >= b)
#undef CMP
        case OP_LT3:
        case OP_LE3: {
            double hi = st[--sp];
            x = st[--sp];
            double lo = st[sp - 1];
            if (isnan(lo) || isnan(x) || isnan(hi))
                st[sp - 1] = NAN;
            else if (in->op == OP_LT3)
                st[sp - 1] = lo < x && x < hi;
            else
                st[sp - 1] = lo <= x && x <= hi;
            break;
        }
        case OP_NOT:
            x = st[sp - 1];
            st[sp - 1] = isnan(x) ? NAN : (double)(x == 0);
            break;
        case OP_TRUTH:
            x = st[sp - 1];
            st[sp - 1] = isnan(x) ? NAN : (double)(x != 0);
            break;
        case OP_AND: /* Kleene: false wins, then missing */
            x = st[--sp];
            if (x == 0) {
                st[sp - 1] = 0;
                ip = (size_t)in->a;
            } else if (isnan(x)) {
                st[sp - 1] = NAN;
            }
            break;
        case OP_OR: /* Kleene: true wins, then missing */
            x = st[--sp];
            if (isnan(x)) {
                st[sp - 1] = NAN;
            } else if (x != 0) {
                st[sp - 1] = 1;
                ip = (size_t)in->a;
            }
            break;
        case OP_COND:
            x = st[--sp];
            if (isnan(x)) {
                st[sp++] = NAN;
                ip = (size_t)in->b;
            } else if (x == 0) {
                ip = (size_t)in->a;
            }
            break;
        case OP_JUMP:
            ip = (size_t)in->a;
            break;
        case OP_ADD:
            b = st[--sp];
            st[sp - 1] = finite_or_missing(st[sp - 1] + b);
            break;
        case OP_ADDK:
            st[sp - 1] = finite_or_missing(st[sp - 1] + k[in->a]);
            break;
        case OP_SUB:
            b = st[--sp];
            st[sp - 1] = finite_or_missing(st[sp - 1] - b);
            break;
        case OP_SUBK:
            st[sp - 1] = finite_or_missing(st[sp - 1] - k[in->a]);
            break;
        case OP_MUL:
            b = st[--sp];
            st[sp - 1] = finite_or_missing(st[sp - 1] * b);
            break;
        case OP_MULK:
            st[sp - 1] = finite_or_missing(st[sp - 1] * k[in->a]);
            break;
        case OP_DIV:
            b = st[--sp];
            st[sp - 1] = b == 0 ? NAN : finite_or_missing(st[sp - 1] / b);
            break;
        case OP_DIVK:
            b = k[in->a];
            st[sp - 1] = b == 0 ? NAN : finite_or_missing(st[sp - 1] / b);
            break;
        case OP_MOD:
            b = st[--sp];
            st[sp - 1] = b == 0 ? NAN : fmod(st[sp - 1], b);
            break;
        case OP_MIN:
        case OP_MAX:
            b = st[--sp];
            a = st[sp - 1];
            if (isnan(a) || isnan(b))
                st[sp - 1] = NAN;
            else
                st[sp - 1] = in->op == OP_MIN ? (b < a ? b : a) : (b > a ? b : a);
            break;
        case OP_NEG:
            st[sp - 1] = -st[sp - 1];
            break;
        case OP_TONUM:
            break;
        case OP_IN:
            x = st[sp - 1];
            if (!isnan(x)) {
                const double *list = k + in->a;
                double found = 0;
                for (int32_t j = 0; j < in->b; j++)
                    if (list[j] == x) {
                        found = 1;
                        break;
                    }
                st[sp - 1] = found;
            }
            break;
        case OP_MISSING:
        case OP_MISSING_SOME: {
            int32_t missing = 0;
            for (int32_t j = 0; j < in->b; j++)
                missing += isnan(ref_value(&c->refs[in->a + j], v, i, m)) ? 1 : 0;
            if (in->op == OP_MISSING)
                st[sp++] = missing;
            else
                st[sp++] = (in->b - missing >= in->c) ? 0.0 : (double)missing;
            break;
        }
        case OP_LOOP:
            m = v->member_offsets[i];
            mend = v->member_offsets[i + 1];
            if (m >= mend)
                ip = (size_t)in->a;
            break;
        case OP_NEXT:
            if (++m < mend)
                ip = (size_t)in->a;
            break;
        case OP_SKIP:
            x = st[--sp];
            if (isnan(x) || x == 0)
                ip = (size_t)in->a;
            break;
        case OP_COUNT:
            x = st[--sp];
            st[sp - 1] = isnan(x) ? NAN : st[sp - 1] + (x != 0);
            break;
        case OP_STORE:
            st[sp - 2] = st[sp - 1];
            sp--;
            break;
        case OP_END:
            return st[sp - 1];
#if defined(__GNUC__)
        default: /* the compiler emits only the ops above: no range check */
            __builtin_unreachable();
#else
        default:
            return NAN;
#endif
        }
    }
}

uint8_t povi_condition_state_of(const pov_condition *c, double v) {
    if (isnan(v))
        return POV_COND_MISSING;
    if (c->result_type == POVI_T_BOOLEAN)
        return v != 0 ? POV_COND_TRUE : POV_COND_FALSE;
    return POV_COND_VALUE;
}

double povi_condition_eval_view(const pov_condition *c, const povi_colview *v, size_t i) {
    return run(c, v, i);
}

/* ---- block evaluation ---------------------------------------------------------
 *
 * Most programs are evaluated BLK households at a time: every instruction
 * runs a tight loop over the block, on a stack of blocks, so the dispatch
 * cost is paid once per block instead of once per household. Each loop
 * applies exactly the scalar expression of run() to each household, so the
 * results are bit-identical to run(). Control flow has no short cut over a
 * block; instead every instruction runs over every row and the jumps become
 * combinations whose result is, row by row, what run()'s jump gives:
 *
 *  - `and` / `or` (OP_AND / OP_OR outside a loop step): every operand is
 *    evaluated and folded into the accumulator with the Kleene rule (and:
 *    false if either is false, else missing if either is missing, else the
 *    accumulator). run() stops at the first false (true) operand; the later
 *    operands cannot change a false (true) accumulator under this rule, so
 *    the result is the same.
 *  - `if` (OP_COND ... OP_JUMP ... else): each row carries "undecided" and a
 *    result; a missing condition decides missing, a true one selects its
 *    branch value at the branch's OP_JUMP, and the undecided rows take the
 *    else value at the end.
 *  - a default (OP_DEFAULT): the value stays on the stack, the default is
 *    evaluated above it, and at the end the default replaces missing values.
 *  - member loops (`count`/`some`/`all`/`none`, with filters): the filter
 *    conditions and the body are evaluated over the member rows of the
 *    block, BLK rows at a time; each member is classified (filtered out /
 *    false / true / missing) and the classes are folded per household into
 *    counts and flags. run()'s steps are order-independent folds (a count
 *    that becomes missing stays missing; `all` is false if any member is
 *    false, else missing if any is missing; `some` likewise with true), so
 *    the result is the same as its member-by-member walk.
 *
 * Not block-evaluated (run() one household at a time): `reduce` (OP_SLOT,
 * OP_STORE), household-level reads and `members.N` inside a loop body, and
 * programs needing more than BLK_STACK value blocks or BLK_PEND nested
 * if/default. plan_range() checks the shape once, at compile time. */
#define BLK 256
#define BLK_STACK 8
#define BLK_PEND 6
#define BLK_SEGS 8 /* filter conditions + body of one loop */

enum { PEND_IF, PEND_DEFAULT };

/* The filter conditions and the body of the loop at @p lp: segments
 * [seg[k], seg[k + 1] - 1) for k < n, the last ending at the step. Returns
 * the number of segments, or 0 if the loop has not the expected shape. */
static int loop_segments(const pov_condition *c, size_t lp, size_t *seg) {
    const povi_insn *L = &c->code[lp];
    if (L->a < 3 || (size_t)L->a > c->n_code || (size_t)L->a - 2 <= lp)
        return 0;
    size_t next = (size_t)L->a - 1, step = next - 1;
    if (c->code[next].op != OP_NEXT || c->code[next].a != (int32_t)(lp + 1))
        return 0;
    int sop = c->code[step].op;
    if (sop != OP_COUNT && sop != OP_AND && sop != OP_OR)
        return 0;
    int n = 0;
    seg[n++] = lp + 1;
    for (size_t q = lp + 1; q < step; q++) {
        if (c->code[q].op != OP_SKIP)
            continue;
        if (n >= BLK_SEGS || c->code[q].a != (int32_t)next)
            return 0;
        seg[n++] = q + 1;
    }
    seg[n] = step + 1; /* the body ends at the step (seg[n] - 1) */
    return n;
}

/* 1 if run_block() can evaluate code[ip0, stop) over household rows
 * (@p member 0) or member rows of a loop body (@p member 1), leaving one
 * value. Mirrors run_block()'s stack and pending-structure bookkeeping. */
static int plan_range(const pov_condition *c, size_t ip0, size_t stop, int member) {
    int sp = 0, np = 0;
    size_t pend_end[BLK_PEND];
    int pend_kind[BLK_PEND], pend_base[BLK_PEND];
    for (size_t ip = ip0;; ip++) {
        while (np > 0 && pend_end[np - 1] == ip) {
            np--;
            if (pend_kind[np] == PEND_IF) {
                if (sp != pend_base[np] + 1)
                    return 0;
            } else {
                if (sp != pend_base[np] + 2)
                    return 0;
                sp--;
            }
        }
        if (ip >= stop)
            return ip == stop && np == 0 && sp == 1;
        if (np > 0 && pend_end[np - 1] < ip)
            return 0;
        const povi_insn *in = &c->code[ip];
        int need = 0, push = 0; /* operands, results */
        switch ((povi_op)in->op) {
        case OP_PUSH:
            push = 1;
            break;
        case OP_HNUM: case OP_HCAT: case OP_KNUM: case OP_KCAT:
            if (member)
                return 0;
            push = 1;
            break;
        case OP_MNUM: case OP_MCAT:
            if (!member)
                return 0;
            push = 1;
            break;
        case OP_MISSING: case OP_MISSING_SOME:
            if (member)
                return 0;
            for (int32_t j = 0; j < in->b; j++)
                if (c->refs[in->a + j].level == 1)
                    return 0;
            push = 1;
            break;
        case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE:
        case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV: case OP_MOD: case OP_MIN: case OP_MAX:
            need = 2, push = 1;
            break;
        case OP_EQK: case OP_NEK: case OP_LTK: case OP_LEK: case OP_GTK: case OP_GEK:
        case OP_ADDK: case OP_SUBK: case OP_MULK: case OP_DIVK:
        case OP_NOT: case OP_TRUTH: case OP_NEG: case OP_TONUM: case OP_IN:
            need = 1, push = 1;
            break;
        case OP_LT3: case OP_LE3:
            need = 3, push = 1;
            break;
        case OP_AND: case OP_OR: /* a chain (a loop step ends a body: never reached) */
            if (in->a <= (int32_t)ip || (size_t)in->a > stop ||
                (ip + 1 < c->n_code && c->code[ip + 1].op == OP_NEXT))
                return 0;
            need = 2, push = 1;
            break;
        case OP_COND:
            if (sp < 1 || in->a <= (int32_t)ip || in->b <= (int32_t)ip || (size_t)in->b > stop)
                return 0;
            sp--;
            if (!(np > 0 && pend_kind[np - 1] == PEND_IF && pend_end[np - 1] == (size_t)in->b &&
                  pend_base[np - 1] == sp)) {
                if (np >= BLK_PEND)
                    return 0;
                pend_kind[np] = PEND_IF, pend_end[np] = (size_t)in->b, pend_base[np] = sp;
                np++;
            }
            break;
        case OP_JUMP:
            if (np == 0 || pend_kind[np - 1] != PEND_IF || pend_end[np - 1] != (size_t)in->a ||
                sp != pend_base[np - 1] + 1)
                return 0;
            sp--;
            break;
        case OP_DEFAULT:
            if (sp < 1 || np >= BLK_PEND || in->a <= (int32_t)ip + 1 || (size_t)in->a > stop)
                return 0;
            pend_kind[np] = PEND_DEFAULT, pend_end[np] = (size_t)in->a, pend_base[np] = sp - 1;
            np++;
            break;
        case OP_LOOP: {
            size_t seg[BLK_SEGS + 1];
            int ns = member || sp < 1 ? 0 : loop_segments(c, ip, seg);
            if (ns == 0 || (size_t)in->a > stop || (np > 0 && pend_end[np - 1] < (size_t)in->a))
                return 0;
            for (int s = 0; s < ns; s++)
                if (!plan_range(c, seg[s], seg[s + 1] - 1, 1))
                    return 0;
            ip = (size_t)in->a - 1; /* the loop leaves the accumulator in place */
            break;
        }
        default: /* OP_SLOT, OP_STORE, OP_SKIP, OP_NEXT, OP_COUNT, OP_END out of place */
            return 0;
        }
        if (sp < need)
            return 0;
        sp += push - need;
        if (sp > BLK_STACK)
            return 0;
    }
}

int povi_condition_plan_block(const pov_condition *c) {
    return c->n_code > 0 && c->code[c->n_code - 1].op == OP_END &&
           plan_range(c, 0, c->n_code - 1, 0);
}

int povi_condition_blockable(const pov_condition *c) { return c->block; }

POVI_SIMD_CLONES
static void run_block(const pov_condition *c, const povi_colview *v, size_t ip0, size_t stop,
                      size_t i0, size_t m, double *out);

/* The list of OP_IN @p in as a bit set of codes, if every entry is a whole
 * number in 0 .. 63. */
static int code_set(const pov_condition *c, const povi_insn *in, uint64_t *set) {
    uint64_t s = 0;
    for (int32_t q = 0; q < in->b; q++) {
        double x = c->k[in->a + q];
        if (!(x >= 0 && x < 64) || x != (double)(int)x)
            return 0;
        s |= (uint64_t)1 << (int)x;
    }
    *set = s;
    return 1;
}


/* The member loop at @p lp over the households [i0, i0 + m): the filter
 * conditions and the body are evaluated over the member rows BLK at a time,
 * each member is classified, and the classes are folded into each
 * household's accumulator @p acc (see the comment above). */
POVI_SIMD_CLONES
static void run_loop(const pov_condition *c, const povi_colview *v, size_t lp, size_t i0,
                     size_t m, double *acc) {
    const size_t *off = v->member_offsets;
    size_t seg[BLK_SEGS + 1];
    int ns = loop_segments(c, lp, seg); /* > 0: checked by plan_range() */
    int step = c->code[seg[ns] - 1].op;
    if (ns == 1 && step == OP_COUNT && seg[1] == seg[0] + 2 && c->code[seg[0]].op == OP_PUSH &&
        !isnan(c->k[c->code[seg[0]].a]) && c->k[c->code[seg[0]].a] != 0) {
        /* count of all members: run() adds 1 per member to the accumulator */
        for (size_t h = 0; h < m; h++) {
            size_t nm = off[i0 + h + 1] - off[i0 + h];
            acc[h] = nm ? acc[h] + (double)nm : acc[h];
        }
        return;
    }
    /* Each kept member is true, false or missing. Running counts of the
     * three classes are taken over the member rows; a household's classes
     * are the differences of the counts at its two boundaries. No branch
     * depends on how many members a household has. Within a chunk the three
     * counts are packed into one word (fields of 21 bits, a chunk has at
     * most BLK rows); the totals before the chunk are kept apart. */
    enum { FB = 21 };
    const uint64_t fmask = ((uint64_t)1 << FB) - 1;
    uint32_t bt[BLK + 1], bf[BLK + 1], bm[BLK + 1]; /* counts at household boundaries */
    uint64_t pc[BLK + 1];                            /* packed counts before each row */
    uint8_t keep[BLK];
    double x[BLK];
    uint32_t ct = 0, cf = 0, cm = 0; /* totals before the chunk */
    /* A body that is one member column compared with a constant (or a code
     * `in` a set of codes), without filters: each member is classified
     * straight from the column, as run_block() then the classification
     * below would (the constant is not missing: checked here). */
    enum { BODY_BLOCK, BODY_NUM, BODY_CAT, BODY_CODESET } body = BODY_BLOCK;
    const povi_insn *bi = &c->code[seg[0]];
    double kb = 0;
    uint64_t set = 0;
    if (ns == 1 && seg[1] == seg[0] + 3) {
        int cmpk = bi[1].op >= OP_EQK && bi[1].op <= OP_GEK && !isnan(c->k[bi[1].a]);
        if (cmpk)
            kb = c->k[bi[1].a];
        if (bi[0].op == OP_MNUM && v->num[bi[0].a] && cmpk)
            body = BODY_NUM;
        else if (bi[0].op == OP_MCAT && v->cat[bi[0].a] && cmpk)
            body = BODY_CAT;
        else if (bi[0].op == OP_MCAT && v->cat[bi[0].a] && bi[1].op == OP_IN &&
                 code_set(c, &bi[1], &set))
            body = BODY_CODESET;
    }
    size_t r0 = off[i0], r1 = off[i0 + m], j = 0;
    while (j <= m && off[i0 + j] == r0) /* households before the first member row */
        bt[j] = bf[j] = bm[j] = 0, j++;
    for (size_t cb = r0; cb < r1; cb += BLK) {
        size_t mr = r1 - cb < BLK ? r1 - cb : BLK;
        uint64_t q = 0;
        /* NaN != 0 holds, so "not 0 and not missing" is nz ^ miss */
#define CLASSIFY(KP)                                                                          \
    for (size_t r = 0; r < mr; r++) {                                                         \
        double y = x[r];                                                                      \
        uint64_t kp = (KP), miss = y != y, nz = y != 0;                                       \
        pc[r] = q;                                                                            \
        q += kp * ((nz ^ miss) | (nz ^ 1u) << FB | miss << (2 * FB));                         \
    }
        /* e: the comparison holds; miss: the value is missing */
#define DIRECT(LOAD, MISS, EXPR)                                                              \
    for (size_t r = 0; r < mr; r++) {                                                         \
        LOAD;                                                                                 \
        uint64_t miss = (MISS), e = (EXPR);                                                   \
        pc[r] = q;                                                                            \
        q += (e & (miss ^ 1u)) | ((e ^ 1u) & (miss ^ 1u)) << FB | miss << (2 * FB);            \
    }
#define DIRECT_CMP(LOAD, MISS)                                                                \
    switch ((povi_op)bi[1].op) {                                                              \
    case OP_EQK: DIRECT(LOAD, MISS, a == kb) break;                                           \
    case OP_NEK: DIRECT(LOAD, MISS, a != kb) break;                                           \
    case OP_LTK: DIRECT(LOAD, MISS, a < kb) break;                                            \
    case OP_LEK: DIRECT(LOAD, MISS, a <= kb) break;                                           \
    case OP_GTK: DIRECT(LOAD, MISS, a > kb) break;                                            \
    default: DIRECT(LOAD, MISS, a >= kb) break;                                               \
    }
        if (body == BODY_NUM) {
            const double *col = v->num[bi[0].a] + cb;
            DIRECT_CMP(double a = col[r], a != a)
        } else if (body == BODY_CAT) {
            const int32_t *col = v->cat[bi[0].a] + cb;
            DIRECT_CMP(int32_t xi = col[r]; double a = (double)xi, xi < 0)
        } else if (body == BODY_CODESET) {
            const int32_t *col = v->cat[bi[0].a] + cb;
            DIRECT(int32_t xi = col[r], xi < 0,
                   (uint32_t)xi < 64 ? (set >> ((uint32_t)xi & 63u)) & 1u : 0)
        } else if (ns == 1) { /* no filter: every member is kept */
            run_block(c, v, seg[0], seg[1] - 1, cb, mr, x);
            CLASSIFY(1u)
        } else {
            memset(keep, 1, mr);
            for (int s = 0; s + 1 < ns; s++) { /* filters: keep members whose condition is true */
                run_block(c, v, seg[s], seg[s + 1] - 1, cb, mr, x);
                for (size_t r = 0; r < mr; r++) {
                    double y = x[r];
                    keep[r] &= (uint8_t)((y != 0) ^ (y != y)); /* true: not 0, not missing */
                }
            }
            run_block(c, v, seg[ns - 1], seg[ns] - 1, cb, mr, x);
            CLASSIFY(keep[r])
        }
#undef CLASSIFY
#undef DIRECT_CMP
#undef DIRECT
        pc[mr] = q;
        /* the boundaries in (cb, cb + mr] */
        for (size_t e = cb + mr; j <= m && off[i0 + j] <= e; j++) {
            uint64_t p = pc[off[i0 + j] - cb];
            bt[j] = ct + (uint32_t)(p & fmask);
            bf[j] = cf + (uint32_t)(p >> FB & fmask);
            bm[j] = cm + (uint32_t)(p >> 2 * FB);
        }
        ct += (uint32_t)(q & fmask), cf += (uint32_t)(q >> FB & fmask), cm += (uint32_t)(q >> 2 * FB);
    }
    for (size_t h = 0; h < m; h++) {
        uint32_t nt = bt[h + 1] - bt[h];
        int anyf = bf[h + 1] != bf[h], anym = bm[h + 1] != bm[h];
        if (step == OP_COUNT) /* missing stays missing; integer counts are exact */
            acc[h] = anym ? NAN : acc[h] + (double)nt;
        else if (step == OP_AND) /* all: false wins, then missing */
            acc[h] = anyf ? 0 : anym ? NAN : acc[h];
        else /* some: true wins, then missing */
            acc[h] = nt ? 1 : anym ? NAN : acc[h];
    }
}

/* 1 if the instruction after @p ip can run fused with it: it is inside the
 * range and no if/default ends between them (@p pend_end: the innermost
 * pending end, 0 if none). */
static inline int fusible(const pov_condition *c, size_t ip, size_t stop, size_t pend_end) {
    (void)c;
    return ip + 1 < stop && pend_end != ip + 1;
}

/* 1 for the binary arithmetic operators arith2() takes. */
static inline int is_arith2(int op) {
    return op == OP_ADD || op == OP_SUB || op == OP_MUL || op == OP_DIV || op == OP_MIN ||
           op == OP_MAX;
}

/* d[j] = a[j] OP b[j] for j < m, with run()'s rules (an infinite result or a
 * division by zero is missing; min/max of a missing value is missing). @p d
 * may be @p a or @p b. */
POVI_SIMD_CLONES
static void arith2(int op, const double *a, const double *b, double *d, size_t m) {
    switch (op) {
#define A2(OP, EXPR)                                                                           \
    case OP:                                                                                   \
        for (size_t j = 0; j < m; j++) {                                                       \
            double x = a[j], y = b[j];                                                         \
            d[j] = EXPR;                                                                       \
        }                                                                                      \
        break;
        A2(OP_ADD, finite_or_missing(x + y))
        A2(OP_SUB, finite_or_missing(x - y))
        A2(OP_MUL, finite_or_missing(x * y))
        A2(OP_DIV, y == 0 ? NAN : finite_or_missing(x / y))
        A2(OP_MIN, (isnan(x) || isnan(y)) ? NAN : (y < x ? y : x))
        A2(OP_MAX, (isnan(x) || isnan(y)) ? NAN : (y > x ? y : x))
#undef A2
    default:
        break;
    }
}

/* d[j] = (column value OPK b) for j < m, missing when the value or b is:
 * LOAD reads row j of the column into `a`, MISS says it is missing. What the
 * column push then the comparison with a constant give. */
#define CMPK_LOOP(LOAD, MISS, EXPR)                                                          \
    for (size_t j = 0; j < m; j++) {                                                         \
        LOAD;                                                                                \
        d[j] = ((MISS) || isnan(b)) ? NAN : (double)(EXPR);                                  \
    }
#define CMPK_FROM_COLUMN(OPK, LOAD, MISS)                                                    \
    switch ((povi_op)(OPK)) {                                                                \
    case OP_EQK: CMPK_LOOP(LOAD, MISS, a == b) break;                                        \
    case OP_NEK: CMPK_LOOP(LOAD, MISS, a != b) break;                                        \
    case OP_LTK: CMPK_LOOP(LOAD, MISS, a < b) break;                                         \
    case OP_LEK: CMPK_LOOP(LOAD, MISS, a <= b) break;                                        \
    case OP_GTK: CMPK_LOOP(LOAD, MISS, a > b) break;                                         \
    case OP_GEK: CMPK_LOOP(LOAD, MISS, a >= b) break;                                        \
    default: break;                                                                          \
    }

/* Evaluates code[ip0, stop) for rows [i0, i0 + m) (m <= BLK; household rows,
 * or member rows of a loop body) into out[0 .. m-1]. The shape was checked
 * by plan_range(). */
POVI_SIMD_CLONES
static void run_block(const pov_condition *c, const povi_colview *v, size_t ip0, size_t stop,
                      size_t i0, size_t m, double *out) {
    /* the value blocks of the stack; the bottom one is @p out itself, where
     * the result is left (no copy at the end) */
    double stb[BLK_STACK - 1][BLK];
    double *st[BLK_STACK];
    st[0] = out;
    for (int q = 1; q < BLK_STACK; q++)
        st[q] = stb[q - 1];
    double pres[BLK_PEND][BLK]; /* if: the result so far */
    uint8_t pund[BLK_PEND][BLK], psel[BLK_PEND][BLK]; /* if: undecided; branch selected */
    size_t pend_end[BLK_PEND];
    int pend_kind[BLK_PEND], pend_base[BLK_PEND];
    int np = 0;
    const double *k = c->k;
    int sp = 0;
    for (size_t ip = ip0;; ip++) {
        while (np > 0 && pend_end[np - 1] == ip) {
            np--;
            double *t = st[sp - 1];
            if (pend_kind[np] == PEND_IF) { /* undecided rows take the else value */
                const double *res = pres[np];
                const uint8_t *und = pund[np];
                for (size_t j = 0; j < m; j++)
                    t[j] = und[j] ? t[j] : res[j];
            } else { /* a default replaces a missing value */
                double *x = st[sp - 2];
                for (size_t j = 0; j < m; j++)
                    x[j] = isnan(x[j]) ? t[j] : x[j];
                sp--;
            }
        }
        if (ip == stop) {
            if (st[sp - 1] != out) /* plan_range() leaves one value: sp == 1 */
                memcpy(out, st[sp - 1], m * sizeof(double));
            return;
        }
        const povi_insn *in = &c->code[ip];
        double *t = sp > 0 ? st[sp - 1] : NULL; /* top */
        double *u = sp > 1 ? st[sp - 2] : NULL; /* below the top */
        switch ((povi_op)in->op) {
        case OP_PUSH: {
            double x = k[in->a];
            const povi_insn *n3 = &c->code[ip + 1];
            size_t pe = np ? pend_end[np - 1] : 0;
            if (ip + 3 < stop && pe != ip + 1 && pe != ip + 2 && pe != ip + 3 &&
                (n3[0].op == OP_HNUM || n3[0].op == OP_MNUM) && v->num[n3[0].a] &&
                n3[1].op == OP_PUSH && (n3[2].op == OP_LT3 || n3[2].op == OP_LE3)) {
                /* lo <(=) column <(=) hi with constant bounds: from the column */
                const double *col = v->num[n3[0].a] + i0;
                double lo = x, hi = k[n3[1].a];
                double *d = st[sp];
                if (isnan(lo) || isnan(hi))
                    for (size_t j = 0; j < m; j++)
                        d[j] = NAN;
                else if (n3[2].op == OP_LT3)
                    for (size_t j = 0; j < m; j++) {
                        double y = col[j];
                        d[j] = isnan(y) ? NAN : (double)(lo < y && y < hi);
                    }
                else
                    for (size_t j = 0; j < m; j++) {
                        double y = col[j];
                        d[j] = isnan(y) ? NAN : (double)(lo <= y && y <= hi);
                    }
                sp++;
                ip += 3;
                break;
            }
            if (sp > 0 && fusible(c, ip, stop, pe) &&
                (c->code[ip + 1].op == OP_MIN || c->code[ip + 1].op == OP_MAX)) {
                /* min/max of the value on the stack and a constant (what
                 * arith2() gives with a block of the constant) */
                int mx = c->code[ip + 1].op == OP_MAX;
                for (size_t j = 0; j < m; j++) {
                    double a = t[j];
                    t[j] = (isnan(a) || isnan(x)) ? NAN : mx ? (x > a ? x : a) : (x < a ? x : a);
                }
                ip++;
                break;
            }
            for (size_t j = 0; j < m; j++)
                st[sp][j] = x;
            sp++;
            break;
        }
        case OP_HNUM: /* household rows, or member rows in a loop body */
        case OP_MNUM: {
            const double *col = v->num[in->a];
            if (col && fusible(c, ip, stop, np ? pend_end[np - 1] : 0) &&
                c->code[ip + 1].op >= OP_EQK && c->code[ip + 1].op <= OP_GEK) {
                /* a column compared with a constant: straight from the column */
                double b = k[c->code[ip + 1].a];
                double *d = st[sp];
                const double *x = col + i0;
                CMPK_FROM_COLUMN(c->code[ip + 1].op, double a = x[j], isnan(a));
                sp++;
                ip++;
                break;
            }
            size_t pe = np ? pend_end[np - 1] : 0;
            if (col && sp > 0 && fusible(c, ip, stop, pe) && is_arith2(c->code[ip + 1].op)) {
                /* (value on the stack) OP column: the column is read in place */
                arith2(c->code[ip + 1].op, t, col + i0, t, m);
                ip++;
                break;
            }
            const povi_insn *n2 = &c->code[ip + 1];
            if (col && ip + 2 < stop && pe != ip + 1 && pe != ip + 2 &&
                (n2[0].op == OP_HNUM || n2[0].op == OP_MNUM) && v->num[n2[0].a] &&
                is_arith2(n2[1].op)) {
                /* column OP column: both read in place */
                arith2(n2[1].op, col + i0, v->num[n2[0].a] + i0, st[sp], m);
                sp++;
                ip += 2;
                break;
            }
            if (col)
                memcpy(st[sp], col + i0, m * sizeof(double));
            else
                for (size_t j = 0; j < m; j++)
                    st[sp][j] = NAN;
            sp++;
            break;
        }
        case OP_HCAT:
        case OP_MCAT: {
            const int32_t *col = v->cat[in->a];
            uint64_t set;
            if (col && fusible(c, ip, stop, np ? pend_end[np - 1] : 0) &&
                c->code[ip + 1].op == OP_IN && code_set(c, &c->code[ip + 1], &set)) {
                /* a code `in` a list of codes: a bit test on the column (what
                 * cat_at() then OP_IN give: missing stays missing) */
                for (size_t j = 0; j < m; j++) {
                    int32_t x = col[i0 + j];
                    st[sp][j] = x < 0 ? NAN : (double)(x < 64 && ((set >> x) & 1u));
                }
                sp++;
                ip++;
                break;
            }
            if (col && fusible(c, ip, stop, np ? pend_end[np - 1] : 0) &&
                c->code[ip + 1].op >= OP_EQK && c->code[ip + 1].op <= OP_GEK) {
                /* a code compared with a constant (what cat_at() then the
                 * comparison give): straight from the column */
                double b = k[c->code[ip + 1].a];
                double *d = st[sp];
                const int32_t *x = col + i0;
                CMPK_FROM_COLUMN(c->code[ip + 1].op, int32_t xi = x[j]; double a = (double)xi,
                                 xi < 0);
                sp++;
                ip++;
                break;
            }
            for (size_t j = 0; j < m; j++)
                st[sp][j] = cat_at(col, i0 + j);
            sp++;
            break;
        }
        case OP_KNUM:
        case OP_KCAT:
            for (size_t j = 0; j < m; j++) {
                size_t i = i0 + j, r = v->member_offsets[i] + (size_t)in->b;
                if (r >= v->member_offsets[i + 1])
                    st[sp][j] = NAN;
                else
                    st[sp][j] = in->op == OP_KNUM ? num_at(v->num[in->a], r)
                                                  : cat_at(v->cat[in->a], r);
            }
            sp++;
            break;
#define BCMP(OP, OPK, EXPR)                                                                    \
    case OP:                                                                                   \
        for (size_t j = 0; j < m; j++) {                                                       \
            double a = u[j], b = t[j];                                                         \
            u[j] = (isnan(a) || isnan(b)) ? NAN : (double)(EXPR);                              \
        }                                                                                      \
        sp--;                                                                                  \
        break;                                                                                 \
    case OPK: {                                                                                \
        double b = k[in->a];                                                                   \
        for (size_t j = 0; j < m; j++) {                                                       \
            double a = t[j];                                                                   \
            t[j] = (isnan(a) || isnan(b)) ? NAN : (double)(EXPR);                              \
        }                                                                                      \
        break;                                                                                 \
    }
        BCMP(OP_EQ, OP_EQK, a == b)
        BCMP(OP_NE, OP_NEK, a != b)
        BCMP(OP_LT, OP_LTK, a < b)
        BCMP(OP_LE, OP_LEK, a <= b)
        BCMP(OP_GT, OP_GTK, a > b)
        BCMP(OP_GE, OP_GEK, a >= b)
#undef BCMP
        case OP_LT3:
        case OP_LE3: {
            double *lo = st[sp - 3];
            for (size_t j = 0; j < m; j++) {
                double l = lo[j], x = u[j], h = t[j];
                if (isnan(l) || isnan(x) || isnan(h))
                    lo[j] = NAN;
                else if (in->op == OP_LT3)
                    lo[j] = l < x && x < h;
                else
                    lo[j] = l <= x && x <= h;
            }
            sp -= 2;
            break;
        }
        case OP_NOT:
            for (size_t j = 0; j < m; j++)
                t[j] = isnan(t[j]) ? NAN : (double)(t[j] == 0);
            break;
        case OP_TRUTH:
            for (size_t j = 0; j < m; j++)
                t[j] = isnan(t[j]) ? NAN : (double)(t[j] != 0);
            break;
        case OP_AND: /* Kleene, no short cut: false wins, then missing */
            for (size_t j = 0; j < m; j++) {
                double a = u[j], x = t[j];
                u[j] = (a == 0 || x == 0) ? 0 : (isnan(a) || isnan(x)) ? NAN : a;
            }
            sp--;
            break;
        case OP_OR: /* Kleene, no short cut: true wins, then missing */
            for (size_t j = 0; j < m; j++) {
                double a = u[j], x = t[j];
                int ta = !isnan(a) && a != 0, tx = !isnan(x) && x != 0;
                u[j] = (ta || tx) ? 1 : (isnan(a) || isnan(x)) ? NAN : a;
            }
            sp--;
            break;
        case OP_COND: {
            int q = np - 1;
            sp--;
            if (!(np > 0 && pend_kind[q] == PEND_IF && pend_end[q] == (size_t)in->b &&
                  pend_base[q] == sp)) { /* the first condition of an if */
                q = np++;
                pend_kind[q] = PEND_IF, pend_end[q] = (size_t)in->b, pend_base[q] = sp;
                memset(pund[q], 1, m);
                for (size_t j = 0; j < m; j++)
                    pres[q][j] = NAN;
            }
            double *res = pres[q];
            uint8_t *und = pund[q], *sel = psel[q];
            for (size_t j = 0; j < m; j++) {
                double x = t[j];
                int miss = und[j] && isnan(x);
                sel[j] = (uint8_t)(und[j] && !isnan(x) && x != 0);
                res[j] = miss ? NAN : res[j];
                und[j] = (uint8_t)(und[j] && !miss);
            }
            break;
        }
        case OP_JUMP: { /* end of a branch: the selected rows take its value */
            int q = np - 1;
            double *res = pres[q];
            uint8_t *und = pund[q];
            const uint8_t *sel = psel[q];
            for (size_t j = 0; j < m; j++) {
                res[j] = sel[j] ? t[j] : res[j];
                und[j] = (uint8_t)(und[j] && !sel[j]);
            }
            sp--;
            break;
        }
        case OP_DEFAULT: /* the value stays; its default is evaluated above it */
            pend_kind[np] = PEND_DEFAULT, pend_end[np] = (size_t)in->a, pend_base[np] = sp - 1;
            np++;
            break;
#define BARITH(OP, OPK, EXPR)                                                                  \
    case OP:                                                                                   \
        arith2(OP, u, t, u, m);                                                                \
        sp--;                                                                                  \
        break;                                                                                 \
    case OPK: {                                                                                \
        double b = k[in->a];                                                                   \
        for (size_t j = 0; j < m; j++) {                                                       \
            double a = t[j];                                                                   \
            t[j] = EXPR;                                                                       \
        }                                                                                      \
        break;                                                                                 \
    }
        BARITH(OP_ADD, OP_ADDK, finite_or_missing(a + b))
        BARITH(OP_SUB, OP_SUBK, finite_or_missing(a - b))
        BARITH(OP_MUL, OP_MULK, finite_or_missing(a * b))
        BARITH(OP_DIV, OP_DIVK, b == 0 ? NAN : finite_or_missing(a / b))
#undef BARITH
        case OP_MOD:
            for (size_t j = 0; j < m; j++)
                u[j] = t[j] == 0 ? NAN : fmod(u[j], t[j]);
            sp--;
            break;
        case OP_MIN:
        case OP_MAX:
            arith2(in->op, u, t, u, m);
            sp--;
            break;
        case OP_NEG:
            for (size_t j = 0; j < m; j++)
                t[j] = -t[j];
            break;
        case OP_TONUM:
            break;
        case OP_IN: { /* no early exit: the same answer, without a branch per entry */
            const double *list = k + in->a;
            const int32_t nl = in->b;
            for (size_t j = 0; j < m; j++) {
                double x = t[j];
                int found = 0;
                for (int32_t q = 0; q < nl; q++)
                    found |= list[q] == x;
                t[j] = isnan(x) ? x : (double)found;
            }
            break;
        }
        case OP_MISSING:
        case OP_MISSING_SOME:
            for (size_t j = 0; j < m; j++) {
                int32_t missing = 0;
                for (int32_t q = 0; q < in->b; q++)
                    missing += isnan(ref_value(&c->refs[in->a + q], v, i0 + j, 0)) ? 1 : 0;
                if (in->op == OP_MISSING)
                    st[sp][j] = missing;
                else
                    st[sp][j] = (in->b - missing >= in->c) ? 0.0 : (double)missing;
            }
            sp++;
            break;
        case OP_LOOP: /* checked by plan_range(): LOOP filters body step NEXT */
            run_loop(c, v, ip, i0, m, t);
            ip = (size_t)in->a - 1;
            break;
        default: /* excluded by plan_range() */
            for (size_t j = 0; j < m; j++)
                out[j] = NAN;
            return;
        }
    }
}

void povi_condition_eval_batch(const pov_condition *c, const povi_colview *v, size_t begin,
                               size_t end, double *values, uint8_t *states) {
    if (end > begin && c->block) {
        double buf[BLK];
        for (size_t b0 = begin; b0 < end; b0 += BLK) {
            size_t m = end - b0 < BLK ? end - b0 : BLK;
            double *out = values ? values + (b0 - begin) : buf;
            run_block(c, v, 0, c->n_code - 1, b0, m, out);
            if (states) { /* povi_condition_state_of(), without a call and a branch per row */
                int boolean = c->result_type == POVI_T_BOOLEAN;
                uint8_t st_true = boolean ? POV_COND_TRUE : POV_COND_VALUE;
                uint8_t st_false = boolean ? POV_COND_FALSE : POV_COND_VALUE;
                uint8_t *sj = states + (b0 - begin);
                for (size_t j = 0; j < m; j++) {
                    double x = out[j];
                    uint8_t s = x != 0 ? st_true : st_false;
                    sj[j] = x != x ? (uint8_t)POV_COND_MISSING : s;
                }
            }
        }
        return;
    }
    povi_condition_eval_scalar(c, v, begin, end, values, states);
}

void povi_condition_eval_scalar(const pov_condition *c, const povi_colview *v, size_t begin,
                                size_t end, double *values, uint8_t *states) {
    for (size_t i = begin; i < end; i++) {
        double x = run(c, v, i);
        if (values)
            values[i - begin] = x;
        if (states)
            states[i - begin] = povi_condition_state_of(c, x);
    }
}

/* The view must come from the schema the condition was compiled with, or
 * from any schema when the condition reads only core indicators (their
 * indices are the same in every schema). */
static int check_schema(const pov_condition *c, const pov_schema *s) {
    if (!c->schema || c->schema == s)
        return 0;
    if (c->n_inputs == 0 || c->inputs[c->n_inputs - 1] < (int32_t)POVI_CORE_COUNT)
        return 0;
    return povi_error(POV_EINVAL,
                      "the condition was compiled against schema '%s' and reads its extension "
                      "indicators; the data uses schema '%s'",
                      pov_schema_name(c->schema), pov_schema_name(s));
}

int pov_condition_eval_household(const pov_condition *cond, const pov_household *h,
                                 double *value_out, int *state_out) {
    if (!cond || !h)
        return povi_error(POV_EINVAL, "pov_condition_eval_household: NULL argument");
    povi_colview v;
    povi_household_colview(h, &v);
    int rc = check_schema(cond, v.schema);
    if (rc < 0)
        return rc;
    double x = run(cond, &v, 0);
    if (value_out)
        *value_out = x;
    if (state_out)
        *state_out = povi_condition_state_of(cond, x);
    return 0;
}

int pov_condition_eval_dataset(const pov_condition *cond, const pov_dataset *ds,
                               double *values_out, uint8_t *states_out) {
    if (!cond || !ds)
        return povi_error(POV_EINVAL, "pov_condition_eval_dataset: NULL argument");
    povi_colview v;
    povi_dataset_colview(ds, &v);
    int rc = check_schema(cond, v.schema);
    if (rc < 0)
        return rc;
    povi_condition_eval_batch(cond, &v, 0, v.n_households, values_out, states_out);
    return 0;
}

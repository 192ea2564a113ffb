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
 * A program without jumps or member loops (comparisons of indicators with
 * constants, arithmetic, `in`, `missing` of household-level references: the
 * common shapes of scorecard expressions and vetoes) is evaluated BLK
 * households at a time: every instruction runs a tight loop over the block,
 * on a stack of blocks, so the dispatch cost is paid once per block instead
 * of once per household. Each loop applies exactly the scalar expression of
 * run() to each household, so the results are bit-identical to run().
 * Programs with jumps (and/or/if/default) or member loops, or needing more
 * than BLK_STACK slots, go through run() one household at a time. */
#define BLK 256
#define BLK_STACK 8

static int block_ok(const pov_condition *c) {
    if (c->max_stack > BLK_STACK)
        return 0;
    int in_loop = 0;
    for (size_t p = 0; p < c->n_code; p++) {
        const povi_insn *in = &c->code[p];
        switch ((povi_op)in->op) {
        case OP_DEFAULT: case OP_COND: case OP_JUMP: case OP_SKIP: case OP_STORE: case OP_SLOT:
            return 0;
        case OP_LOOP: {
            /* only LOOP body... COUNT|AND|OR NEXT, with a jump-free body */
            size_t q = p + 1;
            while (q < c->n_code && c->code[q].op != OP_COUNT && c->code[q].op != OP_AND &&
                   c->code[q].op != OP_OR && c->code[q].op != OP_NEXT && c->code[q].op != OP_LOOP)
                q++;
            if (in_loop || q + 1 >= c->n_code || c->code[q].op == OP_NEXT ||
                c->code[q].op == OP_LOOP || c->code[q + 1].op != OP_NEXT ||
                c->code[q + 1].a != (int32_t)(p + 1) || in->a != (int32_t)(q + 2) ||
                (c->code[q].op != OP_COUNT && c->code[q].a != (int32_t)(q + 2)))
                return 0;
            in_loop = 1;
            break;
        }
        case OP_COUNT: case OP_AND: case OP_OR: /* the step of a loop checked above */
            if (!in_loop)
                return 0;
            break;
        case OP_NEXT:
            in_loop = 0;
            break;
        case OP_MNUM: case OP_MCAT:
            if (!in_loop)
                return 0;
            break;
        case OP_HNUM: case OP_HCAT: case OP_KNUM: case OP_KCAT:
            if (in_loop)
                return 0;
            break;
        case OP_MISSING:
        case OP_MISSING_SOME:
            if (in_loop)
                return 0;
            for (int32_t j = 0; j < in->b; j++)
                if (c->refs[in->a + j].level == 1)
                    return 0;
            break;
        default:
            break;
        }
    }
    return 1;
}

static void run_block(const pov_condition *c, const povi_colview *v, size_t ip0, size_t i0,
                      size_t m, int member, double *out);

/* A member loop (count, some, all, none) over the households [i0, i0 + m):
 * the body, from @p body, is evaluated over their member rows BLK at a time;
 * then each household's members are folded into its accumulator @p acc in
 * order, exactly as run()'s OP_COUNT / OP_AND / OP_OR do (and/or stop at the
 * first decisive member). */
static void run_loop(const pov_condition *c, const povi_colview *v, size_t body, int step_op,
                     size_t i0, size_t m, double *acc) {
    const size_t *off = v->member_offsets;
    uint8_t done[BLK] = {0};
    double x[BLK];
    size_t r0 = off[i0], r1 = off[i0 + m], j = 0;
    for (size_t cb = r0; cb < r1; cb += BLK) {
        size_t mr = r1 - cb < BLK ? r1 - cb : BLK;
        run_block(c, v, body, cb, mr, 1, x);
        for (size_t r = cb; r < cb + mr; r++) {
            while (off[i0 + j + 1] <= r)
                j++;
            if (done[j])
                continue;
            double y = x[r - cb];
            if (step_op == OP_COUNT) {
                acc[j] = isnan(y) ? NAN : acc[j] + (y != 0);
            } else if (step_op == OP_AND) {
                if (y == 0) {
                    acc[j] = 0;
                    done[j] = 1;
                } else if (isnan(y)) {
                    acc[j] = NAN;
                }
            } else {
                if (isnan(y)) {
                    acc[j] = NAN;
                } else if (y != 0) {
                    acc[j] = 1;
                    done[j] = 1;
                }
            }
        }
    }
}

/* Evaluates rows [i0, i0 + m) (m <= BLK) from instruction @p ip0 into
 * out[0 .. m-1]: households up to OP_END, or (@p member) member rows of a
 * loop body up to its step (OP_COUNT, OP_AND or OP_OR). */
static void run_block(const pov_condition *c, const povi_colview *v, size_t ip0, size_t i0,
                      size_t m, int member, double *out) {
    double st[BLK_STACK][BLK];
    const double *k = c->k;
    int sp = 0;
    for (size_t ip = ip0;; ip++) {
        const povi_insn *in = &c->code[ip];
        double *t = sp > 0 ? st[sp - 1] : NULL; /* top */
        double *u = sp > 1 ? st[sp - 2] : NULL; /* below the top */
        switch ((povi_op)in->op) {
        case OP_PUSH: {
            double x = k[in->a];
            for (size_t j = 0; j < m; j++)
                st[sp][j] = x;
            sp++;
            break;
        }
        case OP_HNUM: /* household rows, or member rows in a loop body */
        case OP_MNUM: {
            const double *col = v->num[in->a];
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
#define BARITH(OP, OPK, EXPR)                                                                  \
    case OP:                                                                                   \
        for (size_t j = 0; j < m; j++) {                                                       \
            double a = u[j], b = t[j];                                                         \
            u[j] = EXPR;                                                                       \
        }                                                                                      \
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
            for (size_t j = 0; j < m; j++) {
                double a = u[j], b = t[j];
                if (isnan(a) || isnan(b))
                    u[j] = NAN;
                else
                    u[j] = in->op == OP_MIN ? (b < a ? b : a) : (b > a ? b : a);
            }
            sp--;
            break;
        case OP_NEG:
            for (size_t j = 0; j < m; j++)
                t[j] = -t[j];
            break;
        case OP_TONUM:
            break;
        case OP_IN: {
            const double *list = k + in->a;
            for (size_t j = 0; j < m; j++) {
                double x = t[j];
                if (!isnan(x)) {
                    double found = 0;
                    for (int32_t q = 0; q < in->b; q++)
                        if (list[q] == x) {
                            found = 1;
                            break;
                        }
                    t[j] = found;
                }
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
        case OP_LOOP: /* checked by block_ok(): LOOP body step NEXT */
            run_loop(c, v, ip + 1, c->code[in->a - 2].op, i0, m, t);
            ip = (size_t)in->a - 1;
            break;
        case OP_COUNT:
        case OP_AND:
        case OP_OR:
            if (member) {
                memcpy(out, t, m * sizeof(double));
                return;
            }
            goto fallback;
        case OP_END:
            memcpy(out, t, m * sizeof(double));
            return;
        default: /* excluded by block_ok() */
        fallback:
            for (size_t j = 0; j < m; j++)
                out[j] = run(c, v, i0 + j);
            return;
        }
    }
}

void povi_condition_eval_batch(const pov_condition *c, const povi_colview *v, size_t begin,
                               size_t end, double *values, uint8_t *states) {
    if (end > begin && block_ok(c)) {
        double buf[BLK];
        for (size_t b0 = begin; b0 < end; b0 += BLK) {
            size_t m = end - b0 < BLK ? end - b0 : BLK;
            double *out = values ? values + (b0 - begin) : buf;
            run_block(c, v, 0, b0, m, 0, out);
            if (states)
                for (size_t j = 0; j < m; j++)
                    states[b0 - begin + j] = povi_condition_state_of(c, out[j]);
        }
        return;
    }
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

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

void povi_condition_eval_batch(const pov_condition *c, const povi_colview *v, size_t begin,
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

/*
 * The condition language: compiler from JsonLogic-style JSON to a small
 * stack-machine program (condition_priv.h). Semantics: docs/conditions.md.
 * JsonLogic reference: https://jsonlogic.com/operations.html (read for the
 * operator set and argument forms; missing-value rules are our own).
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "condition_priv.h"

/* ------------------------------------------------------------------------ */
/* Compiler state                                                            */
/* ------------------------------------------------------------------------ */

#define MAX_SEGS (4 * POVI_COND_MAX_DEPTH + 16)
#define MAX_FILTERS (POVI_COND_MAX_DEPTH + 1)

typedef struct seg {
    const char *key; /* object key, or NULL for an array index */
    int index;
} seg;

typedef struct ty {
    int t;       /* povi_ctype */
    int32_t ind; /* indicator for CATEGORY / TEXT, else -1 */
} ty;

/* What a string literal is compared with (for code resolution). */
typedef struct hint {
    int t;            /* POVI_T_CATEGORY / POVI_T_TEXT, or POVI_T_ANY for none */
    int32_t ind;
    const char *name; /* indicator id as written */
} hint;

static const hint NO_HINT = {POVI_T_ANY, -1, NULL};

typedef struct comp {
    const povi_cond_resolver *r;
    const povi_json_src *src;
    seg segs[MAX_SEGS];
    int n_segs;
    int depth;
    int sp, max_sp;
    int in_loop;   /* inside a member quantifier */
    int acc_slot;  /* stack slot of the reduce accumulator, -1 outside reduce */

    povi_insn *code;
    size_t n_code, cap_code;
    double *k;
    size_t n_k, cap_k;
    povi_ref *refs;
    size_t n_refs, cap_refs;
    int32_t *inputs;
    size_t n_inputs, cap_inputs;
} comp;

/* Resolved variable. */
typedef struct varref {
    povi_cond_ind ind;
    int kind; /* 0 household, 1 current member, 2 member number `member`, 3 accumulator */
    int32_t member;
} varref;

/* ------------------------------------------------------------------------ */
/* Paths and errors                                                          */
/* ------------------------------------------------------------------------ */

static int push_key(comp *c, const char *key) {
    if (c->n_segs >= MAX_SEGS)
        return 0;
    c->segs[c->n_segs].key = key;
    c->segs[c->n_segs].index = 0;
    c->n_segs++;
    return 1;
}

static int push_index(comp *c, int i) {
    if (c->n_segs >= MAX_SEGS)
        return 0;
    c->segs[c->n_segs].key = NULL;
    c->segs[c->n_segs].index = i;
    c->n_segs++;
    return 1;
}

static void build_path(const comp *c, char *buf, size_t cap) {
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < c->n_segs && n + 1 < cap; i++) {
        int w;
        if (c->segs[i].key)
            w = snprintf(buf + n, cap - n, "%s%s", n ? "." : "", c->segs[i].key);
        else
            w = snprintf(buf + n, cap - n, "[%d]", c->segs[i].index);
        if (w < 0)
            break;
        n += (size_t)w;
        if (n >= cap)
            n = cap - 1;
    }
}

POVI_PRINTF(3, 4)
static int cerr(comp *c, int code, const char *fmt, ...) {
    char path[1024], msg[1024];
    build_path(c, path, sizeof path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    povi_json_src none = {NULL, NULL, 0, NULL, 0, 0};
    return povi_json_error(code, c->src ? c->src : &none, path, "%s", msg);
}

/* ------------------------------------------------------------------------ */
/* Emission                                                                  */
/* ------------------------------------------------------------------------ */

static int grow(void **p, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap)
        return 1;
    size_t nc = *cap ? *cap * 2 : 16;
    while (nc < need)
        nc *= 2;
    void *np = realloc(*p, nc * elem);
    if (!np)
        return 0;
    *p = np;
    *cap = nc;
    return 1;
}

static int emit(comp *c, int op, int32_t a, int32_t b, int32_t cc) {
    if (!grow((void **)&c->code, &c->cap_code, c->n_code + 1, sizeof *c->code))
        return povi_error(POV_ENOMEM, "out of memory compiling a condition");
    povi_insn *in = &c->code[c->n_code++];
    in->op = op;
    in->a = a;
    in->b = b;
    in->c = cc;
    return 0;
}

static int add_const(comp *c, double v, int32_t *idx) {
    if (!grow((void **)&c->k, &c->cap_k, c->n_k + 1, sizeof *c->k))
        return povi_error(POV_ENOMEM, "out of memory compiling a condition");
    *idx = (int32_t)c->n_k;
    c->k[c->n_k++] = v;
    return 0;
}

static void stack_push(comp *c, int n) {
    c->sp += n;
    if (c->sp > c->max_sp)
        c->max_sp = c->sp;
}

static int emit_push(comp *c, double v) {
    int32_t idx = 0;
    int rc = add_const(c, v, &idx);
    if (rc == 0)
        rc = emit(c, OP_PUSH, idx, 0, 0);
    if (rc == 0)
        stack_push(c, 1);
    return rc;
}

static int add_input(comp *c, int32_t index) {
    for (size_t i = 0; i < c->n_inputs; i++)
        if (c->inputs[i] == index)
            return 0;
    if (!grow((void **)&c->inputs, &c->cap_inputs, c->n_inputs + 1, sizeof *c->inputs))
        return povi_error(POV_ENOMEM, "out of memory compiling a condition");
    c->inputs[c->n_inputs++] = index;
    return 0;
}

/*
 * Emits binary operator @p op whose right operand @p right was just compiled.
 * When that operand is a literal its code is the single PUSH just emitted,
 * which no jump targets: it is folded into the constant form @p opk.
 */
static int emit_binary(comp *c, const cJSON *right, int op, int opk) {
    c->sp--;
    int literal = cJSON_IsNumber(right) || cJSON_IsBool(right) || cJSON_IsString(right) ||
                  cJSON_IsNull(right);
    if (opk >= 0 && literal && c->n_code > 0 && c->code[c->n_code - 1].op == OP_PUSH) {
        c->code[c->n_code - 1].op = opk; /* a (the constant) stays */
        return 0;
    }
    return emit(c, op, 0, 0, 0);
}

/* ------------------------------------------------------------------------ */
/* Types                                                                     */
/* ------------------------------------------------------------------------ */

static const char *type_name(int t) {
    switch (t) {
    case POVI_T_ANY: return "null";
    case POVI_T_NUMBER: return "number";
    case POVI_T_BOOLEAN: return "boolean";
    case POVI_T_CATEGORY: return "category";
    case POVI_T_TEXT: return "text";
    default: return "?";
    }
}

static int is_numeric(int t) { return t == POVI_T_NUMBER || t == POVI_T_BOOLEAN || t == POVI_T_ANY; }

/* Types usable as a truth value: booleans, numbers (0 is false), null. */
static int is_truthy(int t) { return is_numeric(t); }

/* The common type of two branches/values, or -1 when incompatible. */
static int unify(ty a, ty b, ty *out) {
    if (a.t == POVI_T_ANY) {
        *out = b;
        return 0;
    }
    if (b.t == POVI_T_ANY) {
        *out = a;
        return 0;
    }
    if (a.t == b.t && (a.t == POVI_T_NUMBER || a.t == POVI_T_BOOLEAN)) {
        *out = a;
        return 0;
    }
    if (is_numeric(a.t) && is_numeric(b.t)) {
        *out = (ty){POVI_T_NUMBER, -1};
        return 0;
    }
    if (a.t == b.t && a.ind == b.ind) {
        *out = a;
        return 0;
    }
    return -1;
}

/* ------------------------------------------------------------------------ */
/* Variables                                                                 */
/* ------------------------------------------------------------------------ */

static int lookup(comp *c, const char *name, povi_cond_ind *out) {
    return c->r->find(c->r->ctx, name, out);
}

/*
 * Resolves a var path (see docs/conditions.md, "Variables"). Records an error
 * at the current path on failure.
 */
static int resolve_var(comp *c, const char *name, varref *out) {
    memset(out, 0, sizeof *out);
    if (strcmp(name, "accumulator") == 0) {
        if (c->acc_slot < 0)
            return cerr(c, POV_ENOTFOUND, "'accumulator' is only defined inside reduce");
        out->kind = 3;
        out->ind.index = -1;
        out->ind.type = POVI_T_NUMBER;
        return 0;
    }
    if (strcmp(name, "members") == 0 || strcmp(name, "current") == 0)
        return cerr(c, POV_ETYPE,
                    "'%s' is not a value: use {\"var\": \"members\"} as the first argument of "
                    "some, all, none, filter, count or reduce, and 'current.<id>' inside reduce",
                    name);
    /* the full name first: ids have no dots, so prefixes below never shadow one */
    if (lookup(c, name, &out->ind) == 0) {
        if (out->ind.member_level) {
            if (!c->in_loop)
                return cerr(c, POV_ERULE,
                            "'%s' is a member-level indicator: use it inside some, all, none, "
                            "filter, count or reduce over {\"var\": \"members\"}, or as "
                            "'members.<n>.%s'",
                            name, name);
            out->kind = 1;
        }
        return 0;
    }
    const char *rest = NULL;
    int want = -1; /* 0 household, 1 member */
    if (strncmp(name, "household.", 10) == 0) {
        rest = name + 10;
        want = 0;
    } else if (strncmp(name, "current.", 8) == 0) {
        rest = name + 8;
        want = 1;
    } else if (strncmp(name, "members.", 8) == 0) {
        const char *p = name + 8;
        long n = 0;
        int digits = 0;
        while (*p >= '0' && *p <= '9' && digits < 6) {
            n = n * 10 + (*p - '0');
            p++;
            digits++;
        }
        if (digits == 0 || *p != '.')
            return cerr(c, POV_ENOTFOUND,
                        "'%s': expected 'members.<n>.<member indicator>' with n a member "
                        "number from 0",
                        name);
        rest = p + 1;
        if (lookup(c, rest, &out->ind) != 0)
            return cerr(c, POV_ENOTFOUND, "unknown indicator '%s' in '%s'", rest, name);
        if (!out->ind.member_level)
            return cerr(c, POV_ERULE, "'%s' is a household-level indicator, not a member's",
                        rest);
        out->kind = 2;
        out->member = (int32_t)n;
        return 0;
    }
    if (!rest)
        return cerr(c, POV_ENOTFOUND, "unknown indicator '%s'", name);
    if (lookup(c, rest, &out->ind) != 0)
        return cerr(c, POV_ENOTFOUND, "unknown indicator '%s' in '%s'", rest, name);
    if (want == 0 && out->ind.member_level)
        return cerr(c, POV_ERULE, "'%s' is a member-level indicator, not a household's", rest);
    if (want == 1) {
        if (!c->in_loop)
            return cerr(c, POV_ERULE,
                        "'%s' refers to the current member: only inside some, all, none, "
                        "filter, count or reduce",
                        name);
        if (out->ind.member_level)
            out->kind = 1;
    }
    return 0;
}

static int emit_load(comp *c, const varref *v) {
    int rc;
    if (v->kind == 3) {
        rc = emit(c, OP_SLOT, c->acc_slot, 0, 0);
    } else {
        int cat = v->ind.type == POVI_T_CATEGORY || v->ind.type == POVI_T_TEXT;
        int op = v->kind == 0 ? (cat ? OP_HCAT : OP_HNUM)
               : v->kind == 1 ? (cat ? OP_MCAT : OP_MNUM)
                              : (cat ? OP_KCAT : OP_KNUM);
        rc = emit(c, op, v->ind.index, v->member, 0);
        if (rc == 0)
            rc = add_input(c, v->ind.index);
    }
    if (rc == 0)
        stack_push(c, 1);
    return rc;
}

/* The var name of a `{"var": "x"}` / `{"var": ["x", d]}` node, or NULL. */
static const char *var_name_of(const cJSON *node, int *is_array) {
    if (!cJSON_IsObject(node) || !node->child || node->child->next)
        return NULL;
    const cJSON *v = node->child;
    if (strcmp(v->string, "var") != 0)
        return NULL;
    *is_array = cJSON_IsArray(v);
    if (cJSON_IsArray(v))
        v = v->child;
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* ------------------------------------------------------------------------ */
/* Expressions                                                               */
/* ------------------------------------------------------------------------ */

typedef struct args {
    const cJSON *first; /* first argument */
    int n;
    int arr; /* arguments given as an array (paths get [i]) */
} args;

static int compile_expr(comp *c, const cJSON *node, const hint *h, ty *out);

/* Compiles argument @p node (number @p i) with its path segment. */
static int compile_arg(comp *c, const args *a, int i, const cJSON *node, const hint *h,
                       ty *out) {
    if (a->arr && !push_index(c, i))
        return cerr(c, POV_ELIMIT, "expression nested too deeply");
    int rc = compile_expr(c, node, h, out);
    if (a->arr)
        c->n_segs--;
    return rc;
}

/* Records an error located at argument @p i. */
POVI_PRINTF(5, 6)
static int arg_err(comp *c, const args *a, int i, int code, const char *fmt, ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (a->arr)
        push_index(c, i);
    int rc = cerr(c, code, "%s", msg);
    if (a->arr)
        c->n_segs--;
    return rc;
}

typedef int (*op_fn)(comp *c, const char *op, const args *a, const hint *h, ty *out);

/* --- comparisons ---------------------------------------------------------- */

static int op_compare(comp *c, const char *op, const args *a, const hint *h0, ty *out) {
    (void)h0;
    int ordered = strcmp(op, "==") != 0 && strcmp(op, "!=") != 0;
    /* A string literal takes its meaning from a category var it is compared
     * with: look for one among the operands first (errors in the var are
     * reported here, at the var's own path). */
    hint h = NO_HINT;
    int i = 0;
    for (const cJSON *x = a->first; x; x = x->next, i++) {
        int isarr;
        const char *name = var_name_of(x, &isarr);
        if (!name)
            continue;
        if (a->arr)
            push_index(c, i);
        push_key(c, "var");
        if (isarr)
            push_index(c, 0);
        varref v;
        int rc = resolve_var(c, name, &v);
        c->n_segs -= 1 + (a->arr ? 1 : 0) + (isarr ? 1 : 0);
        if (rc < 0)
            return rc;
        if ((v.ind.type == POVI_T_CATEGORY || v.ind.type == POVI_T_TEXT) && h.t == POVI_T_ANY &&
            v.kind != 3) {
            h.t = v.ind.type;
            h.ind = v.ind.index;
            h.name = name;
        }
    }
    ty t[3];
    i = 0;
    for (const cJSON *x = a->first; x; x = x->next, i++) {
        int rc = compile_arg(c, a, i, x, &h, &t[i]);
        if (rc < 0)
            return rc;
        if (ordered && !is_numeric(t[i].t))
            return arg_err(c, a, i, POV_ETYPE,
                           "'%s' orders numbers; a %s value is not ordered (use == or in for "
                           "categories)",
                           op, type_name(t[i].t));
        if (t[i].t == POVI_T_TEXT)
            return arg_err(c, a, i, POV_ETYPE,
                           "text indicators can only be tested with missing, not compared");
    }
    if (!ordered) {
        ty u;
        if (unify(t[0], t[1], &u) < 0)
            return arg_err(c, a, 1, POV_ETYPE, "'%s' compares a %s with a %s%s", op,
                           type_name(t[0].t), type_name(t[1].t),
                           t[0].t == t[1].t ? " of a different indicator" : "");
    }
    *out = (ty){POVI_T_BOOLEAN, -1};
    if (a->n == 3) {
        c->sp -= 2;
        return emit(c, strcmp(op, "<") == 0 ? OP_LT3 : OP_LE3, 0, 0, 0);
    }
    int code;
    if (strcmp(op, "==") == 0) code = OP_EQ;
    else if (strcmp(op, "!=") == 0) code = OP_NE;
    else if (strcmp(op, "<") == 0) code = OP_LT;
    else if (strcmp(op, "<=") == 0) code = OP_LE;
    else if (strcmp(op, ">") == 0) code = OP_GT;
    else code = OP_GE;
    return emit_binary(c, a->first->next, code, OP_EQK + (code - OP_EQ));
}

/* --- logic ---------------------------------------------------------------- */

static int compile_truthy_arg(comp *c, const args *a, int i, const cJSON *x) {
    ty t;
    int rc = compile_arg(c, a, i, x, &NO_HINT, &t);
    if (rc < 0)
        return rc;
    if (!is_truthy(t.t))
        return arg_err(c, a, i, POV_ETYPE,
                       "a %s value has no truth value (compare it with == or in)",
                       type_name(t.t));
    return 0;
}

static int op_not(comp *c, const char *op, const args *a, const hint *h, ty *out) {
    (void)h;
    int rc = compile_truthy_arg(c, a, 0, a->first);
    if (rc < 0)
        return rc;
    *out = (ty){POVI_T_BOOLEAN, -1};
    return emit(c, strcmp(op, "!") == 0 ? OP_NOT : OP_TRUTH, 0, 0, 0);
}

static int op_andor(comp *c, const char *op, const args *a, const hint *h, ty *out) {
    (void)h;
    int is_and = strcmp(op, "and") == 0;
    int rc = emit_push(c, is_and ? 1.0 : 0.0);
    if (rc < 0)
        return rc;
    size_t first_step = c->n_code; /* steps are patched to jump to the end */
    int i = 0;
    for (const cJSON *x = a->first; x; x = x->next, i++) {
        if ((rc = compile_truthy_arg(c, a, i, x)) < 0)
            return rc;
        if ((rc = emit(c, is_and ? OP_AND : OP_OR, -1, 0, 0)) < 0)
            return rc;
        c->sp--;
    }
    for (size_t k = first_step; k < c->n_code; k++)
        if ((c->code[k].op == OP_AND || c->code[k].op == OP_OR) && c->code[k].a == -1)
            c->code[k].a = (int32_t)c->n_code;
    *out = (ty){POVI_T_BOOLEAN, -1};
    return 0;
}

static int op_if(comp *c, const char *op, const args *a, const hint *h, ty *out) {
    (void)op;
    int base = c->sp;
    size_t ends[256 + 1];
    size_t n_ends = 0;
    ty result = {POVI_T_ANY, -1};
    int i = 0;
    const cJSON *x = a->first;
    int rc;
    for (; x && x->next; x = x->next->next, i += 2) {
        if ((rc = compile_truthy_arg(c, a, i, x)) < 0)
            return rc;
        size_t cond_at = c->n_code;
        if ((rc = emit(c, OP_COND, -1, -1, 0)) < 0)
            return rc;
        c->sp = base;
        ty t;
        if ((rc = compile_arg(c, a, i + 1, x->next, h, &t)) < 0)
            return rc;
        if (unify(result, t, &result) < 0)
            return arg_err(c, a, i + 1, POV_ETYPE, "if: this branch is a %s, an earlier one a %s",
                           type_name(t.t), type_name(result.t));
        if (n_ends >= sizeof ends / sizeof ends[0] - 1)
            return cerr(c, POV_ELIMIT, "if: more than 256 branches");
        ends[n_ends++] = cond_at; /* its b jumps to the end */
        ends[n_ends++] = c->n_code;
        if ((rc = emit(c, OP_JUMP, -1, 0, 0)) < 0)
            return rc;
        c->code[cond_at].a = (int32_t)c->n_code;
        c->sp = base;
    }
    if (x) { /* else */
        ty t;
        if ((rc = compile_arg(c, a, i, x, h, &t)) < 0)
            return rc;
        if (unify(result, t, &result) < 0)
            return arg_err(c, a, i, POV_ETYPE, "if: the else value is a %s, a branch a %s",
                           type_name(t.t), type_name(result.t));
    } else if ((rc = emit_push(c, NAN)) < 0) {
        return rc;
    }
    for (size_t k = 0; k < n_ends; k++) {
        povi_insn *in = &c->code[ends[k]];
        if (in->op == OP_COND)
            in->b = (int32_t)c->n_code;
        else
            in->a = (int32_t)c->n_code;
    }
    c->sp = base + 1;
    if (c->sp > c->max_sp)
        c->max_sp = c->sp;
    *out = result;
    return 0;
}

/* --- arithmetic ----------------------------------------------------------- */

static int compile_numeric_arg(comp *c, const args *a, int i, const cJSON *x, const char *op) {
    ty t;
    int rc = compile_arg(c, a, i, x, &NO_HINT, &t);
    if (rc < 0)
        return rc;
    if (!is_numeric(t.t))
        return arg_err(c, a, i, POV_ETYPE, "'%s' needs numbers, not a %s value", op,
                       type_name(t.t));
    return 0;
}

static int op_arith(comp *c, const char *op, const args *a, const hint *h, ty *out) {
    (void)h;
    int code;
    switch (op[0]) {
    case '+': code = OP_ADD; break;
    case '-': code = OP_SUB; break;
    case '*': code = OP_MUL; break;
    case '/': code = OP_DIV; break;
    case '%': code = OP_MOD; break;
    default: code = strcmp(op, "min") == 0 ? OP_MIN : OP_MAX; break;
    }
    int rc, i = 0;
    for (const cJSON *x = a->first; x; x = x->next, i++) {
        if ((rc = compile_numeric_arg(c, a, i, x, op)) < 0)
            return rc;
        if (i > 0) {
            int opk = code == OP_ADD ? OP_ADDK : code == OP_SUB ? OP_SUBK
                    : code == OP_MUL ? OP_MULK : code == OP_DIV ? OP_DIVK : -1;
            if ((rc = emit_binary(c, x, code, opk)) < 0)
                return rc;
        }
    }
    if (a->n == 1 && code == OP_SUB && (rc = emit(c, OP_NEG, 0, 0, 0)) < 0)
        return rc;
    if (a->n == 1 && code != OP_SUB && (rc = emit(c, OP_TONUM, 0, 0, 0)) < 0)
        return rc;
    *out = (ty){POVI_T_NUMBER, -1};
    return 0;
}

/* --- in ------------------------------------------------------------------- */

static int op_in(comp *c, const char *op, const args *a, const hint *h, ty *out) {
    (void)op;
    (void)h;
    const cJSON *x = a->first, *list = a->first->next;
    if (cJSON_IsString(x))
        return arg_err(c, a, 0, POV_ETYPE,
                       "in: the first argument must be a value (a var), not a string");
    ty t;
    int rc = compile_arg(c, a, 0, x, &NO_HINT, &t);
    if (rc < 0)
        return rc;
    if (t.t == POVI_T_TEXT)
        return arg_err(c, a, 0, POV_ETYPE, "in: text indicators can only be tested with missing");
    if (!cJSON_IsArray(list))
        return arg_err(c, a, 1, POV_ETYPE, "in: the second argument must be an array of literals");
    int32_t start = (int32_t)c->n_k;
    int n = 0;
    /* `in` always has its arguments in an array (arity 2) */
    for (const cJSON *e = list->child; e; e = e->next, n++) {
        double v = 0;
        push_index(c, 1);
        push_index(c, n);
        if (t.t == POVI_T_CATEGORY) {
            int32_t code = -1;
            if (!cJSON_IsString(e)) {
                rc = cerr(c, POV_ETYPE, "in: a category is matched against code strings");
            } else if ((code = c->r->find_code(c->r->ctx, t.ind, e->valuestring)) < 0) {
                int isarr;
                const char *name = var_name_of(x, &isarr);
                rc = cerr(c, POV_ECODE, "'%s' is not a code of indicator '%s'", e->valuestring,
                          name ? name : "?");
            }
            v = code;
        } else if (cJSON_IsNumber(e) && isfinite(e->valuedouble)) {
            v = e->valuedouble;
        } else if (cJSON_IsBool(e)) {
            v = cJSON_IsTrue(e) ? 1.0 : 0.0;
        } else {
            rc = cerr(c, cJSON_IsNumber(e) ? POV_ENONFINITE : POV_ETYPE,
                      "in: list elements compared with a %s must be finite numbers or booleans",
                      type_name(t.t));
        }
        c->n_segs -= 2;
        if (rc < 0)
            return rc;
        int32_t idx;
        if ((rc = add_const(c, v, &idx)) < 0)
            return rc;
    }
    *out = (ty){POVI_T_BOOLEAN, -1};
    return emit(c, OP_IN, start, n, 0);
}

/* --- var, missing --------------------------------------------------------- */

static int op_var(comp *c, const char *op, const args *a, const hint *h, ty *out) {
    (void)op;
    (void)h;
    const cJSON *name = a->first;
    if (!cJSON_IsString(name))
        return arg_err(c, a, 0, POV_ETYPE, "var: the name must be a string");
    varref v;
    if (a->arr)
        push_index(c, 0);
    int rc = resolve_var(c, name->valuestring, &v);
    if (a->arr)
        c->n_segs--;
    if (rc < 0)
        return rc;
    if ((rc = emit_load(c, &v)) < 0)
        return rc;
    *out = (ty){v.ind.type, (v.ind.type == POVI_T_CATEGORY || v.ind.type == POVI_T_TEXT)
                                ? v.ind.index : -1};
    if (a->n == 2) {
        if (v.ind.type == POVI_T_TEXT)
            return arg_err(c, a, 1, POV_ETYPE, "var: a text indicator takes no default");
        size_t at = c->n_code;
        if ((rc = emit(c, OP_DEFAULT, -1, 0, 0)) < 0)
            return rc;
        c->sp--;
        hint dh = {v.ind.type, v.ind.index, name->valuestring};
        if (v.ind.type != POVI_T_CATEGORY)
            dh = NO_HINT;
        ty t;
        if ((rc = compile_arg(c, a, 1, name->next, &dh, &t)) < 0)
            return rc;
        ty u;
        if (unify(*out, t, &u) < 0)
            return arg_err(c, a, 1, POV_ETYPE, "var: a %s default for a %s indicator",
                           type_name(t.t), type_name(out->t));
        *out = u;
        c->code[at].a = (int32_t)c->n_code;
    }
    return 0;
}

static int add_ref(comp *c, const varref *v) {
    if (!grow((void **)&c->refs, &c->cap_refs, c->n_refs + 1, sizeof *c->refs))
        return povi_error(POV_ENOMEM, "out of memory compiling a condition");
    povi_ref *r = &c->refs[c->n_refs++];
    r->index = v->ind.index;
    r->level = (uint8_t)v->kind;
    r->cat = v->ind.type == POVI_T_CATEGORY || v->ind.type == POVI_T_TEXT;
    r->member = v->member;
    return add_input(c, v->ind.index);
}

/* Adds the refs of a list of var names (array @p list, or one string). The
 * path of the list is current; element paths get [i] when it is an array. */
static int add_ref_list(comp *c, const cJSON *list, int32_t *start, int *n) {
    *start = (int32_t)c->n_refs;
    *n = 0;
    const cJSON *e = cJSON_IsArray(list) ? list->child : list;
    for (; e; e = cJSON_IsArray(list) ? e->next : NULL, (*n)++) {
        if (cJSON_IsArray(list))
            push_index(c, *n);
        int rc;
        varref v;
        if (!cJSON_IsString(e))
            rc = cerr(c, POV_ETYPE, "missing: expected indicator names (strings)");
        else if ((rc = resolve_var(c, e->valuestring, &v)) == 0 && v.kind == 3)
            rc = cerr(c, POV_ETYPE, "missing: 'accumulator' is never missing-tested");
        if (cJSON_IsArray(list))
            c->n_segs--;
        if (rc < 0)
            return rc;
        if ((rc = add_ref(c, &v)) < 0)
            return rc;
    }
    return 0;
}

static int op_missing(comp *c, const char *op, const args *a, const hint *h, ty *out) {
    (void)h;
    int32_t start;
    int n, rc;
    *out = (ty){POVI_T_NUMBER, -1};
    if (strcmp(op, "missing") == 0) {
        /* {"missing": ["a", "b"]} or {"missing": "a"}: the args are the names */
        start = (int32_t)c->n_refs;
        n = 0;
        int i = 0;
        for (const cJSON *x = a->first; x; x = x->next, i++) {
            if (a->arr)
                push_index(c, i);
            int32_t s;
            int m;
            rc = cJSON_IsArray(x) ? cerr(c, POV_ETYPE, "missing: expected indicator names")
                                  : add_ref_list(c, x, &s, &m);
            if (a->arr)
                c->n_segs--;
            if (rc < 0)
                return rc;
            n += m;
        }
        if ((rc = emit(c, OP_MISSING, start, n, 0)) < 0)
            return rc;
        stack_push(c, 1);
        return 0;
    }
    /* missing_some: [need, [names]] */
    const cJSON *need = a->first, *list = a->first->next;
    if (!a->arr)
        return cerr(c, POV_ERULE, "missing_some takes [count, [names]]");
    if (!cJSON_IsArray(list))
        return arg_err(c, a, 1, POV_ETYPE, "missing_some: the second argument is a list of names");
    int len = cJSON_GetArraySize(list);
    if (!cJSON_IsNumber(need) || need->valuedouble != floor(need->valuedouble) ||
        need->valuedouble < 0 || need->valuedouble > len)
        return arg_err(c, a, 0, POV_ERANGE,
                       "missing_some: the count must be a whole number from 0 to %d", len);
    push_index(c, 1);
    rc = add_ref_list(c, list, &start, &n);
    c->n_segs--;
    if (rc < 0)
        return rc;
    if ((rc = emit(c, OP_MISSING_SOME, start, n, (int32_t)need->valuedouble)) < 0)
        return rc;
    stack_push(c, 1);
    return 0;
}

/* --- member quantifiers --------------------------------------------------- */

/* Emits the filter conditions of a collection argument (path current):
 * {"var": "members"} or {"filter": [collection, condition]}. */
static int emit_filters(comp *c, const cJSON *node, size_t *skips, int *n_skips) {
    int isarr = 0;
    const char *name = var_name_of(node, &isarr);
    if (name && strcmp(name, "members") == 0)
        return 0;
    if (!cJSON_IsObject(node) || !node->child || node->child->next ||
        strcmp(node->child->string, "filter") != 0)
        return cerr(c, POV_ETYPE,
                    "expected the members: {\"var\": \"members\"} or a filter of them");
    const cJSON *f = node->child;
    if (++c->depth > POVI_COND_MAX_DEPTH)
        return cerr(c, POV_ELIMIT, "expression nested deeper than %d operators",
                    POVI_COND_MAX_DEPTH);
    push_key(c, "filter");
    int rc;
    if (!cJSON_IsArray(f) || cJSON_GetArraySize(f) != 2) {
        rc = cerr(c, POV_ERULE, "filter takes 2 arguments: [members, condition]");
        c->n_segs--;
        return rc;
    }
    push_index(c, 0);
    rc = emit_filters(c, f->child, skips, n_skips);
    c->n_segs--;
    if (rc == 0) {
        args fa = {f->child, 2, 1};
        rc = compile_truthy_arg(c, &fa, 1, f->child->next);
    }
    if (rc == 0) {
        if (*n_skips >= MAX_FILTERS)
            rc = cerr(c, POV_ELIMIT, "too many filters");
        else {
            skips[(*n_skips)++] = c->n_code;
            rc = emit(c, OP_SKIP, -1, 0, 0);
            c->sp--;
        }
    }
    c->n_segs--;
    c->depth--;
    return rc;
}

static int op_quant(comp *c, const char *op, const args *a, const hint *h, ty *out) {
    (void)h;
    if (!a->arr)
        return cerr(c, POV_ERULE, "%s takes an array of arguments", op);
    if (c->in_loop)
        return cerr(c, POV_ERULE, "member quantifiers cannot be nested");
    int is_reduce = strcmp(op, "reduce") == 0;
    int is_count = strcmp(op, "count") == 0;
    int rc;
    /* the accumulator */
    if (is_reduce) {
        if ((rc = compile_numeric_arg(c, a, 2, a->first->next->next, op)) < 0)
            return rc;
    } else if ((rc = emit_push(c, strcmp(op, "all") == 0 ? 1.0 : 0.0)) < 0) {
        return rc;
    }
    int saved_acc = c->acc_slot;
    size_t loop_at = c->n_code;
    if ((rc = emit(c, OP_LOOP, -1, 0, 0)) < 0)
        return rc;
    size_t top = c->n_code;
    c->in_loop = 1;
    if (is_reduce)
        c->acc_slot = c->sp - 1;
    size_t skips[MAX_FILTERS];
    int n_skips = 0;
    push_index(c, 0);
    rc = emit_filters(c, a->first, skips, &n_skips);
    c->n_segs--;
    if (rc < 0)
        goto done;
    const cJSON *body = a->first->next;
    if (is_reduce) {
        if ((rc = compile_numeric_arg(c, a, 1, body, op)) < 0)
            goto done;
        rc = emit(c, OP_STORE, 0, 0, 0);
    } else if (is_count) {
        if (body)
            rc = compile_truthy_arg(c, a, 1, body);
        else
            rc = emit_push(c, 1.0);
        if (rc == 0)
            rc = emit(c, OP_COUNT, 0, 0, 0);
    } else {
        if ((rc = compile_truthy_arg(c, a, 1, body)) < 0)
            goto done;
        rc = emit(c, strcmp(op, "all") == 0 ? OP_AND : OP_OR, -1, 0, 0);
    }
    if (rc < 0)
        goto done;
    c->sp--;
    size_t step = c->n_code - 1;
    for (int k = 0; k < n_skips; k++)
        c->code[skips[k]].a = (int32_t)c->n_code;
    if ((rc = emit(c, OP_NEXT, (int32_t)top, 0, 0)) < 0)
        goto done;
    c->code[loop_at].a = (int32_t)c->n_code;
    if (c->code[step].op == OP_AND || c->code[step].op == OP_OR)
        c->code[step].a = (int32_t)c->n_code;
    if (strcmp(op, "none") == 0)
        rc = emit(c, OP_NOT, 0, 0, 0);
    *out = (ty){is_reduce || is_count ? POVI_T_NUMBER : POVI_T_BOOLEAN, -1};
done:
    c->in_loop = 0;
    c->acc_slot = saved_acc;
    return rc;
}

static int op_filter(comp *c, const char *op, const args *a, const hint *h, ty *out) {
    (void)op;
    (void)a;
    (void)h;
    (void)out;
    return cerr(c, POV_ETYPE,
                "filter gives a list of members: use it as the first argument of some, all, "
                "none, count or reduce");
}

/* --- operator table ------------------------------------------------------- */

typedef struct opdef {
    const char *name;
    int min_args, max_args; /* max -1: unbounded */
    op_fn fn;
} opdef;

static const opdef OPS[] = {
    {"var", 1, 2, op_var},
    {"==", 2, 2, op_compare},
    {"!=", 2, 2, op_compare},
    {"<", 2, 3, op_compare},
    {"<=", 2, 3, op_compare},
    {">", 2, 2, op_compare},
    {">=", 2, 2, op_compare},
    {"!", 1, 1, op_not},
    {"!!", 1, 1, op_not},
    {"and", 1, -1, op_andor},
    {"or", 1, -1, op_andor},
    {"if", 2, 2 * 128 + 1, op_if},
    {"in", 2, 2, op_in},
    {"+", 1, -1, op_arith},
    {"*", 1, -1, op_arith},
    {"-", 1, 2, op_arith},
    {"/", 2, 2, op_arith},
    {"%", 2, 2, op_arith},
    {"min", 1, -1, op_arith},
    {"max", 1, -1, op_arith},
    {"missing", 1, -1, op_missing},
    {"missing_some", 2, 2, op_missing},
    {"some", 2, 2, op_quant},
    {"all", 2, 2, op_quant},
    {"none", 2, 2, op_quant},
    {"count", 1, 2, op_quant},
    {"reduce", 3, 3, op_quant},
    {"filter", 2, 2, op_filter},
};

static int compile_expr(comp *c, const cJSON *node, const hint *h, ty *out) {
    int rc;
    if (cJSON_IsNumber(node)) {
        if (!isfinite(node->valuedouble))
            return cerr(c, POV_ENONFINITE, "numbers must be finite");
        *out = (ty){POVI_T_NUMBER, -1};
        return emit_push(c, node->valuedouble);
    }
    if (cJSON_IsBool(node)) {
        *out = (ty){POVI_T_BOOLEAN, -1};
        return emit_push(c, cJSON_IsTrue(node) ? 1.0 : 0.0);
    }
    if (cJSON_IsNull(node)) {
        *out = (ty){POVI_T_ANY, -1};
        return emit_push(c, NAN);
    }
    if (cJSON_IsString(node)) {
        if (h->t == POVI_T_CATEGORY) {
            int32_t code = c->r->find_code(c->r->ctx, h->ind, node->valuestring);
            if (code < 0)
                return cerr(c, POV_ECODE, "'%s' is not a code of indicator '%s'",
                            node->valuestring, h->name);
            *out = (ty){POVI_T_CATEGORY, h->ind};
            return emit_push(c, code);
        }
        if (h->t == POVI_T_TEXT)
            return cerr(c, POV_ETYPE,
                        "text indicators can only be tested with missing, not compared");
        return cerr(c, POV_ETYPE,
                    "a string is only allowed where it is compared with a category indicator "
                    "(as a code)");
    }
    if (cJSON_IsArray(node))
        return cerr(c, POV_ETYPE, "an array is only allowed as the list of in or missing");
    if (!cJSON_IsObject(node))
        return cerr(c, POV_ETYPE, "unexpected JSON value");
    if (!node->child)
        return cerr(c, POV_ERULE, "an empty object is not an operation");
    if (node->child->next)
        return cerr(c, POV_ERULE, "an operation object has exactly one key, this one has %d",
                    cJSON_GetArraySize(node));
    const cJSON *v = node->child;
    const char *name = v->string;
    if (!push_key(c, name))
        return cerr(c, POV_ELIMIT, "expression nested too deeply");
    const opdef *def = NULL;
    for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++)
        if (strcmp(OPS[i].name, name) == 0) {
            def = &OPS[i];
            break;
        }
    if (!def) {
        rc = cerr(c, POV_EUNKNOWN, "unknown operator '%s'", name);
        goto out;
    }
    if (++c->depth > POVI_COND_MAX_DEPTH) {
        rc = cerr(c, POV_ELIMIT, "expression nested deeper than %d operators",
                  POVI_COND_MAX_DEPTH);
        goto out_depth;
    }
    args a;
    if (cJSON_IsArray(v)) {
        a.first = v->child;
        a.n = cJSON_GetArraySize(v);
        a.arr = 1;
    } else {
        a.first = v;
        a.n = 1;
        a.arr = 0;
    }
    if (a.n < def->min_args || (def->max_args >= 0 && a.n > def->max_args)) {
        char want[64];
        if (def->max_args < 0)
            snprintf(want, sizeof want, "at least %d", def->min_args);
        else if (def->min_args == def->max_args)
            snprintf(want, sizeof want, "%d", def->min_args);
        else
            snprintf(want, sizeof want, "%d to %d", def->min_args, def->max_args);
        rc = cerr(c, POV_ERULE, "'%s' takes %s argument%s, got %d", name, want,
                  strcmp(want, "1") == 0 ? "" : "s", a.n);
        goto out_depth;
    }
    rc = def->fn(c, name, &a, h, out);
out_depth:
    c->depth--;
out:
    c->n_segs--;
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Entry points                                                              */
/* ------------------------------------------------------------------------ */

static int cmp_i32(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static void comp_release(comp *c) {
    free(c->code);
    free(c->k);
    free(c->refs);
    free(c->inputs);
}

int povi_condition_compile_resolver(const povi_cond_resolver *resolver, const cJSON *node,
                                    const povi_json_src *src, pov_condition **out) {
    if (out)
        *out = NULL;
    if (!resolver || !node || !out)
        return povi_error(POV_EINVAL, "povi_condition_compile: NULL argument");
    comp *c = calloc(1, sizeof *c);
    if (!c)
        return povi_error(POV_ENOMEM, "out of memory compiling a condition");
    c->r = resolver;
    c->src = src;
    c->acc_slot = -1;
    ty t;
    int rc = compile_expr(c, node, &NO_HINT, &t);
    if (rc == 0 && c->max_sp > POVI_COND_STACK_MAX)
        rc = cerr(c, POV_ELIMIT, "the condition needs %d stack slots, more than %d", c->max_sp,
                  POVI_COND_STACK_MAX);
    if (rc == 0)
        rc = emit(c, OP_END, 0, 0, 0);
    pov_condition *cond = NULL;
    if (rc == 0 && !(cond = calloc(1, sizeof *cond)))
        rc = povi_error(POV_ENOMEM, "out of memory compiling a condition");
    if (rc < 0) {
        comp_release(c);
        free(c);
        return rc;
    }
    if (c->n_inputs > 1)
        qsort(c->inputs, c->n_inputs, sizeof *c->inputs, cmp_i32);
    cond->code = c->code;
    cond->n_code = c->n_code;
    cond->k = c->k;
    cond->n_k = c->n_k;
    cond->refs = c->refs;
    cond->n_refs = c->n_refs;
    cond->inputs = c->inputs;
    cond->n_inputs = c->n_inputs;
    cond->result_type = t.t;
    cond->result_ind = (t.t == POVI_T_CATEGORY || t.t == POVI_T_TEXT) ? t.ind : -1;
    cond->max_stack = c->max_sp;
    cond->block = povi_condition_plan_block(cond);
    free(c);
    *out = cond;
    return 0;
}

/* --- schema resolver ------------------------------------------------------ */

static int schema_find(const void *ctx, const char *id, povi_cond_ind *out) {
    const pov_schema *s = ctx;
    size_t idx;
    if (!povi_schema_lookup(s, id, strlen(id), &idx))
        return POV_ENOTFOUND;
    const povi_indicator *ind = povi_schema_get(s, idx);
    out->index = (int32_t)idx;
    out->member_level = ind->level == POV_LEVEL_MEMBER;
    switch (ind->type) {
    case POV_TYPE_BOOLEAN: out->type = POVI_T_BOOLEAN; break;
    case POV_TYPE_CATEGORY: out->type = POVI_T_CATEGORY; break;
    case POV_TYPE_TEXT: out->type = POVI_T_TEXT; break;
    default: out->type = POVI_T_NUMBER; break;
    }
    return 0;
}

static int32_t schema_find_code(const void *ctx, int32_t index, const char *code) {
    return povi_schema_code_lookup(ctx, (size_t)index, code, strlen(code));
}

int povi_condition_compile_node(const pov_schema *schema, const cJSON *node,
                                const povi_json_src *src, pov_condition **out) {
    if (out)
        *out = NULL;
    if (!schema)
        return povi_error(POV_EINVAL, "povi_condition_compile_node: NULL schema");
    povi_cond_resolver r = {schema, schema_find, schema_find_code};
    int rc = povi_condition_compile_resolver(&r, node, src, out);
    if (rc == 0)
        (*out)->schema = povi_schema_ref(schema);
    return rc;
}

int pov_condition_compile(const pov_schema *schema, const char *json, size_t len,
                          const char *source_name, pov_condition **out) {
    if (out)
        *out = NULL;
    if (!schema || !json || !out)
        return povi_error(POV_EINVAL, "pov_condition_compile: NULL argument");
    if (len == SIZE_MAX)
        len = strlen(json);
    const char *source = source_name ? source_name : "<string>";
    cJSON *root = NULL;
    /* JSON nesting: two levels per operator ({"op": [ ... ]}) plus literals */
    int rc = povi_json_parse(json, len, source, 2 * POVI_COND_MAX_DEPTH + 8, &root);
    if (rc < 0)
        return rc;
    povi_json_src src = {source, json, len, "", 0, 0};
    rc = povi_condition_compile_node(schema, root, &src, out);
    cJSON_Delete(root);
    return rc;
}

void pov_condition_free(pov_condition *cond) {
    if (!cond)
        return;
    free(cond->code);
    free(cond->k);
    free(cond->refs);
    free(cond->inputs);
    if (cond->schema)
        povi_schema_unref(cond->schema);
    free(cond);
}

int pov_condition_result_type(const pov_condition *cond) {
    if (!cond)
        return povi_error(POV_EINVAL, "pov_condition_result_type: NULL condition");
    return cond->result_type; /* povi_ctype values equal pov_cond_type values */
}

const int32_t *povi_condition_inputs(const pov_condition *c, size_t *n) {
    *n = c->n_inputs;
    return c->inputs;
}

int32_t povi_condition_category_indicator(const pov_condition *c) { return c->result_ind; }

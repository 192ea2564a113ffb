/*
 * The fast path for household JSON records.
 *
 * Parsing a record with cJSON builds a tree (one allocation per value) that
 * the data model then walks. For the common, well-formed record this file
 * instead scans the text once and stores each value directly with the data
 * model's text setter (the same conversion CSV cells use). It handles only
 * what it can reproduce exactly: plain strings without escapes, numbers,
 * true/false/null, the members array, income_history and programs, and
 * unknown fields whose text cJSON would print identically. Anything else —
 * any error, an escape sequence, a type mismatch, a nested unknown value, a
 * repeated key — makes it give up, and the record is read again by the
 * reference path (cJSON + povi_household_fill_from_cjson), which produces the
 * canonical result or error with its location. So the fast path changes
 * speed, never results; tests/io compares both paths on the same records.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "reader_internal.h"

typedef struct fscan {
    const char *p, *end;
} fscan;

static void ws(fscan *s) {
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

/* A string without escapes: sets [*v, *v + *n) to its contents. */
static int str(fscan *s, const char **v, size_t *n) {
    if (s->p >= s->end || *s->p != '"')
        return 0;
    const char *b = s->p + 1;
    const char *q = memchr(b, '"', (size_t)(s->end - b));
    if (!q || memchr(b, '\\', (size_t)(q - b)))
        return 0;
    *v = b;
    *n = (size_t)(q - b);
    s->p = q + 1;
    return 1;
}

/* A JSON number token. *plain: an integer cJSON prints as written. */
static int number(fscan *s, const char **v, size_t *n, int *plain) {
    const char *p = s->p, *e = s->end, *b = p;
    int simple = 1;
    if (p < e && *p == '-')
        p++;
    if (p >= e)
        return 0;
    if (*p == '0') {
        p++;
    } else if (*p >= '1' && *p <= '9') {
        while (p < e && *p >= '0' && *p <= '9')
            p++;
    } else {
        return 0;
    }
    if (p < e && *p == '.') {
        simple = 0;
        p++;
        const char *d = p;
        while (p < e && *p >= '0' && *p <= '9')
            p++;
        if (p == d)
            return 0;
    }
    if (p < e && (*p == 'e' || *p == 'E')) {
        simple = 0;
        p++;
        if (p < e && (*p == '+' || *p == '-'))
            p++;
        const char *d = p;
        while (p < e && *p >= '0' && *p <= '9')
            p++;
        if (p == d)
            return 0;
    }
    *v = b;
    *n = (size_t)(p - b);
    *plain = simple && *n <= 15;
    s->p = p;
    return 1;
}

static int lit(fscan *s, const char *w, size_t n) {
    if ((size_t)(s->end - s->p) >= n && memcmp(s->p, w, n) == 0) {
        s->p += n;
        return 1;
    }
    return 0;
}

enum { T_STR, T_NUM, T_TRUE, T_FALSE, T_NULL };

/* A scalar value: kind, contents (string without quotes), and for unknown
 * fields the raw text as cJSON would print it (raw/rawn). */
typedef struct scalar {
    int kind;
    const char *v;
    size_t n;
    const char *raw;
    size_t rawn;
    int printable; /* raw text equals cJSON's printing of the value */
} scalar;

static int scalar_value(fscan *s, scalar *out) {
    if (s->p >= s->end)
        return 0;
    const char *b = s->p;
    char c = *s->p;
    if (c == '"') {
        if (!str(s, &out->v, &out->n))
            return 0;
        out->kind = T_STR;
        out->printable = 1;
        for (size_t i = 0; i < out->n; i++)
            if ((unsigned char)out->v[i] < 0x20) {
                out->printable = 0;
                break;
            }
    } else if (c == 't') {
        if (!lit(s, "true", 4))
            return 0;
        out->kind = T_TRUE;
        out->v = "true";
        out->n = 4;
        out->printable = 1;
    } else if (c == 'f') {
        if (!lit(s, "false", 5))
            return 0;
        out->kind = T_FALSE;
        out->v = "false";
        out->n = 5;
        out->printable = 1;
    } else if (c == 'n') {
        if (!lit(s, "null", 4))
            return 0;
        out->kind = T_NULL;
        out->v = "";
        out->n = 0;
        out->printable = 1;
    } else {
        if (!number(s, &out->v, &out->n, &out->printable))
            return 0;
        out->kind = T_NUM;
        if (out->n > 1 && out->v[0] == '-' && out->v[1] == '0')
            out->printable = 0; /* -0 prints as 0 */
    }
    out->raw = b;
    out->rawn = (size_t)(s->p - b);
    return 1;
}

/* Does the token kind fit the indicator type? (null fits everything: missing) */
static int fits(int kind, pov_type type) {
    if (kind == T_NULL)
        return 1;
    switch (type) {
    case POV_TYPE_NUMBER:
    case POV_TYPE_INTEGER: return kind == T_NUM;
    case POV_TYPE_BOOLEAN: return kind == T_TRUE || kind == T_FALSE;
    default: return kind == T_STR;
    }
}

/* Records of one file usually list their keys in the same order, so the
 * indicator of the k-th key of an object is remembered and checked with one
 * memcmp before the schema's hash lookup. */
#define KC_SLOTS 96
#define KC_KEYLEN 47
typedef struct key_cache {
    unsigned char len; /* 0: empty */
    char key[KC_KEYLEN];
    int32_t ind;       /* -1: not an indicator */
} key_cache;

struct povi_fast_cache {
    key_cache slot[2][KC_SLOTS]; /* [0] household objects, [1] member objects */
};

static int lookup(const pov_schema *schema, key_cache *kc, const char *k, size_t n,
                  size_t *ind) {
    if (kc && kc->len == n && memcmp(kc->key, k, n) == 0) {
        if (kc->ind < 0)
            return 0;
        *ind = (size_t)kc->ind;
        return 1;
    }
    int found = povi_schema_lookup(schema, k, n, ind);
    if (kc && n > 0 && n <= KC_KEYLEN) {
        kc->len = (unsigned char)n;
        memcpy(kc->key, k, n);
        kc->ind = found ? (int32_t)*ind : -1;
    }
    return found;
}

typedef struct fctx {
    pov_reader *r;
    const pov_schema *schema;
    uint32_t *seen;
    uint32_t stamp;
    GString *keys;  /* unknown keys of the household object, '\0'-separated */
    GString *mkeys; /* same for the member object being read */
    struct povi_fast_cache *cache;
} fctx;

static uint32_t new_stamp(fctx *c) {
    if (++c->stamp == 0) {
        memset(c->seen, 0, pov_schema_count(c->schema) * sizeof *c->seen);
        c->stamp = 1;
    }
    return c->stamp;
}

/* Repeated unknown key within one object? */
static int repeated_unknown(GString *keys, const char *k, size_t n) {
    const char *p = keys->str, *e = p + keys->len;
    while (p < e) {
        size_t l = strlen(p);
        if (l == n && memcmp(p, k, n) == 0)
            return 1;
        p += l + 1;
    }
    g_string_append_len(keys, k, (gssize)n);
    g_string_append_c(keys, '\0');
    return 0;
}

static int keep_unknown(fctx *c, size_t member, const char *k, size_t kn, const scalar *v) {
    if (!v->printable || repeated_unknown(member == SIZE_MAX ? c->keys : c->mkeys, k, kn))
        return 0;
    GString *key = c->r->tmp;
    g_string_truncate(key, 0);
    g_string_append_len(key, k, (gssize)kn);
    if (memchr(key->str, '\0', key->len))
        return 0;
    return povi_household_add_extra(c->r->h, member, key->str, v->raw, v->rawn) == 0;
}

/* One object of indicator values (household: member == SIZE_MAX). The
 * household-level special fields are handled by the caller through @p special. */
typedef struct hh_special {
    const char *id;
    size_t id_n;
    int have_id, have_members, have_hist, have_progs, have_size;
    scalar size;
} hh_special;

static int member_object(fctx *c, fscan *s, size_t member);
static int history_object(fctx *c, fscan *s);
static int programs_array(fctx *c, fscan *s);

static int members_array(fctx *c, fscan *s) {
    if (s->p >= s->end || *s->p != '[')
        return 0;
    s->p++;
    ws(s);
    if (s->p < s->end && *s->p == ']') {
        s->p++;
        return 1;
    }
    for (;;) {
        size_t idx;
        if (pov_household_member_add(c->r->h, &idx) < 0)
            return 0;
        if (!member_object(c, s, idx))
            return 0;
        ws(s);
        if (s->p < s->end && *s->p == ',') {
            s->p++;
            ws(s);
            continue;
        }
        if (s->p < s->end && *s->p == ']') {
            s->p++;
            return 1;
        }
        return 0;
    }
}

/* Reads `{ "k": v, ... }` where v are scalars (or, at household level, the
 * special fields). */
static int fields(fctx *c, fscan *s, size_t member, hh_special *sp) {
    if (s->p >= s->end || *s->p != '{')
        return 0;
    s->p++;
    uint32_t st = new_stamp(c);
    g_string_truncate(member == SIZE_MAX ? c->keys : c->mkeys, 0);
    ws(s);
    if (s->p < s->end && *s->p == '}') {
        s->p++;
        return 1;
    }
    size_t pos = 0;
    key_cache *slots = c->cache ? c->cache->slot[member == SIZE_MAX ? 0 : 1] : NULL;
    for (;; pos++) {
        const char *k;
        size_t kn;
        if (!str(s, &k, &kn))
            return 0;
        ws(s);
        if (s->p >= s->end || *s->p != ':')
            return 0;
        s->p++;
        ws(s);
        if (sp) {
            int *flag = NULL;
            if (kn == 2 && memcmp(k, "id", 2) == 0)
                flag = &sp->have_id;
            else if (kn == 7 && memcmp(k, "members", 7) == 0)
                flag = &sp->have_members;
            else if (kn == 14 && memcmp(k, "income_history", 14) == 0)
                flag = &sp->have_hist;
            else if (kn == 8 && memcmp(k, "programs", 8) == 0)
                flag = &sp->have_progs;
            if (flag) {
                if (*flag)
                    return 0;
                *flag = 1;
                if (flag == &sp->have_id) {
                    if (!str(s, &sp->id, &sp->id_n))
                        return 0;
                } else if (flag == &sp->have_members) {
                    if (!members_array(c, s))
                        return 0;
                } else if (flag == &sp->have_hist) {
                    if (!history_object(c, s))
                        return 0;
                } else {
                    if (!programs_array(c, s))
                        return 0;
                }
                goto next;
            }
        }
        {
            scalar v;
            if (!scalar_value(s, &v))
                return 0;
            size_t ind;
            if (lookup(c->schema, slots && pos < KC_SLOTS ? &slots[pos] : NULL, k, kn, &ind)) {
                const povi_indicator *in = povi_schema_get(c->schema, ind);
                if (c->seen[ind] == st)
                    return 0;
                c->seen[ind] = st;
                if ((int)in->level != (member == SIZE_MAX ? POV_LEVEL_HOUSEHOLD : POV_LEVEL_MEMBER))
                    return 0;
                if (!fits(v.kind, in->type))
                    return 0;
                if (sp && ind == POVI_HOUSEHOLD_SIZE) {
                    sp->have_size = 1;
                    sp->size = v;
                } else if (!in->derived || ind == POVI_HOUSEHOLD_SIZE) {
                    if (povi_household_set_from_string(c->r->h, member, ind, v.v, v.n) < 0)
                        return 0;
                }
            } else if (!keep_unknown(c, member, k, kn, &v)) {
                return 0;
            }
        }
    next:
        ws(s);
        if (s->p < s->end && *s->p == ',') {
            s->p++;
            ws(s);
            continue;
        }
        if (s->p < s->end && *s->p == '}') {
            s->p++;
            return 1;
        }
        return 0;
    }
}

static int member_object(fctx *c, fscan *s, size_t member) {
    return fields(c, s, member, NULL);
}

static int history_object(fctx *c, fscan *s) {
    if (s->p >= s->end || *s->p != '{')
        return 0;
    s->p++;
    ws(s);
    if (s->p < s->end && *s->p == '}') {
        s->p++;
        return 1;
    }
    for (;;) {
        const char *k, *v;
        size_t kn, vn;
        int plain;
        if (!str(s, &k, &kn) || kn == 0 || kn > 4)
            return 0;
        int year = 0;
        for (size_t i = 0; i < kn; i++) {
            if (k[i] < '0' || k[i] > '9')
                return 0;
            year = year * 10 + (k[i] - '0');
        }
        ws(s);
        if (s->p >= s->end || *s->p != ':')
            return 0;
        s->p++;
        ws(s);
        if (!number(s, &v, &vn, &plain))
            return 0;
        char buf[64];
        if (vn >= sizeof buf)
            return 0;
        memcpy(buf, v, vn);
        buf[vn] = '\0';
        char *e;
        double d = strtod(buf, &e);
        if (pov_household_history_add(c->r->h, year, d) < 0)
            return 0;
        ws(s);
        if (s->p < s->end && *s->p == ',') {
            s->p++;
            ws(s);
            continue;
        }
        if (s->p < s->end && *s->p == '}') {
            s->p++;
            return 1;
        }
        return 0;
    }
}

static int programs_array(fctx *c, fscan *s) {
    if (s->p >= s->end || *s->p != '[')
        return 0;
    s->p++;
    ws(s);
    if (s->p < s->end && *s->p == ']') {
        s->p++;
        return 1;
    }
    for (;;) {
        /* exactly {"id": "...", "year": N} in either order */
        if (s->p >= s->end || *s->p != '{')
            return 0;
        s->p++;
        const char *id = NULL;
        size_t idn = 0;
        long year = -1;
        for (int f = 0; f < 2; f++) {
            ws(s);
            const char *k;
            size_t kn;
            if (!str(s, &k, &kn))
                return 0;
            ws(s);
            if (s->p >= s->end || *s->p != ':')
                return 0;
            s->p++;
            ws(s);
            if (kn == 2 && memcmp(k, "id", 2) == 0 && !id) {
                if (!str(s, &id, &idn))
                    return 0;
            } else if (kn == 4 && memcmp(k, "year", 4) == 0 && year < 0) {
                const char *v;
                size_t vn;
                int plain;
                if (!number(s, &v, &vn, &plain) || !plain || v[0] == '-')
                    return 0;
                year = 0;
                for (size_t i = 0; i < vn; i++)
                    year = year * 10 + (v[i] - '0');
            } else {
                return 0;
            }
            ws(s);
            if (f == 0) {
                if (s->p >= s->end || *s->p != ',')
                    return 0;
                s->p++;
            }
        }
        if (s->p >= s->end || *s->p != '}')
            return 0;
        s->p++;
        GString *t = c->r->tmp;
        g_string_truncate(t, 0);
        g_string_append_len(t, id, (gssize)idn);
        if (memchr(t->str, '\0', t->len) || year > 100000 ||
            pov_household_program_add(c->r->h, t->str, (int)year) < 0)
            return 0;
        ws(s);
        if (s->p < s->end && *s->p == ',') {
            s->p++;
            ws(s);
            continue;
        }
        if (s->p < s->end && *s->p == ']') {
            s->p++;
            return 1;
        }
        return 0;
    }
}

int povi_json_fast_fill(pov_reader *r, const char *text, size_t len) {
    /* escapes are rare in household data; leave them to the reference path */
    if (memchr(text, '\\', len))
        return 0;
    if (!r->fast_seen) {
        r->fast_seen = calloc(pov_schema_count(r->schema), sizeof *r->fast_seen);
        r->fast_keys = g_string_sized_new(64);
        r->fast_mkeys = g_string_sized_new(64);
        r->fast_cache = calloc(1, sizeof *r->fast_cache);
        if (!r->fast_seen || !r->fast_cache)
            return 0;
    }
    fctx c = {r, r->schema, r->fast_seen, r->fast_stamp, r->fast_keys, r->fast_mkeys,
              r->fast_cache};
    fscan s = {text, text + len};
    hh_special sp;
    memset(&sp, 0, sizeof sp);
    povi_household_reset(r->h);
    ws(&s);
    int ok = fields(&c, &s, SIZE_MAX, &sp);
    r->fast_stamp = c.stamp;
    if (!ok)
        return 0;
    ws(&s);
    if (s.p != s.end)
        return 0;
    if (sp.have_id) {
        GString *t = r->tmp;
        g_string_truncate(t, 0);
        g_string_append_len(t, sp.id, (gssize)sp.id_n);
        if (sp.id_n == 0 || memchr(t->str, '\0', t->len) || pov_household_set_id(r->h, t->str) < 0)
            return 0;
    }
    if (sp.have_size && sp.size.kind != T_NUM)
        return 0;
    if (sp.have_size &&
        povi_household_set_from_string(r->h, SIZE_MAX, POVI_HOUSEHOLD_SIZE, sp.size.v, sp.size.n) < 0)
        return 0;
    return 1;
}

/* ---- CSV cells holding income_history / programs JSON --------------------- */

int povi_json_fast_cell(pov_household *h, int programs, const char *text, size_t len) {
    /* syntax first, into local arrays; only then add, so that a record that
     * the fast scan does not handle leaves the household untouched */
    enum { MAXE = 64 };
    int years[MAXE];
    double values[MAXE];
    const char *ids[MAXE];
    size_t idn[MAXE];
    size_t n = 0;
    if (memchr(text, '\\', len))
        return 0;
    fscan s = {text, text + len};
    ws(&s);
    char open = programs ? '[' : '{', close = programs ? ']' : '}';
    if (s.p >= s.end || *s.p != open)
        return 0;
    s.p++;
    ws(&s);
    if (s.p < s.end && *s.p == close) {
        s.p++;
    } else {
        for (;;) {
            if (n == MAXE)
                return 0;
            const char *k, *v;
            size_t kn, vn;
            int plain;
            if (!programs) {
                if (!str(&s, &k, &kn) || kn == 0 || kn > 4)
                    return 0;
                int year = 0;
                for (size_t i = 0; i < kn; i++) {
                    if (k[i] < '0' || k[i] > '9')
                        return 0;
                    year = year * 10 + (k[i] - '0');
                }
                ws(&s);
                if (s.p >= s.end || *s.p != ':')
                    return 0;
                s.p++;
                ws(&s);
                if (!number(&s, &v, &vn, &plain) || vn >= 64)
                    return 0;
                char buf[64];
                memcpy(buf, v, vn);
                buf[vn] = '\0';
                years[n] = year;
                values[n] = strtod(buf, NULL);
            } else {
                if (s.p >= s.end || *s.p != '{')
                    return 0;
                s.p++;
                const char *id = NULL;
                long year = -1;
                for (int f = 0; f < 2; f++) {
                    ws(&s);
                    if (!str(&s, &k, &kn))
                        return 0;
                    ws(&s);
                    if (s.p >= s.end || *s.p != ':')
                        return 0;
                    s.p++;
                    ws(&s);
                    if (kn == 2 && memcmp(k, "id", 2) == 0 && !id) {
                        if (!str(&s, &id, &idn[n]) || idn[n] == 0 || idn[n] > 200 ||
                            memchr(id, '\0', idn[n]))
                            return 0;
                    } else if (kn == 4 && memcmp(k, "year", 4) == 0 && year < 0) {
                        if (!number(&s, &v, &vn, &plain) || !plain || v[0] == '-')
                            return 0;
                        year = 0;
                        for (size_t i = 0; i < vn; i++)
                            year = year * 10 + (v[i] - '0');
                    } else {
                        return 0;
                    }
                    ws(&s);
                    if (f == 0) {
                        if (s.p >= s.end || *s.p != ',')
                            return 0;
                        s.p++;
                    }
                }
                if (s.p >= s.end || *s.p != '}' || year > 100000)
                    return 0;
                s.p++;
                ids[n] = id;
                years[n] = (int)year;
            }
            n++;
            ws(&s);
            if (s.p < s.end && *s.p == ',') {
                s.p++;
                ws(&s);
                continue;
            }
            if (s.p < s.end && *s.p == close) {
                s.p++;
                break;
            }
            return 0;
        }
    }
    ws(&s);
    if (s.p != s.end)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int rc;
        if (programs) {
            char buf[201];
            memcpy(buf, ids[i], idn[i]);
            buf[idn[i]] = '\0';
            rc = pov_household_program_add(h, buf, years[i]);
        } else {
            rc = pov_household_history_add(h, years[i], values[i]);
        }
        if (rc < 0)
            return rc;
    }
    return 1;
}

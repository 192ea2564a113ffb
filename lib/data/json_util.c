/*
 * JSON helpers shared by every JSON reader: parsing with located errors,
 * nesting limit, locating a field path in the text, and writing strings and
 * numbers.
 *
 * cJSON keeps no source positions, so a field error is located afterwards by
 * re-scanning the text along the field path (povi_json_locate). That costs
 * O(text) per error and nothing on the success path.
 *
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_internal.h"

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static void set_pos(povi_loc *loc, const char *text, size_t len, size_t off) {
    if (off > len)
        off = len;
    loc->offset = off;
    /* povi_line_col stops at NUL or offset, both within the text */
    povi_line_col(text, off, &loc->line, &loc->column);
}

/* ---- a strict validator, run only when cJSON failed ----------------------
 * cJSON reports roughly where it stopped; this finds the exact first bad byte
 * (RFC 8259 grammar) and tells a truncated text (error at the end) from a
 * malformed one. Recursion depth is bounded by the nesting pre-scan. */
typedef struct vscan {
    const char *t;
    size_t n, i;
} vscan;

static void v_ws(vscan *s) {
    while (s->i < s->n && is_ws(s->t[s->i]))
        s->i++;
}

static int v_lit(vscan *s, const char *lit) {
    for (size_t k = 0; lit[k]; k++, s->i++)
        if (s->i >= s->n || s->t[s->i] != lit[k])
            return 0;
    return 1;
}

static int v_digits(vscan *s) {
    size_t a = s->i;
    while (s->i < s->n && s->t[s->i] >= '0' && s->t[s->i] <= '9')
        s->i++;
    return s->i > a;
}

static int v_number(vscan *s) {
    if (s->i < s->n && s->t[s->i] == '-')
        s->i++;
    if (s->i < s->n && s->t[s->i] == '0')
        s->i++;
    else if (!v_digits(s))
        return 0;
    if (s->i < s->n && s->t[s->i] == '.') {
        s->i++;
        if (!v_digits(s))
            return 0;
    }
    if (s->i < s->n && (s->t[s->i] == 'e' || s->t[s->i] == 'E')) {
        s->i++;
        if (s->i < s->n && (s->t[s->i] == '+' || s->t[s->i] == '-'))
            s->i++;
        if (!v_digits(s))
            return 0;
    }
    return 1;
}

static int v_string(vscan *s) {
    s->i++; /* opening quote */
    while (s->i < s->n) {
        unsigned char c = (unsigned char)s->t[s->i];
        if (c == '"') {
            s->i++;
            return 1;
        }
        if (c < 0x20)
            return 0;
        if (c == '\\') {
            s->i++;
            if (s->i >= s->n)
                return 0;
            c = (unsigned char)s->t[s->i];
            if (c == 'u') {
                for (int k = 0; k < 4; k++) {
                    s->i++;
                    if (s->i >= s->n || !g_ascii_isxdigit(s->t[s->i]))
                        return 0;
                }
            } else if (!strchr("\"\\/bfnrt", c) || c == 0) {
                return 0;
            }
        }
        s->i++;
    }
    return 0;
}

static int v_value(vscan *s) {
    v_ws(s);
    if (s->i >= s->n)
        return 0;
    char c = s->t[s->i];
    if (c == '"')
        return v_string(s);
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        s->i++;
        v_ws(s);
        if (s->i < s->n && s->t[s->i] == close) {
            s->i++;
            return 1;
        }
        for (;;) {
            if (c == '{') {
                v_ws(s);
                if (s->i >= s->n || s->t[s->i] != '"' || !v_string(s))
                    return 0;
                v_ws(s);
                if (s->i >= s->n || s->t[s->i] != ':')
                    return 0;
                s->i++;
            }
            if (!v_value(s))
                return 0;
            v_ws(s);
            if (s->i < s->n && s->t[s->i] == ',') {
                s->i++;
                continue;
            }
            if (s->i < s->n && s->t[s->i] == close) {
                s->i++;
                return 1;
            }
            return 0;
        }
    }
    if (c == 't')
        return v_lit(s, "true");
    if (c == 'f')
        return v_lit(s, "false");
    if (c == 'n')
        return v_lit(s, "null");
    return v_number(s);
}

/* Offset of the first syntax error, or SIZE_MAX if the text is valid JSON. */
static size_t first_error(const char *t, size_t n) {
    vscan s = {t, n, 0};
    if (n >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0) /* UTF-8 BOM, as cJSON */
        s.i = 3;
    if (!v_value(&s))
        return s.i;
    v_ws(&s);
    return s.i < n ? s.i : SIZE_MAX;
}

/* NaN / Infinity literals (JavaScript, Python's json) are not JSON: report
 * them as non-finite numbers rather than a generic syntax error. */
static int nonfinite_token(const char *p, size_t n) {
    if (n > 0 && (*p == '-' || *p == '+'))
        p++, n--;
    return (n >= 3 && g_ascii_strncasecmp(p, "nan", 3) == 0) ||
           (n >= 3 && g_ascii_strncasecmp(p, "inf", 3) == 0);
}

int povi_json_parse(const char *text, size_t len, const char *source, int max_depth,
                    cJSON **out) {
    if (!out)
        return povi_error(POV_EINVAL, "out is NULL");
    *out = NULL;
    if (!text && len)
        return povi_error(POV_EINVAL, "text is NULL");
    if (max_depth <= 0)
        max_depth = POV_JSON_MAX_DEPTH;
    const char *src = source ? source : "<string>";
    povi_loc loc = {src, 0, 0, SIZE_MAX, NULL};

    /* Pre-scan: nesting depth (cJSON's own limit is 1000 and not
     * configurable), and the state at the end of the text for telling a
     * truncated document from a malformed one. */
    int depth = 0, in_str = 0, esc = 0;
    size_t last_nonws = SIZE_MAX;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (!is_ws(c))
            last_nonws = i;
        if (in_str) {
            if (esc)
                esc = 0;
            else if (c == '\\')
                esc = 1;
            else if (c == '"')
                in_str = 0;
            continue;
        }
        if (c == '"') {
            in_str = 1;
        } else if (c == '{' || c == '[') {
            if (++depth > max_depth) {
                set_pos(&loc, text, len, i);
                return povi_error_at(POV_ELIMIT, &loc, "nesting deeper than %d levels",
                                     max_depth);
            }
        } else if (c == '}' || c == ']') {
            if (depth > 0)
                depth--;
        }
    }
    if (last_nonws == SIZE_MAX) {
        set_pos(&loc, text, len, len);
        return povi_error_at(POV_ETRUNCATED, &loc, "empty JSON text");
    }

    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
        size_t off = first_error(text, len);
        if (off == SIZE_MAX) /* valid by RFC 8259 but not for cJSON: use its position */
            off = end ? (size_t)(end - text) : 0;
        if (off >= len) {
            set_pos(&loc, text, len, len);
            return povi_error_at(POV_ETRUNCATED, &loc, "JSON text ends inside a%s",
                                 in_str ? " string" : "n unclosed object or array");
        }
        if (nonfinite_token(text + off, len - off)) {
            if (off > 0 && (text[off - 1] == '-' || text[off - 1] == '+'))
                off--; /* point at the sign of -Infinity */
            set_pos(&loc, text, len, off);
            return povi_error_at(POV_ENONFINITE, &loc, "NaN and Infinity are not numbers in "
                                 "JSON (leave the field out or use null for a missing value)");
        }
        set_pos(&loc, text, len, off);
        return povi_error_at(POV_ESYNTAX, &loc, "malformed JSON");
    }
    size_t off = end ? (size_t)(end - text) : len;
    while (off < len && is_ws(text[off]))
        off++;
    if (off < len) {
        cJSON_Delete(root);
        set_pos(&loc, text, len, off);
        return povi_error_at(POV_ESYNTAX, &loc, "unexpected text after the JSON value");
    }
    *out = root;
    return 0;
}

/* ---- locating a path ------------------------------------------------------ */

typedef struct scan {
    const char *t;
    size_t n, i;
} scan;

static void skip_ws(scan *s) {
    while (s->i < s->n && is_ws(s->t[s->i]))
        s->i++;
}

/* Skips a string starting at the quote; returns 0 on failure. */
static int skip_string(scan *s) {
    if (s->i >= s->n || s->t[s->i] != '"')
        return 0;
    s->i++;
    while (s->i < s->n) {
        char c = s->t[s->i++];
        if (c == '\\')
            s->i++;
        else if (c == '"')
            return 1;
    }
    return 0;
}

/* Skips any value; returns 0 on failure. */
static int skip_value(scan *s) {
    skip_ws(s);
    if (s->i >= s->n)
        return 0;
    char c = s->t[s->i];
    if (c == '"')
        return skip_string(s);
    if (c == '{' || c == '[') {
        int depth = 0;
        while (s->i < s->n) {
            c = s->t[s->i];
            if (c == '"') {
                if (!skip_string(s))
                    return 0;
                continue;
            }
            if (c == '{' || c == '[')
                depth++;
            else if (c == '}' || c == ']') {
                if (--depth == 0) {
                    s->i++;
                    return 1;
                }
            }
            s->i++;
        }
        return 0;
    }
    while (s->i < s->n && !is_ws(s->t[s->i]) && s->t[s->i] != ',' && s->t[s->i] != '}' &&
           s->t[s->i] != ']')
        s->i++;
    return 1;
}

/* Moves to the value of key (klen bytes) in the object at s->i. Returns 1 if
 * found, 0 if the key is absent (s->i restored to the object start), -1 on
 * failure. */
static int enter_key(scan *s, const char *key, size_t klen) {
    skip_ws(s);
    size_t start = s->i;
    if (s->i >= s->n || s->t[s->i] != '{')
        return -1;
    s->i++;
    for (;;) {
        skip_ws(s);
        if (s->i >= s->n)
            return -1;
        if (s->t[s->i] == '}')
            break;
        if (s->t[s->i] == ',') {
            s->i++;
            continue;
        }
        size_t k0 = s->i + 1;
        if (!skip_string(s))
            return -1;
        size_t k1 = s->i - 1;
        skip_ws(s);
        if (s->i >= s->n || s->t[s->i] != ':')
            return -1;
        s->i++;
        skip_ws(s);
        if (k1 - k0 == klen && memcmp(s->t + k0, key, klen) == 0)
            return 1;
        if (!skip_value(s))
            return -1;
    }
    s->i = start;
    return 0;
}

static int enter_index(scan *s, size_t idx) {
    skip_ws(s);
    if (s->i >= s->n || s->t[s->i] != '[')
        return -1;
    s->i++;
    for (size_t k = 0;; k++) {
        skip_ws(s);
        if (s->i >= s->n || s->t[s->i] == ']')
            return -1;
        if (k == idx)
            return 1;
        if (!skip_value(s))
            return -1;
        skip_ws(s);
        if (s->i < s->n && s->t[s->i] == ',')
            s->i++;
    }
}

size_t povi_json_locate(const char *text, size_t len, const char *path) {
    if (!text)
        return SIZE_MAX;
    scan s = {text, len, 0};
    skip_ws(&s);
    if (s.i < s.n && (unsigned char)s.t[s.i] == 0xEF && s.i + 2 < s.n) /* BOM */
        s.i += 3, skip_ws(&s);
    const char *p = path ? path : "";
    while (*p) {
        if (*p == '.') {
            p++;
            continue;
        }
        if (*p == '[') {
            char *e;
            unsigned long long idx = strtoull(p + 1, &e, 10);
            if (*e != ']')
                return SIZE_MAX;
            if (enter_index(&s, (size_t)idx) != 1)
                return SIZE_MAX;
            p = e + 1;
            continue;
        }
        size_t k = strcspn(p, ".[");
        int r = enter_key(&s, p, k);
        if (r < 0)
            return SIZE_MAX;
        if (r == 0) /* missing key: point at the enclosing object */
            return s.i;
        p += k;
    }
    skip_ws(&s);
    return s.i <= s.n ? s.i : SIZE_MAX;
}

int povi_json_error(int code, const povi_json_src *src, const char *rel_path, const char *fmt,
                    ...) {
    char path[512];
    const char *base = (src && src->base_path) ? src->base_path : "";
    const char *rel = rel_path ? rel_path : "";
    const char *sep = (base[0] && rel[0] && rel[0] != '[') ? "." : "";
    snprintf(path, sizeof path, "%s%s%s", base, sep, rel);
    povi_loc loc = {src && src->source ? src->source : "<string>", 0, 0, SIZE_MAX, path};
    if (src && src->text) {
        size_t off = povi_json_locate(src->text, src->len, path);
        if (off != SIZE_MAX) {
            size_t line, col;
            povi_line_col(src->text, off, &line, &col);
            loc.line = src->line_base + line;
            loc.column = col;
            loc.offset = src->offset_base + off;
        }
    }
    va_list ap;
    va_start(ap, fmt);
    int r = povi_error_atv(code, &loc, fmt, ap);
    va_end(ap);
    return r;
}

/* ---- writing -------------------------------------------------------------- */

void povi_json_append_string(GString *out, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    g_string_append_c(out, '"');
    size_t run = 0; /* start of the pending run of plain bytes */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        g_string_append_len(out, s + run, (gssize)(i - run));
        run = i + 1;
        switch (c) {
        case '"': g_string_append(out, "\\\""); break;
        case '\\': g_string_append(out, "\\\\"); break;
        case '\n': g_string_append(out, "\\n"); break;
        case '\r': g_string_append(out, "\\r"); break;
        case '\t': g_string_append(out, "\\t"); break;
        case '\b': g_string_append(out, "\\b"); break;
        case '\f': g_string_append(out, "\\f"); break;
        default: {
            char u[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
            g_string_append(out, u);
        }
        }
    }
    g_string_append_len(out, s + run, (gssize)(n - run));
    g_string_append_c(out, '"');
}

void povi_json_append_number(GString *out, double v) {
    char buf[40];
    if (v == 0.0) {
        g_string_append_c(out, '0'); /* also -0 */
        return;
    }
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, sizeof buf, "%.0f", v);
        g_string_append(out, buf);
        return;
    }
    /* shortest of %.15g .. %.17g that reads back exactly */
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    g_string_append(out, buf);
}

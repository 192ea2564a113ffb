/*
 * Scanning JSON without building a tree: the nesting depth of one record,
 * and the elements of a top-level array one at a time (so a large JSON
 * array file is read in bounded memory, element by element).
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "io_internal.h"

int povi_json_depth_check(const char *text, size_t len, size_t max_depth, size_t *err_off) {
    size_t depth = 0;
    int in_str = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = 0;
            continue;
        }
        switch (c) {
        case '"':
            in_str = 1;
            break;
        case '{':
        case '[':
            if (++depth > max_depth) {
                *err_off = i;
                return POV_ELIMIT;
            }
            break;
        case '}':
        case ']':
            if (depth > 0)
                depth--;
            break;
        default:
            break;
        }
    }
    return (depth > 0 || in_str) ? 1 : 0;
}

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static povi_loc here(const povi_lr *lr, size_t rel) {
    povi_loc loc = POVI_LOC_NONE;
    loc.source = lr->source;
    loc.line = lr->line;
    loc.offset = (size_t)(lr->base + lr->beg + rel);
    loc.column = (size_t)(lr->base + lr->beg + rel - lr->line_off) + 1;
    return loc;
}

/* Skips whitespace from buf[beg], keeping line numbers; returns the next
 * byte, or -1 at the end of input, or a negative code < -1 on error. */
static int skip_ws(povi_lr *lr) {
    for (;;) {
        while (lr->beg < lr->end && is_ws(lr->buf[lr->beg])) {
            if (lr->buf[lr->beg] == '\n') {
                lr->line++;
                lr->line_off = lr->base + lr->beg + 1;
            }
            lr->beg++;
        }
        if (lr->beg < lr->end)
            return (unsigned char)lr->buf[lr->beg];
        long r = povi_lr_fill(lr);
        if (r < 0)
            return (int)r < -1 ? (int)r : POV_EIO;
        if (r == 0)
            return -1;
    }
}

static int truncated_at_end(povi_lr *lr, const char *what, size_t start_line) {
    povi_loc loc = here(lr, lr->end - lr->beg);
    char path[32];
    if (start_line) {
        snprintf(path, sizeof path, "[%zu]", lr->arr_index);
        loc.path = path;
    }
    /* "here" of the end: count the newlines between beg and end */
    size_t line = lr->line;
    uint64_t line_off = lr->line_off;
    for (size_t i = lr->beg; i < lr->end; i++) {
        if (lr->buf[i] == '\n') {
            line++;
            line_off = lr->base + i + 1;
        }
    }
    loc.line = line;
    loc.column = (size_t)(lr->base + lr->end - line_off) + 1;
    loc.offset = (size_t)(lr->base + lr->end);
    if (start_line)
        return povi_error_at(POV_ETRUNCATED, &loc,
                             "the input ends inside %s that starts at line %zu", what, start_line);
    return povi_error_at(POV_ETRUNCATED, &loc, "the input ends inside %s", what);
}

int povi_lr_next_json_elem(povi_lr *lr, povi_rec *rec, size_t max_depth) {
    if (!lr->started) {
        lr->started = 1;
        while (lr->end - lr->beg < 3 && povi_lr_fill(lr) > 0) {
        }
        if (lr->end - lr->beg >= 3 && memcmp(lr->buf + lr->beg, "\xEF\xBB\xBF", 3) == 0) {
            lr->beg += 3;
            lr->line_off = lr->base + lr->beg;
        }
    }
    if (lr->arr_state == 3)
        return 0;
    int c = skip_ws(lr);
    if (c < -1)
        return c;
    if (lr->arr_state == 0) {
        if (c == -1) {
            povi_loc loc = here(lr, 0);
            return povi_error_at(POV_ESYNTAX, &loc, "empty input: expected a JSON array '['");
        }
        if (c != '[') {
            povi_loc loc = here(lr, 0);
            return povi_error_at(POV_ESYNTAX, &loc,
                                 "expected '[': a JSON household file is an array of objects "
                                 "(use JSON Lines for one object per line)");
        }
        lr->beg++;
        lr->arr_state = 1;
        c = skip_ws(lr);
        if (c < -1)
            return c;
        if (c == ']') {
            lr->beg++;
            lr->arr_state = 3;
            goto after_array;
        }
    } else if (lr->arr_state == 2) {
        if (c == -1)
            return truncated_at_end(lr, "the household array (no closing ']')", 0);
        if (c == ']') {
            lr->beg++;
            lr->arr_state = 3;
            goto after_array;
        }
        if (c != ',') {
            povi_loc loc = here(lr, 0);
            return povi_error_at(POV_ESYNTAX, &loc, "expected ',' or ']' after array element %zu",
                                 lr->arr_index);
        }
        lr->beg++;
        c = skip_ws(lr);
        if (c < -1)
            return c;
    }
    if (c == -1)
        return truncated_at_end(lr, "the household array (no closing ']')", 0);
    if (c == ']') {
        povi_loc loc = here(lr, 0);
        return povi_error_at(POV_ESYNTAX, &loc, "a comma before ']' (trailing commas are not JSON)");
    }
    /* scan one element: from beg to the matching close (or the end of a scalar) */
    size_t start_line = lr->line;
    size_t start_col = (size_t)(lr->base + lr->beg - lr->line_off) + 1;
    uint64_t start_off = lr->base + lr->beg;
    size_t i = 0, depth = 0, too_deep_at = SIZE_MAX;
    int in_str = 0, esc = 0;
    size_t nl = 0;
    uint64_t cur_line_off = lr->line_off;
    size_t too_deep_line = 0;
    uint64_t too_deep_line_off = 0;
    int scalar = !(c == '{' || c == '[' || c == '"');
    for (;;) {
        const char *p = lr->buf + lr->beg;
        size_t avail = lr->end - lr->beg;
        int done = 0;
        for (; i < avail; i++) {
            char ch = p[i];
            if (scalar) {
                if (is_ws(ch) || ch == ',' || ch == ']') {
                    done = 1;
                    break;
                }
                continue;
            }
            if (ch == '\n') {
                nl++;
                cur_line_off = lr->base + lr->beg + i + 1;
            }
            if (in_str) {
                if (esc)
                    esc = 0;
                else if (ch == '\\')
                    esc = 1;
                else if (ch == '"') {
                    in_str = 0;
                    if (depth == 0) {
                        i++;
                        done = 1;
                        break;
                    }
                }
                continue;
            }
            if (ch == '"') {
                in_str = 1;
            } else if (ch == '{' || ch == '[') {
                depth++;
                if (depth > max_depth && too_deep_at == SIZE_MAX) {
                    too_deep_at = i;
                    too_deep_line = start_line + nl;
                    too_deep_line_off = cur_line_off;
                }
            } else if (ch == '}' || ch == ']') {
                if (depth > 0 && --depth == 0) {
                    i++;
                    done = 1;
                    break;
                }
            }
        }
        if (done)
            break;
        if (avail > lr->max_rec + 1) {
            povi_loc loc = POVI_LOC_NONE;
            loc.source = lr->source;
            loc.line = start_line;
            loc.column = start_col;
            loc.offset = (size_t)start_off;
            return povi_error_at(POV_ELIMIT, &loc,
                                 "array element %zu (line %zu) is longer than the limit of %zu "
                                 "bytes", lr->arr_index, start_line, lr->max_rec);
        }
        long r = povi_lr_fill(lr);
        if (r < 0)
            return (int)r;
        if (r == 0 && i >= lr->end - lr->beg) {
            if (scalar)
                break;
            return truncated_at_end(lr, "a household object", start_line);
        }
    }
    rec->text = lr->buf + lr->beg;
    rec->len = i;
    rec->line = start_line;
    rec->column = start_col;
    rec->nlines = nl + 1;
    rec->offset = start_off;
    if (rec->len > lr->max_rec) {
        povi_loc loc = POVI_LOC_NONE;
        loc.source = lr->source;
        loc.line = start_line;
        loc.column = start_col;
        loc.offset = (size_t)start_off;
        return povi_error_at(POV_ELIMIT, &loc,
                             "array element %zu (line %zu) is longer than the limit of %zu bytes",
                             lr->arr_index, start_line, lr->max_rec);
    }
    lr->beg += i;
    lr->line += nl;
    lr->line_off = cur_line_off;
    lr->arr_state = 2;
    lr->arr_index++;
    if (too_deep_at != SIZE_MAX) {
        povi_loc loc = POVI_LOC_NONE;
        loc.source = lr->source;
        loc.line = too_deep_line;
        loc.offset = (size_t)(start_off + too_deep_at);
        loc.column = (size_t)(start_off + too_deep_at - too_deep_line_off) + 1;
        povi_error_at(POV_ELIMIT, &loc, "nesting deeper than the limit of %zu levels", max_depth);
        return 2; /* element found, but bad: the caller rejects it */
    }
    return 1;

after_array:
    c = skip_ws(lr);
    if (c < -1)
        return c;
    if (c != -1) {
        povi_loc loc = here(lr, 0);
        return povi_error_at(POV_ESYNTAX, &loc, "unexpected text after the closing ']'");
    }
    return 0;
}

/* ---- NaN / Infinity tokens ------------------------------------------------ */

size_t povi_json_nonfinite_token(const char *text, size_t len, size_t off) {
    static const char *const toks[] = {"-Infinity", "Infinity", "-inf", "inf", "NaN", "nan",
                                       "-NaN", "-nan"};
    if (off >= len)
        return 0;
    for (size_t k = 0; k < sizeof toks / sizeof toks[0]; k++) {
        size_t n = strlen(toks[k]);
        if (len - off >= n && memcmp(text + off, toks[k], n) == 0)
            return n;
    }
    return 0;
}

typedef struct path_level {
    int is_array;
    size_t index;
    size_t key_off, key_len; /* object: the current key (key_len 0: none yet) */
} path_level;

void povi_json_path_at(const char *text, size_t len, size_t off, GString *out) {
    path_level stack[64];
    size_t depth = 0; /* levels beyond 64 are counted but not named */
    size_t overflow = 0;
    int expect_key = 0;
    if (off > len)
        off = len;
    for (size_t i = 0; i < off; i++) {
        char c = text[i];
        if (c == '"') {
            size_t s = i + 1;
            i++;
            while (i < off && text[i] != '"') {
                if (text[i] == '\\')
                    i++;
                i++;
            }
            if (expect_key && depth > 0 && !overflow && !stack[depth - 1].is_array) {
                stack[depth - 1].key_off = s;
                stack[depth - 1].key_len = (i < off ? i : off) - s;
                expect_key = 0;
            }
            continue;
        }
        if (c == '{' || c == '[') {
            if (depth < 64 && !overflow) {
                stack[depth] = (path_level){c == '[', 0, 0, 0};
                depth++;
            } else {
                overflow++;
            }
            expect_key = (c == '{');
        } else if (c == '}' || c == ']') {
            if (overflow)
                overflow--;
            else if (depth > 0)
                depth--;
            expect_key = 0;
        } else if (c == ',') {
            if (depth > 0 && !overflow) {
                if (stack[depth - 1].is_array)
                    stack[depth - 1].index++;
                else
                    expect_key = 1;
            }
        }
    }
    for (size_t d = 0; d < depth; d++) {
        if (stack[d].is_array) {
            g_string_append_printf(out, "[%zu]", stack[d].index);
        } else if (stack[d].key_len) {
            if (out->len)
                g_string_append_c(out, '.');
            g_string_append_len(out, text + stack[d].key_off, (gssize)stack[d].key_len);
        }
    }
}

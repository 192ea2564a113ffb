/*
 * Buffered input: lines and CSV records, with CRLF, a UTF-8 BOM, a last line
 * without newline, a line-length limit and exact line numbers.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "io_internal.h"

#define LR_CHUNK ((size_t)1 << 20) /* read size and initial buffer */

int povi_lr_open_file(povi_lr *lr, const char *path, size_t max_rec) {
    memset(lr, 0, sizeof *lr);
    lr->source = path;
    lr->line = 1;
    lr->max_rec = max_rec;
    lr->fp = fopen(path, "rb");
    if (!lr->fp) {
        povi_loc loc = POVI_LOC_NONE;
        loc.source = path;
        return povi_error_at(POV_EIO, &loc, "cannot open '%s': %s", path, strerror(errno));
    }
    lr->cap = LR_CHUNK;
    lr->buf = malloc(lr->cap);
    if (!lr->buf) {
        fclose(lr->fp);
        lr->fp = NULL;
        return povi_error(POV_ENOMEM, "out of memory for a read buffer");
    }
    return 0;
}

void povi_lr_open_mem(povi_lr *lr, const char *data, size_t len, const char *source,
                      size_t max_rec) {
    memset(lr, 0, sizeof *lr);
    lr->source = source;
    lr->line = 1;
    lr->max_rec = max_rec;
    lr->buf = (char *)data; /* never written in memory mode */
    lr->end = len;
    lr->cap = len;
    lr->eof = 1;
}

void povi_lr_close(povi_lr *lr) {
    if (lr->fp) {
        fclose(lr->fp);
        free(lr->buf);
    }
    memset(lr, 0, sizeof *lr);
}

long povi_lr_fill(povi_lr *lr) {
    if (lr->eof || !lr->fp)
        return 0;
    if (lr->beg > 0 && (lr->end == lr->cap || lr->beg == lr->end || lr->beg > lr->cap / 2)) {
        memmove(lr->buf, lr->buf + lr->beg, lr->end - lr->beg);
        lr->base += lr->beg;
        lr->end -= lr->beg;
        lr->beg = 0;
    }
    if (lr->end == lr->cap) {
        /* one record fills the buffer: grow it (the scanners stop at max_rec) */
        size_t ncap = lr->cap * 2;
        char *nb = realloc(lr->buf, ncap);
        if (!nb)
            return povi_error(POV_ENOMEM, "out of memory growing the read buffer to %zu bytes", ncap);
        lr->buf = nb;
        lr->cap = ncap;
    }
    size_t got = fread(lr->buf + lr->end, 1, lr->cap - lr->end, lr->fp);
    if (got == 0) {
        if (ferror(lr->fp)) {
            lr->err = 1;
            povi_loc loc = POVI_LOC_NONE;
            loc.source = lr->source;
            return povi_error_at(POV_EIO, &loc, "read error in '%s': %s", lr->source,
                                 strerror(errno));
        }
        lr->eof = 1;
        return 0;
    }
    lr->end += got;
    return (long)got;
}

/* Skips a UTF-8 byte order mark at the very start of the input. */
static int lr_start(povi_lr *lr) {
    if (lr->started)
        return 0;
    lr->started = 1;
    while (lr->end - lr->beg < 3) {
        long r = povi_lr_fill(lr);
        if (r < 0)
            return (int)r;
        if (r == 0)
            break;
    }
    if (lr->end - lr->beg >= 3 && memcmp(lr->buf + lr->beg, "\xEF\xBB\xBF", 3) == 0) {
        lr->beg += 3;
        lr->line_off = lr->base + lr->beg;
    }
    return 0;
}

/* Consumes bytes up to and including the next newline (for an over-long
 * line), reading as needed. */
static int lr_skip_rest_of_line(povi_lr *lr) {
    for (;;) {
        char *nl = memchr(lr->buf + lr->beg, '\n', lr->end - lr->beg);
        if (nl) {
            lr->beg = (size_t)(nl - lr->buf) + 1;
            return 0;
        }
        lr->beg = lr->end;
        long r = povi_lr_fill(lr);
        if (r < 0)
            return (int)r;
        if (r == 0)
            return 0;
    }
}

/* Reports a record longer than the limit and skips it; the record handed
 * back is empty and its location is the first byte over the limit. */
static int lr_too_long(povi_lr *lr, povi_rec *rec, const char *what) {
    povi_loc loc = POVI_LOC_NONE;
    loc.source = lr->source;
    loc.line = lr->line;
    loc.column = (size_t)(lr->base + lr->beg - lr->line_off) + lr->max_rec + 1;
    loc.offset = (size_t)(lr->base + lr->beg) + lr->max_rec;
    size_t line = lr->line;
    povi_error_at(POV_ELIMIT, &loc, "%s %zu is longer than the limit of %zu bytes", what,
                  line, lr->max_rec);
    rec->text = "";
    rec->len = 0;
    rec->line = line;
    rec->column = loc.column;
    rec->nlines = 1;
    rec->offset = lr->base + lr->beg;
    int r = lr_skip_rest_of_line(lr);
    if (r < 0)
        return r;
    lr->line++;
    lr->line_off = lr->base + lr->beg;
    return 2; /* a record was skipped; the error is recorded */
}

int povi_lr_next_line(povi_lr *lr, povi_rec *rec) {
    int r = lr_start(lr);
    if (r < 0)
        return r;
    size_t scanned = 0; /* bytes after beg known to hold no newline */
    char *nl;
    for (;;) {
        nl = memchr(lr->buf + lr->beg + scanned, '\n', lr->end - lr->beg - scanned);
        if (nl)
            break;
        scanned = lr->end - lr->beg;
        if (scanned > lr->max_rec + 1) /* +1: a CR before the newline is not content */
            return lr_too_long(lr, rec, "line");
        long got = povi_lr_fill(lr);
        if (got < 0)
            return (int)got;
        if (got == 0)
            break;
    }
    size_t len = nl ? (size_t)(nl - (lr->buf + lr->beg)) : lr->end - lr->beg;
    if (!nl && len == 0)
        return 0;
    size_t content = len;
    if (content > 0 && lr->buf[lr->beg + content - 1] == '\r')
        content--;
    if (content > lr->max_rec)
        return lr_too_long(lr, rec, "line");
    rec->text = lr->buf + lr->beg;
    rec->len = content;
    rec->line = lr->line;
    rec->column = (size_t)(lr->base + lr->beg - lr->line_off) + 1;
    rec->nlines = 1;
    rec->offset = lr->base + lr->beg;
    lr->beg += len + (nl ? 1 : 0);
    lr->line++;
    lr->line_off = lr->base + lr->beg;
    return 1;
}

int povi_lr_next_csv(povi_lr *lr, povi_rec *rec) {
    int r = lr_start(lr);
    if (r < 0)
        return r;
    /* State survives buffer refills because positions are relative to beg. */
    size_t i = 0;            /* next byte to look at, relative to beg */
    int in_quote = 0;
    int field_start = 1;     /* at the start of a field */
    size_t nl_count = 0;     /* newlines inside the record so far */
    size_t q_line = 0, q_col = 0; /* opening quote of the current quoted field */
    uint64_t cur_line_off = lr->line_off;
    for (;;) {
        size_t avail = lr->end - lr->beg;
        const char *p = lr->buf + lr->beg;
        /* fast path: no quote open and no quote before the next newline */
        if (!in_quote) {
            const char *nl = memchr(p + i, '\n', avail - i);
            if (nl && !memchr(p + i, '"', (size_t)(nl - (p + i)))) {
                size_t len = (size_t)(nl - p);
                size_t content = (len > 0 && p[len - 1] == '\r') ? len - 1 : len;
                if (content > lr->max_rec)
                    return lr_too_long(lr, rec, "record at line");
                rec->text = p;
                rec->len = content;
                rec->line = lr->line;
                rec->column = (size_t)(lr->base + lr->beg - lr->line_off) + 1;
                rec->nlines = nl_count + 1;
                rec->offset = lr->base + lr->beg;
                lr->beg += len + 1;
                lr->line += nl_count + 1;
                lr->line_off = lr->base + lr->beg;
                return 1;
            }
        }
        for (; i < avail; i++) {
            char c = p[i];
            if (in_quote) {
                if (c == '"') {
                    if (i + 1 >= avail && !lr->eof)
                        break; /* need the next byte to tell "" from " */
                    if (i + 1 < avail && p[i + 1] == '"') {
                        i++;
                    } else {
                        in_quote = 0;
                    }
                } else if (c == '\n') {
                    nl_count++;
                    cur_line_off = lr->base + lr->beg + i + 1;
                }
                continue;
            }
            if (c == '"' && field_start) {
                in_quote = 1;
                field_start = 0;
                q_line = lr->line + nl_count;
                q_col = (size_t)(lr->base + lr->beg + i - cur_line_off) + 1;
                continue;
            }
            if (c == ',') {
                field_start = 1;
                continue;
            }
            if (c == '\n')
                break;
            field_start = 0;
        }
        if (i < avail && p[i] == '\n' && !in_quote) {
            size_t len = i;
            size_t content = (len > 0 && p[len - 1] == '\r') ? len - 1 : len;
            if (content > lr->max_rec)
                return lr_too_long(lr, rec, "record at line");
            rec->text = p;
            rec->len = content;
            rec->line = lr->line;
            rec->column = (size_t)(lr->base + lr->beg - lr->line_off) + 1;
            rec->nlines = nl_count + 1;
            rec->offset = lr->base + lr->beg;
            lr->beg += len + 1;
            lr->line += nl_count + 1;
            lr->line_off = lr->base + lr->beg;
            return 1;
        }
        if (avail > lr->max_rec + 2) {
            if (nl_count == 0)
                return lr_too_long(lr, rec, "record at line");
            povi_loc loc = POVI_LOC_NONE;
            loc.source = lr->source;
            loc.line = lr->line;
            loc.column = 1;
            return povi_error_at(POV_ELIMIT, &loc,
                                 "record starting at line %zu is longer than the limit of %zu "
                                 "bytes (an unbalanced quote?)", lr->line, lr->max_rec);
        }
        uint64_t old_base = lr->base + lr->beg;
        long got = povi_lr_fill(lr);
        if (got < 0)
            return (int)got;
        (void)old_base;
        if (got == 0 && i >= lr->end - lr->beg) {
            /* end of input */
            avail = lr->end - lr->beg;
            if (in_quote) {
                povi_loc loc = POVI_LOC_NONE;
                loc.source = lr->source;
                loc.line = q_line;
                loc.column = q_col;
                return povi_error_at(POV_ETRUNCATED, &loc,
                                     "the input ends inside the quoted field opened at line %zu, "
                                     "column %zu", q_line, q_col);
            }
            if (avail == 0)
                return 0;
            p = lr->buf + lr->beg;
            size_t content = (p[avail - 1] == '\r') ? avail - 1 : avail;
            if (content > lr->max_rec)
                return lr_too_long(lr, rec, "record at line");
            rec->text = p;
            rec->len = content;
            rec->line = lr->line;
            rec->column = (size_t)(lr->base + lr->beg - lr->line_off) + 1;
            rec->nlines = nl_count + 1;
            rec->offset = lr->base + lr->beg;
            lr->beg = lr->end;
            lr->line += nl_count + 1;
            lr->line_off = lr->base + lr->beg;
            return 1;
        }
    }
}

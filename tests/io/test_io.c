/*
 * Tests of the readers and writers: bad-input fixtures (tests/data/invalid),
 * line reading (CRLF, BOM, last line, limits, buffer boundaries), CSV per
 * RFC 4180, the members join, strict and collect modes, streaming batches,
 * round trips in every format and atomic writes.
 *
 * Expected locations are counted by hand from the literal inputs below (the
 * fixture folders carry theirs in expected.json).
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "povmetrics.h"

/* ---- helpers -------------------------------------------------------------- */

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    size_t got = fread(buf, 1, (size_t)n, f);
    fclose(f);
    buf[got] = '\0';
    if (len)
        *len = got;
    return buf;
}

static void spit(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    fwrite(text, 1, strlen(text), f);
    fclose(f);
}

static char tmpdir[256];

static void make_tmpdir(void) {
    snprintf(tmpdir, sizeof tmpdir, "%s/povio.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    cr_assert_not_null(mkdtemp(tmpdir));
}

static void rm_tmpdir(void) {
    DIR *d = opendir(tmpdir);
    if (!d)
        return;
    struct dirent *e;
    char p[512];
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(tmpdir);
}

static const char *tpath(const char *name) {
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", tmpdir, name);
    return buf[k];
}

static pov_dataset *read_buf(const char *text, int format, const pov_read_options *o) {
    pov_dataset *ds = NULL;
    int rc = pov_dataset_read_buffer(pov_schema_core(), text, strlen(text), "t", format, o, &ds,
                                     NULL);
    cr_assert_eq(rc, 0, "read failed: %d %s (line %zu col %zu path %s)", rc,
                 pov_error_message(pov_error_last()), pov_error_line(pov_error_last()),
                 pov_error_column(pov_error_last()), pov_error_path(pov_error_last()));
    return ds;
}

static void expect_err(int rc, int code, size_t line, size_t column, const char *path) {
    const pov_error *e = pov_error_last();
    cr_expect_eq(rc, code, "rc %d, want %d (%s)", rc, code, pov_error_message(e));
    cr_expect_eq(pov_error_code(e), code);
    cr_expect_eq(pov_error_line(e), line, "line %zu, want %zu (%s)", pov_error_line(e), line,
                 pov_error_message(e));
    cr_expect_eq(pov_error_column(e), column, "column %zu, want %zu (%s)", pov_error_column(e),
                 column, pov_error_message(e));
    if (path)
        cr_expect_str_eq(pov_error_path(e), path, "path '%s', want '%s'", pov_error_path(e), path);
}

static double num(const pov_dataset *ds, size_t row, const char *id) {
    size_t ind;
    cr_assert_eq(pov_schema_find(pov_dataset_schema(ds), id, &ind), 0);
    const double *col = pov_dataset_column_number(ds, ind);
    cr_assert_not_null(col);
    return col[row];
}

/* JSON text of every household, concatenated: two datasets hold the same
 * households exactly when these strings are equal. */
static char *dump(const pov_dataset *ds) {
    size_t cap = 1024, len = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    for (size_t i = 0; i < pov_dataset_count(ds); i++) {
        pov_household *h;
        cr_assert_eq(pov_dataset_household(ds, i, &h), 0);
        char *j;
        cr_assert_eq(pov_household_to_json(h, 0, &j), 0);
        size_t n = strlen(j);
        while (len + n + 2 > cap) {
            cap *= 2;
            out = realloc(out, cap);
        }
        memcpy(out + len, j, n);
        len += n;
        out[len++] = '\n';
        out[len] = '\0';
        pov_free(j);
        pov_household_free(h);
    }
    return out;
}

/* ---- the bad-input fixtures ------------------------------------------------- */

static int code_by_name(const char *name) {
    static const struct {
        const char *n;
        int c;
    } t[] = {{"POV_ESYNTAX", POV_ESYNTAX},       {"POV_ETYPE", POV_ETYPE},
             {"POV_ERANGE", POV_ERANGE},         {"POV_ENONFINITE", POV_ENONFINITE},
             {"POV_ECODE", POV_ECODE},           {"POV_EMISSING", POV_EMISSING},
             {"POV_EDUPLICATE", POV_EDUPLICATE}, {"POV_EORPHAN", POV_EORPHAN},
             {"POV_ELIMIT", POV_ELIMIT},         {"POV_ETRUNCATED", POV_ETRUNCATED},
             {"POV_EFORMAT", POV_EFORMAT},       {"POV_EUNKNOWN", POV_EUNKNOWN}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(t[i].n, name) == 0)
            return t[i].c;
    cr_assert_fail("unknown code name %s", name);
    return 0;
}

static int format_by_name(const char *name) {
    if (strcmp(name, "json") == 0)
        return POV_FORMAT_JSON;
    if (strcmp(name, "jsonl") == 0)
        return POV_FORMAT_JSONL;
    return POV_FORMAT_CSV;
}

typedef struct fixture {
    char dir[1024], input[1400], members[1400];
    char name[300];
    int code, format;
    size_t line, column;
    char path[128], source[128];
    size_t max_line, max_depth;
} fixture;

static int load_fixture(const char *base, const char *name, fixture *fx) {
    memset(fx, 0, sizeof *fx);
    snprintf(fx->name, sizeof fx->name, "%s", name);
    snprintf(fx->dir, sizeof fx->dir, "%s/%s", base, name);
    char p[1100];
    snprintf(p, sizeof p, "%s/expected.json", fx->dir);
    char *text = slurp(p, NULL);
    if (!text)
        return 0;
    cJSON *j = cJSON_Parse(text);
    free(text);
    cr_assert_not_null(j, "bad %s", p);
    snprintf(fx->input, sizeof fx->input, "%s/%s", fx->dir,
             cJSON_GetObjectItem(j, "input")->valuestring);
    cJSON *m = cJSON_GetObjectItem(j, "members");
    if (m)
        snprintf(fx->members, sizeof fx->members, "%s/%s", fx->dir, m->valuestring);
    fx->code = code_by_name(cJSON_GetObjectItem(j, "code")->valuestring);
    fx->format = format_by_name(cJSON_GetObjectItem(j, "format")->valuestring);
    fx->line = (size_t)cJSON_GetObjectItem(j, "line")->valuedouble;
    fx->column = (size_t)cJSON_GetObjectItem(j, "column")->valuedouble;
    snprintf(fx->path, sizeof fx->path, "%s", cJSON_GetObjectItem(j, "path")->valuestring);
    snprintf(fx->source, sizeof fx->source, "%s", cJSON_GetObjectItem(j, "source")->valuestring);
    cJSON *o = cJSON_GetObjectItem(j, "options");
    if (o && cJSON_GetObjectItem(o, "max_line"))
        fx->max_line = (size_t)cJSON_GetObjectItem(o, "max_line")->valuedouble;
    if (o && cJSON_GetObjectItem(o, "max_depth"))
        fx->max_depth = (size_t)cJSON_GetObjectItem(o, "max_depth")->valuedouble;
    cJSON_Delete(j);
    return 1;
}

static void fixture_options(const fixture *fx, pov_read_options *o, int mode) {
    pov_read_options_init(o);
    o->mode = mode;
    if (fx->max_line)
        o->max_line = fx->max_line;
    if (fx->max_depth)
        o->max_depth = fx->max_depth;
    if (fx->members[0])
        o->members_path = fx->members;
}

static const char *basename_of(const char *p) {
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static void check_fixture_error(const fixture *fx, int rc, const char *how) {
    const pov_error *e = pov_error_last();
    cr_expect_eq(rc, fx->code, "%s [%s]: code %d (%s), want %d", fx->name, how, rc,
                 pov_error_message(e), fx->code);
    cr_expect_eq(pov_error_line(e), fx->line, "%s [%s]: line %zu, want %zu (%s)", fx->name, how,
                 pov_error_line(e), fx->line, pov_error_message(e));
    cr_expect_eq(pov_error_column(e), fx->column, "%s [%s]: column %zu, want %zu (%s)", fx->name,
                 how, pov_error_column(e), fx->column, pov_error_message(e));
    cr_expect_str_eq(pov_error_path(e), fx->path, "%s [%s]: path '%s', want '%s'", fx->name, how,
                     pov_error_path(e), fx->path);
    cr_expect_str_eq(basename_of(pov_error_source(e)), fx->source, "%s [%s]: source '%s'",
                     fx->name, how, pov_error_source(e));
}

static size_t for_each_fixture(void (*fn)(const fixture *)) {
    const char *data = getenv("POV_TEST_DATA");
    cr_assert_not_null(data, "POV_TEST_DATA is not set (run through meson test)");
    char base[512];
    snprintf(base, sizeof base, "%s/invalid", data);
    DIR *d = opendir(base);
    cr_assert_not_null(d, "cannot open %s", base);
    struct dirent *e;
    size_t n = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        fixture fx;
        if (!load_fixture(base, e->d_name, &fx))
            continue;
        fn(&fx);
        n++;
    }
    closedir(d);
    return n;
}

static void fixture_whole_file(const fixture *fx) {
    pov_read_options o;
    fixture_options(fx, &o, POV_READ_STRICT);
    pov_dataset *ds = (pov_dataset *)1;
    int rc = pov_dataset_read_file(pov_schema_core(), fx->input, fx->format, &o, &ds, NULL);
    check_fixture_error(fx, rc, "read_file");
    cr_expect_null(ds, "%s: out must be NULL after an error", fx->name);
}

static void fixture_streaming(const fixture *fx) {
    pov_read_options o;
    fixture_options(fx, &o, POV_READ_STRICT);
    o.batch_size = 1;
    pov_reader *r;
    int rc = pov_reader_open(pov_schema_core(), fx->input, fx->format, &o, &r);
    cr_assert_eq(rc, 0, "%s: open: %s", fx->name, pov_error_message(pov_error_last()));
    pov_dataset *b;
    while ((rc = pov_reader_next(r, &b)) > 0)
        pov_dataset_free(b);
    check_fixture_error(fx, rc, "reader");
    /* the reader keeps failing with the same code */
    cr_expect_eq(pov_reader_next(r, &b), fx->code);
    cr_expect_null(b);
    pov_reader_free(r);
}

/* The same input from memory (CSV with members: both tables from memory). */
static void fixture_buffer(const fixture *fx) {
    pov_read_options o;
    fixture_options(fx, &o, POV_READ_STRICT);
    size_t len = 0, mlen = 0;
    char *text = slurp(fx->input, &len);
    char *mtext = fx->members[0] ? slurp(fx->members, &mlen) : NULL;
    pov_dataset *ds = NULL;
    int rc;
    o.members_path = NULL;
    if (mtext)
        rc = pov_dataset_read_csv_buffers(pov_schema_core(), text, len, basename_of(fx->input),
                                          mtext, mlen, basename_of(fx->members), &o, &ds, NULL);
    else
        rc = pov_dataset_read_buffer(pov_schema_core(), text, len, basename_of(fx->input),
                                     fx->format, &o, &ds, NULL);
    check_fixture_error(fx, rc, "buffer");
    pov_dataset_free(ds);
    free(text);
    free(mtext);
}

/* Collect mode: the bad record is set aside with the same code and place. */
static void fixture_collect(const fixture *fx) {
    pov_read_options o;
    fixture_options(fx, &o, POV_READ_COLLECT);
    pov_dataset *ds = NULL;
    pov_read_report *rep = NULL;
    int rc = pov_dataset_read_file(pov_schema_core(), fx->input, fx->format, &o, &ds, &rep);
    cr_assert_not_null(rep, "%s: no report", fx->name);
    if (rc == 0) {
        cr_expect_geq(pov_read_report_rejected(rep), 1, "%s: nothing rejected", fx->name);
        cr_expect_eq(pov_read_report_reject_code(rep, 0), fx->code, "%s: collect code %d",
                     fx->name, pov_read_report_reject_code(rep, 0));
        cr_expect_eq(pov_read_report_reject_line(rep, 0), fx->line, "%s: collect line %zu",
                     fx->name, pov_read_report_reject_line(rep, 0));
        cr_expect_eq(pov_read_report_reject_column(rep, 0), fx->column, "%s: collect column %zu",
                     fx->name, pov_read_report_reject_column(rep, 0));
        cr_expect_str_eq(pov_read_report_reject_path(rep, 0), fx->path, "%s: collect path '%s'",
                         fx->name, pov_read_report_reject_path(rep, 0));
        cr_expect_eq(pov_read_report_read(rep),
                     pov_read_report_accepted(rep) + pov_read_report_rejected(rep), "%s", fx->name);
        cr_expect_eq(pov_dataset_count(ds), pov_read_report_accepted(rep), "%s", fx->name);
    } else {
        /* structural errors stop even a collecting read */
        check_fixture_error(fx, rc, "collect");
    }
    pov_dataset_free(ds);
    pov_read_report_free(rep);
}

Test(fixtures, whole_file) { cr_assert_geq(for_each_fixture(fixture_whole_file), 20); }
Test(fixtures, streaming) { cr_assert_geq(for_each_fixture(fixture_streaming), 20); }
Test(fixtures, buffer) { cr_assert_geq(for_each_fixture(fixture_buffer), 20); }
Test(fixtures, collect) { cr_assert_geq(for_each_fixture(fixture_collect), 20); }

/* ---- options and formats -------------------------------------------------- */

Test(options, defaults) {
    pov_read_options o;
    cr_assert_eq(pov_read_options_init(&o), 0);
    cr_expect_eq(o.size, sizeof o);
    cr_expect_eq(o.mode, POV_READ_STRICT);
    cr_expect_eq(o.batch_size, (size_t)POV_READ_DEFAULT_BATCH);
    cr_expect_eq(o.max_line, POV_READ_DEFAULT_MAX_LINE);
    cr_expect_eq(o.max_depth, (size_t)POV_READ_DEFAULT_MAX_DEPTH);
    cr_expect_eq(o.check_duplicates, 1);
    cr_expect_null(o.rejects_path);
    cr_expect_null(o.members_path);
    cr_expect_eq(pov_read_options_init(NULL), POV_EINVAL);
    pov_write_options w;
    cr_assert_eq(pov_write_options_init(&w), 0);
    cr_expect_eq(w.size, sizeof w);
    cr_expect_eq(w.sync, 1);
    cr_expect_null(w.members_path);
    cr_expect_eq(pov_write_options_init(NULL), POV_EINVAL);
}

Test(options, bad_values) {
    pov_read_options o;
    pov_dataset *ds;
    pov_read_options_init(&o);
    o.size = 3;
    cr_expect_eq(pov_dataset_read_buffer(pov_schema_core(), "", 0, "x", POV_FORMAT_JSONL, &o, &ds,
                                         NULL), POV_EINVAL);
    pov_read_options_init(&o);
    o.batch_size = 0;
    cr_expect_eq(pov_dataset_read_buffer(pov_schema_core(), "", 0, "x", POV_FORMAT_JSONL, &o, &ds,
                                         NULL), POV_EINVAL);
    pov_read_options_init(&o);
    o.mode = 7;
    cr_expect_eq(pov_dataset_read_buffer(pov_schema_core(), "", 0, "x", POV_FORMAT_JSONL, &o, &ds,
                                         NULL), POV_EINVAL);
    pov_read_options_init(&o);
    o.max_depth = 0;
    cr_expect_eq(pov_dataset_read_buffer(pov_schema_core(), "", 0, "x", POV_FORMAT_JSONL, &o, &ds,
                                         NULL), POV_EINVAL);
    cr_expect_eq(pov_dataset_read_buffer(pov_schema_core(), "", 0, "x", 99, NULL, &ds, NULL),
                 POV_EINVAL);
    cr_expect_eq(pov_dataset_read_buffer(pov_schema_core(), "", 0, "x", POV_FORMAT_AUTO, NULL, &ds,
                                         NULL), POV_EINVAL);
    cr_expect_eq(pov_dataset_read_buffer(NULL, "", 0, "x", POV_FORMAT_JSONL, NULL, &ds, NULL),
                 POV_EINVAL);
    cr_expect_eq(pov_dataset_read_buffer(pov_schema_core(), NULL, 5, "x", POV_FORMAT_JSONL, NULL,
                                         &ds, NULL), POV_EINVAL);
    cr_expect_eq(pov_dataset_read_buffer(pov_schema_core(), "", 0, "x", POV_FORMAT_JSONL, NULL,
                                         NULL, NULL), POV_EINVAL);
    cr_expect_eq(pov_dataset_read_file(pov_schema_core(), NULL, POV_FORMAT_JSONL, NULL, &ds, NULL),
                 POV_EINVAL);
    pov_reader *r;
    cr_expect_eq(pov_reader_open(pov_schema_core(), NULL, POV_FORMAT_JSONL, NULL, &r), POV_EINVAL);
    cr_expect_eq(pov_reader_open_buffer(pov_schema_core(), NULL, 1, "x", POV_FORMAT_JSONL, NULL, &r),
                 POV_EINVAL);
    cr_expect_eq(pov_reader_next(NULL, &ds), POV_EINVAL);
}

Test(options, format_from_path) {
    cr_expect_eq(pov_format_from_path("a/b.json"), POV_FORMAT_JSON);
    cr_expect_eq(pov_format_from_path("b.JSONL"), POV_FORMAT_JSONL);
    cr_expect_eq(pov_format_from_path("b.ndjson"), POV_FORMAT_JSONL);
    cr_expect_eq(pov_format_from_path("x.y/b.Csv"), POV_FORMAT_CSV);
    cr_expect_eq(pov_format_from_path("x.csv/b"), POV_EFORMAT);
    cr_expect_eq(pov_format_from_path("b.txt"), POV_EFORMAT);
    cr_expect_eq(pov_format_from_path(NULL), POV_EINVAL);
}

Test(options, frees_accept_null) {
    pov_reader_free(NULL);
    pov_read_report_free(NULL);
    pov_writer_free(NULL);
    cr_expect_eq(pov_read_report_read(NULL), 0);
    cr_expect_eq(pov_read_report_reject_code(NULL, 0), 0);
    cr_expect_str_eq(pov_read_report_reject_text(NULL, 0), "");
    cr_expect_null(pov_reader_report(NULL));
}

Test(io, missing_file) {
    pov_dataset *ds;
    int rc = pov_dataset_read_file(pov_schema_core(), "/nonexistent/x.jsonl", POV_FORMAT_AUTO,
                                   NULL, &ds, NULL);
    cr_expect_eq(rc, POV_EIO);
    cr_expect_str_eq(pov_error_source(pov_error_last()), "/nonexistent/x.jsonl");
    rc = pov_dataset_read_file(pov_schema_core(), "x.txt", POV_FORMAT_AUTO, NULL, &ds, NULL);
    cr_expect_eq(rc, POV_EFORMAT);
}

/* ---- lines ------------------------------------------------------------------ */

Test(lines, crlf_bom_last_line_blank_lines) {
    const char *t = "\xEF\xBB\xBF{\"id\": \"a\", \"year\": 2019}\r\n"
                    "\r\n"
                    "   \n"
                    "{\"id\": \"b\", \"year\": 2020}\r\n"
                    "{\"id\": \"c\", \"year\": 2021}"; /* no final newline */
    pov_dataset *ds = read_buf(t, POV_FORMAT_JSONL, NULL);
    cr_assert_eq(pov_dataset_count(ds), 3);
    cr_expect_str_eq(pov_dataset_id(ds, 0), "a");
    cr_expect_str_eq(pov_dataset_id(ds, 2), "c");
    cr_expect_eq(num(ds, 2, "year"), 2021);
    pov_dataset_free(ds);
    /* an error after the BOM and blank lines: line 5, column of "x" (BOM not counted) */
    const char *bad = "\xEF\xBB\xBF{\"id\": \"a\"}\r\n\r\n\n\n{\"id\": \"b\", \"year\": \"x\"}\r\n";
    int rc = pov_dataset_read_buffer(pov_schema_core(), bad, strlen(bad), "t", POV_FORMAT_JSONL,
                                     NULL, &ds, NULL);
    expect_err(rc, POV_ETYPE, 5, 21, "[1].year");
    /* BOM on line 1: columns count from after it */
    const char *bad1 = "\xEF\xBB\xBF{\"id\": 5}\n";
    rc = pov_dataset_read_buffer(pov_schema_core(), bad1, strlen(bad1), "t", POV_FORMAT_JSONL,
                                 NULL, &ds, NULL);
    expect_err(rc, POV_ETYPE, 1, 8, "[0].id");
}

Test(lines, empty_inputs) {
    pov_dataset *ds = read_buf("", POV_FORMAT_JSONL, NULL);
    cr_expect_eq(pov_dataset_count(ds), 0);
    pov_dataset_free(ds);
    ds = read_buf("\n\n", POV_FORMAT_JSONL, NULL);
    cr_expect_eq(pov_dataset_count(ds), 0);
    pov_dataset_free(ds);
    ds = read_buf("", POV_FORMAT_CSV, NULL);
    cr_expect_eq(pov_dataset_count(ds), 0);
    pov_dataset_free(ds);
    ds = read_buf("household_id,year\r\n", POV_FORMAT_CSV, NULL);
    cr_expect_eq(pov_dataset_count(ds), 0);
    pov_dataset_free(ds);
    ds = read_buf(" [ ] \n", POV_FORMAT_JSON, NULL);
    cr_expect_eq(pov_dataset_count(ds), 0);
    pov_dataset_free(ds);
    int rc = pov_dataset_read_buffer(pov_schema_core(), "  \n", 3, "t", POV_FORMAT_JSON, NULL, &ds,
                                     NULL);
    expect_err(rc, POV_ESYNTAX, 2, 1, NULL);
    rc = pov_dataset_read_buffer(pov_schema_core(), "{\"id\":\"a\"}", 10, "t", POV_FORMAT_JSON,
                                 NULL, &ds, NULL);
    expect_err(rc, POV_ESYNTAX, 1, 1, NULL);
    rc = pov_dataset_read_buffer(pov_schema_core(), "[{\"id\":\"a\"},]", 13, "t", POV_FORMAT_JSON,
                                 NULL, &ds, NULL);
    expect_err(rc, POV_ESYNTAX, 1, 13, NULL);
    rc = pov_dataset_read_buffer(pov_schema_core(), "[] x", 4, "t", POV_FORMAT_JSON, NULL, &ds,
                                 NULL);
    expect_err(rc, POV_ESYNTAX, 1, 4, NULL);
}

Test(lines, limit_is_exact) {
    /* a line of exactly max_line bytes (CR not counted) is fine; one more is not */
    const char *ok = "{\"id\": \"abcd\"}\r\n"; /* 14 bytes of content */
    pov_read_options o;
    pov_read_options_init(&o);
    o.max_line = 14;
    pov_dataset *ds = read_buf(ok, POV_FORMAT_JSONL, &o);
    cr_expect_eq(pov_dataset_count(ds), 1);
    pov_dataset_free(ds);
    o.max_line = 13;
    int rc = pov_dataset_read_buffer(pov_schema_core(), ok, strlen(ok), "t", POV_FORMAT_JSONL, &o,
                                     &ds, NULL);
    expect_err(rc, POV_ELIMIT, 1, 14, "[0]");
}

Test(lines, long_line_skipped_in_collect_mode, .init = make_tmpdir, .fini = rm_tmpdir) {
    /* A file (not memory) so the reader's buffer has to grow and skip. */
    size_t big = 3u << 20;
    char *t = malloc(big + 200);
    strcpy(t, "{\"id\": \"a\"}\n{\"id\": \"b\", \"note\": \"");
    size_t n = strlen(t);
    memset(t + n, 'x', big);
    n += big;
    strcpy(t + n, "\"}\n{\"id\": \"c\"}\n");
    spit(tpath("long.jsonl"), t);
    free(t);
    pov_read_options o;
    pov_read_options_init(&o);
    o.max_line = 1u << 20;
    o.mode = POV_READ_COLLECT;
    pov_dataset *ds;
    pov_read_report *rep;
    cr_assert_eq(pov_dataset_read_file(pov_schema_core(), tpath("long.jsonl"), POV_FORMAT_AUTO, &o,
                                       &ds, &rep), 0);
    cr_expect_eq(pov_dataset_count(ds), 2);
    cr_expect_str_eq(pov_dataset_id(ds, 1), "c");
    cr_expect_eq(pov_read_report_read(rep), 3);
    cr_expect_eq(pov_read_report_rejected(rep), 1);
    cr_expect_eq(pov_read_report_reject_code(rep, 0), POV_ELIMIT);
    cr_expect_eq(pov_read_report_reject_line(rep, 0), 2);
    cr_expect_eq(pov_read_report_reject_column(rep, 0), (1u << 20) + 1);
    pov_dataset_free(ds);
    pov_read_report_free(rep);
    /* without a limit problem, the same 3 MiB line is read whole */
    o.max_line = 4u << 20;
    o.mode = POV_READ_STRICT;
    cr_assert_eq(pov_dataset_read_file(pov_schema_core(), tpath("long.jsonl"), POV_FORMAT_AUTO, &o,
                                       &ds, NULL), 0);
    cr_expect_eq(pov_dataset_count(ds), 3);
    pov_dataset_free(ds);
}

Test(lines, records_across_buffer_boundaries, .init = make_tmpdir, .fini = rm_tmpdir) {
    /* 60000 records of varying length (> 1 MiB buffer) in all three formats;
     * the last record is on the right line. */
    size_t n = 60000;
    FILE *fj = fopen(tpath("b.jsonl"), "wb"), *fa = fopen(tpath("b.json"), "wb"),
         *fc = fopen(tpath("b.csv"), "wb");
    fputs("[", fa);
    fputs("household_id,year,note\r\n", fc);
    for (size_t i = 0; i < n; i++) {
        int pad = (int)(i % 37);
        fprintf(fj, "{\"id\": \"h%zu\", \"year\": %zu, \"note\": \"%*s\"}\n", i, 1950 + i % 100,
                pad, "");
        fprintf(fa, "%s\n {\"id\": \"h%zu\", \"year\": %zu}", i ? "," : "", i, 1950 + i % 100);
        fprintf(fc, "h%zu,%zu,\"a,\"\"%*s\r\nz\"\r\n", i, 1950 + i % 100, pad, "");
    }
    fputs("\n]\n", fa);
    /* a bad last record: its line must be exact */
    fputs("{\"id\": \"bad\", \"year\": 1800}\n", fj);
    fclose(fj);
    fclose(fa);
    fprintf(fc, "bad,1800,x\r\n");
    fclose(fc);
    pov_dataset *ds;
    int rc = pov_dataset_read_file(pov_schema_core(), tpath("b.jsonl"), POV_FORMAT_AUTO, NULL, &ds,
                                   NULL);
    expect_err(rc, POV_ERANGE, n + 1, 23, "[60000].year");
    rc = pov_dataset_read_file(pov_schema_core(), tpath("b.csv"), POV_FORMAT_AUTO, NULL, &ds, NULL);
    /* header + 2 lines per record, then the bad one */
    expect_err(rc, POV_ERANGE, 2 * n + 2, 5, "[60000].year");
    cr_assert_eq(pov_dataset_read_file(pov_schema_core(), tpath("b.json"), POV_FORMAT_AUTO, NULL,
                                       &ds, NULL), 0);
    cr_expect_eq(pov_dataset_count(ds), n);
    cr_expect_str_eq(pov_dataset_id(ds, n - 1), "h59999");
    pov_dataset_free(ds);
}

/* ---- CSV -------------------------------------------------------------------- */

Test(csv, rfc4180_fields) {
    const char *t = "\xEF\xBB\xBFhousehold_id,year,note,income_wage\r\n"
                    "h1,2020,\"a, b\",100.5\r\n"
                    "\"h2\",2021,\"say \"\"hi\"\"\r\nnext line\",\r\n"
                    "h3,,plain,7\r\n";
    pov_dataset *ds = read_buf(t, POV_FORMAT_CSV, NULL);
    cr_assert_eq(pov_dataset_count(ds), 3);
    cr_expect_str_eq(pov_dataset_id(ds, 1), "h2");
    cr_expect_eq(num(ds, 0, "income_wage"), 100.5);
    cr_expect(isnan(num(ds, 1, "income_wage")), "empty cell = missing");
    cr_expect(isnan(num(ds, 2, "year")));
    /* unknown column kept as an unknown field, text exact */
    pov_household *h;
    cr_assert_eq(pov_dataset_household(ds, 1, &h), 0);
    char *j;
    cr_assert_eq(pov_household_to_json(h, 0, &j), 0);
    cr_expect(strstr(j, "\"note\":\"say \\\"hi\\\"\\r\\nnext line\"") != NULL, "%s", j);
    pov_free(j);
    pov_household_free(h);
    cr_assert_eq(pov_dataset_household(ds, 0, &h), 0);
    cr_assert_eq(pov_household_to_json(h, 0, &j), 0);
    cr_expect(strstr(j, "\"note\":\"a, b\"") != NULL, "%s", j);
    pov_free(j);
    pov_household_free(h);
    pov_dataset_free(ds);
}

Test(csv, line_numbers_after_embedded_newlines) {
    const char *t = "household_id,note,year\n"
                    "h1,\"x\ny\nz\",2020\n"  /* lines 2-4 */
                    "h2,\"p\nq\",abc\n";     /* lines 5-6; abc on line 6, column 4 */
    pov_dataset *ds;
    int rc = pov_dataset_read_buffer(pov_schema_core(), t, strlen(t), "t", POV_FORMAT_CSV, NULL,
                                     &ds, NULL);
    expect_err(rc, POV_ETYPE, 6, 4, "[1].year");
}

Test(csv, header_errors) {
    pov_dataset *ds;
    const char *t = "household_id,year,year\nh1,2020,2020\n";
    int rc = pov_dataset_read_buffer(pov_schema_core(), t, strlen(t), "t", POV_FORMAT_CSV, NULL,
                                     &ds, NULL);
    expect_err(rc, POV_EDUPLICATE, 1, 19, "year");
    t = "year,income_wage\n2020,1\n";
    rc = pov_dataset_read_buffer(pov_schema_core(), t, strlen(t), "t", POV_FORMAT_CSV, NULL, &ds,
                                 NULL);
    expect_err(rc, POV_EMISSING, 1, 1, "household_id");
    t = "household_id,age\nh1,30\n";
    rc = pov_dataset_read_buffer(pov_schema_core(), t, strlen(t), "t", POV_FORMAT_CSV, NULL, &ds,
                                 NULL);
    expect_err(rc, POV_EFORMAT, 1, 14, "age");
    t = "household_id,year\nh1,2020,5\n";
    rc = pov_dataset_read_buffer(pov_schema_core(), t, strlen(t), "t", POV_FORMAT_CSV, NULL, &ds,
                                 NULL);
    expect_err(rc, POV_ESYNTAX, 2, 9, "[0]");
    t = "household_id,year\nh1\n";
    rc = pov_dataset_read_buffer(pov_schema_core(), t, strlen(t), "t", POV_FORMAT_CSV, NULL, &ds,
                                 NULL);
    expect_err(rc, POV_ESYNTAX, 2, 3, "[0]");
    t = "household_id,year\nh1,\"2020\"x\n";
    rc = pov_dataset_read_buffer(pov_schema_core(), t, strlen(t), "t", POV_FORMAT_CSV, NULL, &ds,
                                 NULL);
    expect_err(rc, POV_ESYNTAX, 2, 10, "[0]");
}

Test(csv, members_join) {
    const char *hh = "household_id,year,household_size\n"
                     "h1,2020,\n"
                     "h2,2020,\n"
                     "h3,2020,2\n"; /* no member rows: declared size */
    const char *mm = "household_id,relation,age,sex,hobby\r\n"
                     "h2,head,50,male,\r\n"
                     "h1,head,30,female,chess\r\n"
                     "h2,spouse,48,female,\r\n"
                     "h1,child,5,male,\"[1,2]\"\r\n";
    pov_dataset *ds = NULL;
    int rc = pov_dataset_read_csv_buffers(pov_schema_core(), hh, strlen(hh), "hh.csv", mm,
                                          strlen(mm), "mm.csv", NULL, &ds, NULL);
    cr_assert_eq(rc, 0, "%s", pov_error_message(pov_error_last()));
    cr_assert_eq(pov_dataset_count(ds), 3);
    cr_expect_eq(pov_dataset_member_count(ds), 4);
    const size_t *off = pov_dataset_member_offsets(ds);
    cr_expect_eq(off[1] - off[0], 2);
    cr_expect_eq(off[2] - off[1], 2);
    cr_expect_eq(off[3] - off[2], 0);
    cr_expect_eq(num(ds, 0, "household_size"), 2);
    cr_expect_eq(num(ds, 2, "household_size"), 2);
    /* members keep file order within a household; unknown member fields kept typed */
    pov_household *h;
    cr_assert_eq(pov_dataset_household(ds, 0, &h), 0);
    double age;
    cr_expect_eq(pov_household_member_get_number(h, 1, "age", &age), 1);
    cr_expect_eq(age, 5);
    char *j;
    cr_assert_eq(pov_household_to_json(h, 0, &j), 0);
    cr_expect(strstr(j, "\"hobby\":\"chess\"") != NULL, "%s", j);
    cr_expect(strstr(j, "\"hobby\":[1,2]") != NULL, "%s", j);
    pov_free(j);
    pov_household_free(h);
    pov_dataset_free(ds);
}

Test(csv, members_errors_located_in_members_file) {
    const char *hh = "household_id,year\nh1,2020\n";
    const char *mm = "household_id,relation,age\nh1,head,40\nh1,grandchild,x\n";
    pov_dataset *ds = NULL;
    int rc = pov_dataset_read_csv_buffers(pov_schema_core(), hh, strlen(hh), "hh.csv", mm,
                                          strlen(mm), "mm.csv", NULL, &ds, NULL);
    expect_err(rc, POV_ETYPE, 3, 15, "[0].members[1].age");
    cr_expect_str_eq(pov_error_source(pov_error_last()), "mm.csv");
    /* a member without the required age: the members row is named */
    mm = "household_id,relation,age\nh1,head,40\nh1,child,\n";
    rc = pov_dataset_read_csv_buffers(pov_schema_core(), hh, strlen(hh), "hh.csv", mm, strlen(mm),
                                      "mm.csv", NULL, &ds, NULL);
    expect_err(rc, POV_EMISSING, 3, 10, "[0].members[1].age");
    cr_expect_str_eq(pov_error_source(pov_error_last()), "mm.csv");
    /* a household-level indicator in the members file */
    mm = "household_id,year\nh1,2020\n";
    rc = pov_dataset_read_csv_buffers(pov_schema_core(), hh, strlen(hh), "hh.csv", mm, strlen(mm),
                                      "mm.csv", NULL, &ds, NULL);
    expect_err(rc, POV_EFORMAT, 1, 14, "year");
}

/* ---- collect mode, reports, rejects file ---------------------------------- */

Test(collect, report_and_rejects_file, .init = make_tmpdir, .fini = rm_tmpdir) {
    const char *t = "{\"id\": \"a\", \"year\": 2020}\n"
                    "{\"id\": \"b\", \"year\": \"x\"}\n"
                    "{\"id\": \"c\" oops}\n"
                    "{\"id\": \"a\"}\n"
                    "{\"id\": \"d\", \"housing_safety\": \"A\"}\n";
    spit(tpath("in.jsonl"), t);
    pov_read_options o;
    pov_read_options_init(&o);
    o.mode = POV_READ_COLLECT;
    o.rejects_path = tpath("rejects.jsonl");
    pov_dataset *ds;
    pov_read_report *rep;
    cr_assert_eq(pov_dataset_read_file(pov_schema_core(), tpath("in.jsonl"), POV_FORMAT_AUTO, &o,
                                       &ds, &rep), 0);
    cr_expect_eq(pov_dataset_count(ds), 2);
    cr_expect_str_eq(pov_dataset_id(ds, 1), "d");
    cr_expect_eq(pov_read_report_read(rep), 5);
    cr_expect_eq(pov_read_report_accepted(rep), 2);
    cr_expect_eq(pov_read_report_rejected(rep), 3);
    cr_expect_eq(pov_read_report_reject_code(rep, 0), POV_ETYPE);
    cr_expect_eq(pov_read_report_reject_line(rep, 0), 2);
    cr_expect_eq(pov_read_report_reject_column(rep, 0), 21);
    cr_expect_str_eq(pov_read_report_reject_path(rep, 0), "[1].year");
    cr_expect_str_eq(pov_read_report_reject_text(rep, 0), "{\"id\": \"b\", \"year\": \"x\"}");
    cr_expect(strstr(pov_read_report_reject_source(rep, 0), "in.jsonl") != NULL);
    cr_expect(strlen(pov_read_report_reject_message(rep, 0)) > 0);
    cr_expect_eq(pov_read_report_reject_code(rep, 1), POV_ESYNTAX);
    cr_expect_eq(pov_read_report_reject_line(rep, 1), 3);
    cr_expect_eq(pov_read_report_reject_column(rep, 1), 12);
    cr_expect_eq(pov_read_report_reject_code(rep, 2), POV_EDUPLICATE);
    cr_expect_eq(pov_read_report_reject_line(rep, 2), 4);
    cr_expect_str_eq(pov_read_report_reject_path(rep, 2), "[3].id");
    cr_expect_eq(pov_read_report_reject_code(rep, 3), 0, "out of range");
    /* the rejects file: one JSON object per reject */
    size_t len = 0;
    char *rj = slurp(tpath("rejects.jsonl"), &len);
    cr_assert_not_null(rj);
    int lines = 0;
    for (char *line = strtok(rj, "\n"); line; line = strtok(NULL, "\n")) {
        cJSON *o2 = cJSON_Parse(line);
        cr_assert_not_null(o2, "bad rejects line %s", line);
        if (lines == 0) {
            cr_expect_str_eq(cJSON_GetObjectItem(o2, "code")->valuestring, "POV_ETYPE");
            cr_expect_eq(cJSON_GetObjectItem(o2, "line")->valuedouble, 2);
            cr_expect_eq(cJSON_GetObjectItem(o2, "column")->valuedouble, 21);
            cr_expect_str_eq(cJSON_GetObjectItem(o2, "path")->valuestring, "[1].year");
            cr_expect_str_eq(cJSON_GetObjectItem(o2, "text")->valuestring,
                             "{\"id\": \"b\", \"year\": \"x\"}");
        }
        cJSON_Delete(o2);
        lines++;
    }
    cr_expect_eq(lines, 3);
    free(rj);
    pov_dataset_free(ds);
    pov_read_report_free(rep);
}

Test(collect, max_rejects_and_long_text) {
    /* a bad record longer than 4096 bytes is kept cut with "..." */
    size_t n = 6000;
    char *t = malloc(n + 200);
    strcpy(t, "{\"id\": \"a\", \"year\": \"");
    size_t k = strlen(t);
    memset(t + k, 'y', n);
    strcpy(t + k + n, "\"}\n{\"id\": \"b\", \"year\": \"z\"}\n{\"id\": \"c\", \"year\": \"z\"}\n");
    pov_read_options o;
    pov_read_options_init(&o);
    o.mode = POV_READ_COLLECT;
    pov_dataset *ds;
    pov_read_report *rep;
    cr_assert_eq(pov_dataset_read_buffer(pov_schema_core(), t, strlen(t), "t", POV_FORMAT_JSONL, &o,
                                         &ds, &rep), 0);
    const char *kept = pov_read_report_reject_text(rep, 0);
    cr_expect_eq(strlen(kept), 4096);
    cr_expect_str_eq(kept + 4093, "...");
    pov_dataset_free(ds);
    pov_read_report_free(rep);
    o.max_rejects = 2;
    int rc = pov_dataset_read_buffer(pov_schema_core(), t, strlen(t), "t", POV_FORMAT_JSONL, &o,
                                     &ds, &rep);
    cr_expect_eq(rc, POV_ELIMIT);
    cr_expect_eq(pov_error_line(pov_error_last()), 3);
    cr_expect_null(ds);
    cr_expect_eq(pov_read_report_rejected(rep), 3);
    pov_read_report_free(rep);
    free(t);
}

Test(collect, truncated_array_keeps_complete_elements) {
    const char *t = "[{\"id\": \"a\"}, {\"id\": \"b\"}, {\"id\": \"c\", \"ye";
    pov_read_options o;
    pov_read_options_init(&o);
    o.mode = POV_READ_COLLECT;
    pov_dataset *ds;
    pov_read_report *rep;
    cr_assert_eq(pov_dataset_read_buffer(pov_schema_core(), t, strlen(t), "t", POV_FORMAT_JSON, &o,
                                         &ds, &rep), 0);
    cr_expect_eq(pov_dataset_count(ds), 2);
    cr_expect_eq(pov_read_report_rejected(rep), 1);
    cr_expect_eq(pov_read_report_reject_code(rep, 0), POV_ETRUNCATED);
    cr_expect_eq(pov_read_report_reject_column(rep, 0), strlen(t) + 1);
    pov_dataset_free(ds);
    pov_read_report_free(rep);
}

/* ---- streaming ------------------------------------------------------------- */

Test(stream, batches) {
    char t[4096] = "";
    for (int i = 0; i < 25; i++)
        sprintf(t + strlen(t), "{\"id\": \"h%d\", \"year\": %d}\n", i, 2000 + i);
    pov_read_options o;
    pov_read_options_init(&o);
    o.batch_size = 10;
    pov_reader *r;
    cr_assert_eq(pov_reader_open_buffer(pov_schema_core(), t, strlen(t), "t", POV_FORMAT_JSONL, &o,
                                        &r), 0);
    int sizes[4];
    pov_dataset *b;
    int k = 0, rc;
    while ((rc = pov_reader_next(r, &b)) > 0) {
        cr_assert_lt(k, 3);
        sizes[k] = rc;
        cr_expect_eq(pov_dataset_count(b), (size_t)rc);
        if (k == 2)
            cr_expect_str_eq(pov_dataset_id(b, 4), "h24");
        pov_dataset_free(b);
        k++;
    }
    cr_expect_eq(rc, 0);
    cr_expect_null(b);
    cr_expect_eq(k, 3);
    cr_expect_eq(sizes[0], 10);
    cr_expect_eq(sizes[1], 10);
    cr_expect_eq(sizes[2], 5);
    cr_expect_eq(pov_read_report_accepted(pov_reader_report(r)), 25);
    cr_expect_eq(pov_reader_next(r, &b), 0, "stays at the end");
    pov_reader_free(r);
}

Test(stream, duplicates_across_batches) {
    const char *t = "{\"id\": \"a\"}\n{\"id\": \"b\"}\n{\"id\": \"a\"}\n";
    pov_read_options o;
    pov_read_options_init(&o);
    o.batch_size = 1;
    pov_reader *r;
    pov_dataset *b;
    cr_assert_eq(pov_reader_open_buffer(pov_schema_core(), t, strlen(t), "t", POV_FORMAT_JSONL, &o,
                                        &r), 0);
    cr_expect_eq(pov_reader_next(r, &b), 1);
    pov_dataset_free(b);
    cr_expect_eq(pov_reader_next(r, &b), 1);
    pov_dataset_free(b);
    expect_err(pov_reader_next(r, &b), POV_EDUPLICATE, 3, 8, "[2].id");
    pov_reader_free(r);
    /* the check can be switched off for streaming */
    o.check_duplicates = 0;
    cr_assert_eq(pov_reader_open_buffer(pov_schema_core(), t, strlen(t), "t", POV_FORMAT_JSONL, &o,
                                        &r), 0);
    int total = 0, rc;
    while ((rc = pov_reader_next(r, &b)) > 0) {
        total += rc;
        pov_dataset_free(b);
    }
    cr_expect_eq(rc, 0);
    cr_expect_eq(total, 3);
    pov_reader_free(r);
}

Test(stream, csv_with_members_file, .init = make_tmpdir, .fini = rm_tmpdir) {
    spit(tpath("h.csv"), "household_id,year\nh1,2020\nh2,2020\nh3,2020\n");
    spit(tpath("m.csv"), "household_id,age\nh3,1\nh1,2\nh1,3\nh2,4\n");
    pov_read_options o;
    pov_read_options_init(&o);
    o.batch_size = 2;
    o.members_path = tpath("m.csv");
    pov_reader *r;
    cr_assert_eq(pov_reader_open(pov_schema_core(), tpath("h.csv"), POV_FORMAT_AUTO, &o, &r), 0);
    pov_dataset *b;
    cr_assert_eq(pov_reader_next(r, &b), 2);
    cr_expect_eq(pov_dataset_member_count(b), 3);
    pov_dataset_free(b);
    cr_assert_eq(pov_reader_next(r, &b), 1);
    cr_expect_eq(pov_dataset_member_count(b), 1);
    pov_dataset_free(b);
    cr_expect_eq(pov_reader_next(r, &b), 0);
    pov_reader_free(r);
    o.members_path = tpath("missing.csv");
    cr_expect_eq(pov_reader_open(pov_schema_core(), tpath("h.csv"), POV_FORMAT_AUTO, &o, &r),
                 POV_EIO);
}

/* ---- writing: round trips and atomicity ----------------------------------- */

static const char *RICH =
    "{\"id\": \"450101-001\", \"province_code\": \"45\", \"village_code\": \"450101001\", "
    "\"year\": 2020, \"registry_status\": \"poor\", \"income_wage\": 12000.5, "
    "\"income_operating\": 3000, \"production_costs\": 1200.25, \"housing_structure\": \"brick_wood\", "
    "\"housing_safety\": \"B\", \"floor_area\": 80, \"safe_water\": true, \"electricity\": true, "
    "\"cause_main\": \"illness\", \"note\": \"a, \\\"quoted\\\"\\nline\", \"n\": \"123\", "
    "\"weird\": {\"k\": [1, 2, {\"x\": null}]}, \"flag\": false, "
    "\"income_history\": {\"2018\": 2500.5, \"2019\": 3100}, "
    "\"programs\": [{\"id\": \"dibao\", \"year\": 2019}, {\"id\": \"housing\", \"year\": 2020}], "
    "\"members\": [{\"relation\": \"head\", \"age\": 52, \"sex\": \"male\", "
    "\"labour_capacity\": \"ordinary\", \"medical_insurance\": true, \"shoe\": 42}, "
    "{\"relation\": \"spouse\", \"age\": 49, \"sex\": \"female\", \"health\": \"chronic_illness\"}]}\n"
    "{\"id\": \"450101-002\", \"year\": 2020, \"household_size\": 3, \"debt\": 0.1}\n"
    "{\"id\": \"450101-003\", \"members\": [{\"age\": 0, \"schooling\": \"not_applicable\"}], "
    "\"dry_land_mu\": 1.75, \"tv\": false, \"text\": \"\\u4e2d\\u6587, \\u6751\"}\n";

static void roundtrip(int format, const char *name) {
    pov_dataset *ds = read_buf(RICH, POV_FORMAT_JSONL, NULL);
    char *before = dump(ds);
    pov_write_options w;
    pov_write_options_init(&w);
    w.sync = 0;
    if (format == POV_FORMAT_CSV)
        w.members_path = tpath("members.csv");
    cr_assert_eq(pov_dataset_write_file(ds, tpath(name), format, &w), 0, "%s",
                 pov_error_message(pov_error_last()));
    pov_read_options o;
    pov_read_options_init(&o);
    o.members_path = w.members_path;
    pov_dataset *back;
    cr_assert_eq(pov_dataset_read_file(pov_schema_core(), tpath(name), POV_FORMAT_AUTO, &o, &back,
                                       NULL), 0, "%s: %s (line %zu col %zu)", name,
                 pov_error_message(pov_error_last()), pov_error_line(pov_error_last()),
                 pov_error_column(pov_error_last()));
    char *after = dump(back);
    cr_expect_str_eq(after, before, "%s round trip", name);
    /* writing again gives the same bytes */
    size_t l1 = 0, l2 = 0;
    char *f1 = slurp(tpath(name), &l1);
    cr_assert_eq(pov_dataset_write_file(back, tpath(name), format, &w), 0);
    char *f2 = slurp(tpath(name), &l2);
    cr_expect_eq(l1, l2);
    cr_expect(memcmp(f1, f2, l1) == 0, "second write differs");
    free(f1);
    free(f2);
    free(before);
    free(after);
    pov_dataset_free(ds);
    pov_dataset_free(back);
}

Test(write, roundtrip_jsonl, .init = make_tmpdir, .fini = rm_tmpdir) {
    roundtrip(POV_FORMAT_JSONL, "out.jsonl");
}
Test(write, roundtrip_json, .init = make_tmpdir, .fini = rm_tmpdir) {
    roundtrip(POV_FORMAT_JSON, "out.json");
}
Test(write, roundtrip_csv, .init = make_tmpdir, .fini = rm_tmpdir) {
    roundtrip(POV_FORMAT_CSV, "out.csv");
}

Test(write, empty_dataset, .init = make_tmpdir, .fini = rm_tmpdir) {
    pov_dataset *ds;
    cr_assert_eq(pov_dataset_new(pov_schema_core(), &ds), 0);
    cr_assert_eq(pov_dataset_write_file(ds, tpath("e.json"), POV_FORMAT_AUTO, NULL), 0);
    char *t = slurp(tpath("e.json"), NULL);
    cr_expect_str_eq(t, "[]\n");
    free(t);
    cr_assert_eq(pov_dataset_write_file(ds, tpath("e.jsonl"), POV_FORMAT_AUTO, NULL), 0);
    t = slurp(tpath("e.jsonl"), NULL);
    cr_expect_str_eq(t, "");
    free(t);
    pov_dataset *back;
    cr_assert_eq(pov_dataset_read_file(pov_schema_core(), tpath("e.json"), POV_FORMAT_AUTO, NULL,
                                       &back, NULL), 0);
    cr_expect_eq(pov_dataset_count(back), 0);
    pov_dataset_free(back);
    pov_dataset_free(ds);
}

Test(write, streaming_writer_and_csv_columns, .init = make_tmpdir, .fini = rm_tmpdir) {
    pov_dataset *a = read_buf("{\"id\": \"a\", \"x\": 1}\n", POV_FORMAT_JSONL, NULL);
    pov_dataset *b = read_buf("{\"id\": \"b\", \"y\": 2}\n", POV_FORMAT_JSONL, NULL);
    pov_writer *w;
    cr_assert_eq(pov_writer_open(tpath("s.jsonl"), POV_FORMAT_AUTO, NULL, &w), 0);
    cr_expect_eq(access(tpath("s.jsonl"), F_OK), -1, "nothing visible before commit");
    cr_assert_eq(pov_writer_write(w, a), 0);
    cr_assert_eq(pov_writer_write(w, b), 0);
    cr_assert_eq(pov_writer_commit(w), 0);
    cr_expect_eq(pov_writer_commit(w), POV_ESTATE);
    cr_expect_eq(pov_writer_write(w, a), POV_ESTATE);
    pov_writer_free(w);
    char *t = slurp(tpath("s.jsonl"), NULL);
    cr_expect_str_eq(t, "{\"id\":\"a\",\"x\":1}\n{\"id\":\"b\",\"y\":2}\n");
    free(t);
    /* CSV: a later batch with a new unknown field cannot get a column */
    cr_assert_eq(pov_writer_open(tpath("s.csv"), POV_FORMAT_AUTO, NULL, &w), 0);
    cr_assert_eq(pov_writer_write(w, a), 0);
    cr_expect_eq(pov_writer_write(w, b), POV_EUNKNOWN);
    cr_expect_str_eq(pov_error_path(pov_error_last()), "y");
    cr_expect_eq(pov_writer_commit(w), POV_ESTATE);
    pov_writer_free(w);
    cr_expect_eq(access(tpath("s.csv"), F_OK), -1, "a failed writer leaves no file");
    /* an uncommitted writer leaves nothing behind either */
    cr_assert_eq(pov_writer_open(tpath("u.jsonl"), POV_FORMAT_AUTO, NULL, &w), 0);
    cr_assert_eq(pov_writer_write(w, a), 0);
    pov_writer_free(w);
    cr_expect_eq(access(tpath("u.jsonl"), F_OK), -1);
    DIR *d = opendir(tmpdir);
    struct dirent *e;
    while ((e = readdir(d)))
        cr_expect(strstr(e->d_name, ".tmp") == NULL, "temporary file left: %s", e->d_name);
    closedir(d);
    pov_dataset_free(a);
    pov_dataset_free(b);
}

Test(write, csv_household_id_field_refused, .init = make_tmpdir, .fini = rm_tmpdir) {
    pov_dataset *ds = read_buf("{\"id\": \"a\", \"household_id\": \"b\"}\n", POV_FORMAT_JSONL,
                               NULL);
    cr_expect_eq(pov_dataset_write_file(ds, tpath("x.csv"), POV_FORMAT_CSV, NULL), POV_EUNKNOWN);
    cr_expect_str_eq(pov_error_path(pov_error_last()), "household_id");
    cr_expect_eq(access(tpath("x.csv"), F_OK), -1);
    pov_dataset_free(ds);
}

Test(write, members_need_a_members_path, .init = make_tmpdir, .fini = rm_tmpdir) {
    pov_dataset *ds = read_buf("{\"id\": \"a\", \"members\": [{\"age\": 3}]}\n", POV_FORMAT_JSONL,
                               NULL);
    spit(tpath("keep.csv"), "old content\n");
    cr_expect_eq(pov_dataset_write_file(ds, tpath("keep.csv"), POV_FORMAT_CSV, NULL), POV_EINVAL);
    char *t = slurp(tpath("keep.csv"), NULL);
    cr_expect_str_eq(t, "old content\n", "a failed write leaves the old file");
    free(t);
    pov_dataset_free(ds);
}

Test(write, failure_leaves_existing_file, .init = make_tmpdir, .fini = rm_tmpdir) {
    /* 1. the target directory does not exist */
    pov_dataset *ds = read_buf(RICH, POV_FORMAT_JSONL, NULL);
    cr_expect_eq(pov_dataset_write_file(ds, tpath("nodir/x.jsonl"), POV_FORMAT_JSONL, NULL),
                 POV_EIO);
    /* 2. the disk fills up half way: RLIMIT_FSIZE makes write() fail even
     * for root (this test runs in its own process) */
    spit(tpath("keep.jsonl"), "precious\n");
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit rl = {100, 100};
    cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
    int rc = pov_dataset_write_file(ds, tpath("keep.jsonl"), POV_FORMAT_JSONL, NULL);
    cr_expect_eq(rc, POV_EIO, "rc %d: %s", rc, pov_error_message(pov_error_last()));
    char *t = slurp(tpath("keep.jsonl"), NULL);
    cr_expect_str_eq(t, "precious\n");
    free(t);
    /* 3. an unwritable directory (only meaningful when not root) */
    if (geteuid() != 0) {
        rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
        setrlimit(RLIMIT_FSIZE, &rl);
        chmod(tmpdir, 0500);
        rc = pov_dataset_write_file(ds, tpath("keep.jsonl"), POV_FORMAT_JSONL, NULL);
        cr_expect_eq(rc, POV_EIO);
        chmod(tmpdir, 0700);
        t = slurp(tpath("keep.jsonl"), NULL);
        cr_expect_str_eq(t, "precious\n");
        free(t);
    }
    /* 4. the target is a directory: rename fails, nothing changes */
    mkdir(tpath("adir"), 0700);
    rl.rlim_cur = rl.rlim_max = RLIM_INFINITY;
    setrlimit(RLIMIT_FSIZE, &rl);
    cr_expect_eq(pov_dataset_write_file(ds, tpath("adir"), POV_FORMAT_JSONL, NULL), POV_EIO);
    rmdir(tpath("adir"));
    pov_dataset_free(ds);
}

Test(write, rejects_file_write_fails) {
    pov_read_options o;
    pov_read_options_init(&o);
    o.mode = POV_READ_COLLECT;
    o.rejects_path = "/nonexistent-dir/rejects.jsonl";
    pov_dataset *ds;
    pov_read_report *rep;
    const char *t = "{\"id\": 1}\n";
    cr_expect_eq(pov_dataset_read_buffer(pov_schema_core(), t, strlen(t), "t", POV_FORMAT_JSONL, &o,
                                         &ds, &rep), POV_EIO);
    cr_expect_eq(pov_read_report_rejected(rep), 1);
    pov_read_report_free(rep);
    cr_expect_eq(pov_read_report_write(NULL, "x"), POV_EINVAL);
}

/* ---- the JSON fast path gives exactly the reference path's results ------- */

typedef struct outcome {
    int rc;
    size_t line, column;
    char path[256];
    char *dump;
} outcome;

static outcome read_with(const char *text, int reference) {
    if (reference)
        setenv("POVMETRICS_JSON_REFERENCE", "1", 1);
    else
        unsetenv("POVMETRICS_JSON_REFERENCE");
    outcome o = {0};
    pov_dataset *ds = NULL;
    o.rc = pov_dataset_read_buffer(pov_schema_core(), text, strlen(text), "t", POV_FORMAT_JSONL,
                                   NULL, &ds, NULL);
    if (o.rc < 0) {
        o.line = pov_error_line(pov_error_last());
        o.column = pov_error_column(pov_error_last());
        snprintf(o.path, sizeof o.path, "%s", pov_error_path(pov_error_last()));
    } else {
        o.dump = dump(ds);
        pov_dataset_free(ds);
    }
    unsetenv("POVMETRICS_JSON_REFERENCE");
    return o;
}

static void same_both_ways(const char *text) {
    outcome a = read_with(text, 0), b = read_with(text, 1);
    cr_expect_eq(a.rc, b.rc, "rc fast %d reference %d for %s", a.rc, b.rc, text);
    cr_expect_eq(a.line, b.line, "line for %s", text);
    cr_expect_eq(a.column, b.column, "column for %s", text);
    cr_expect_str_eq(a.path, b.path, "path for %s", text);
    if (a.dump && b.dump)
        cr_expect_str_eq(a.dump, b.dump, "content for %s", text);
    free(a.dump);
    free(b.dump);
}

Test(fastpath, same_results_as_reference) {
    static const char *const cases[] = {
        "{\"id\": \"a\", \"year\": 2020, \"members\": [{\"age\": 3}, {\"age\": 40, \"sex\": \"male\"}]}\n",
        "{\"id\": \"a\", \"year\": \"2020\"}\n",                /* string for number */
        "{\"id\": \"a\", \"year\": 2020, \"year\": 2021}\n",    /* repeated key */
        "{\"id\": \"a\", \"x\": 1, \"x\": 2}\n",                /* repeated unknown key */
        "{\"id\": \"a\", \"x\": 1.50, \"y\": -0, \"z\": 1e2, \"w\": 12345678901234567}\n",
        "{\"id\": \"a\", \"x\": {\"b\": [1, 2 ]}, \"t\": true, \"f\": false, \"n\": null}\n",
        "{\"id\": \"a\", \"note\": \"tab\\tand \\\"quote\\\" \\u00e9\"}\n",
        "{\"id\": \"a\", \"age\": 30}\n",                       /* member-level at household */
        "{\"id\": \"a\", \"members\": [{\"year\": 2020}]}\n",   /* household-level in member */
        "{\"id\": \"a\", \"household_size\": null}\n",
        "{\"id\": \"a\", \"household_size\": 2, \"members\": [{\"age\": 1}, {\"age\": 2}]}\n",
        "{\"id\": \"a\", \"household_size\": 3, \"members\": [{\"age\": 1}]}\n",
        "{\"id\": \"a\", \"per_capita_net_income\": \"ignored\", \"labour_count\": 7}\n",
        "{\"id\": 5}\n",
        "{\"id\": \"\"}\n",
        "{\"year\": 2020}\n",
        "{\"id\": \"a\", \"members\": {\"age\": 3}}\n",
        "{\"id\": \"a\", \"members\": [3]}\n",
        "{\"id\": \"a\", \"members\": [{\"age\": 3},]}\n",
        "{\"id\": \"a\", \"income_history\": {\"2019\": 3100, \"2018\": 2900.5}}\n",
        "{\"id\": \"a\", \"income_history\": {\"19x\": 3100}}\n",
        "{\"id\": \"a\", \"income_history\": {\"2019\": 1, \"2019\": 2}}\n",
        "{\"id\": \"a\", \"income_history\": {\"1800\": 1}}\n",
        "{\"id\": \"a\", \"programs\": [{\"year\": 2019, \"id\": \"dibao\"}, {\"id\": \"x\", \"year\": 2020}]}\n",
        "{\"id\": \"a\", \"programs\": [{\"id\": \"dibao\", \"year\": 2019, \"extra\": 1}]}\n",
        "{\"id\": \"a\", \"programs\": [{\"id\": \"dibao\", \"year\": 2019}, {\"id\": \"dibao\", \"year\": 2019}]}\n",
        "{\"id\": \"a\", \"housing_safety\": \"E\"}\n",
        "{\"id\": \"a\", \"safe_water\": 1}\n",
        "{\"id\": \"a\", \"cars\": 1.5}\n",
        "{\"id\": \"a\", \"debt\": 1e999}\n",
        "{\"id\": \"a\", \"debt\": NaN}\n",
        "{\"id\": \"a\" \"debt\": 1}\n",
        "{\"id\": \"a\", \"debt\": 01}\n",
        "{\"id\": \"a\", \"debt\": 1} x\n",
        "{\"id\": \"a\", \"village_code\": \"450121101201\", \"tv\": true}\n",
        "[1, 2]\n",
        "\"text\"\n",
        "{\"id\": \"a\", \"members\": [{\"age\": 300}]}\n",
        "{\"id\": \"a\", \"members\": [{\"age\": 3, \"shoe\": \"x\", \"shoe\": \"y\"}]}\n",
        "{\"id\": \"a\"}\n{\"id\": \"a\"}\n",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        same_both_ways(cases[i]);
    same_both_ways(RICH);
}

Test(fastpath, sample_file_same_as_reference) {
    const char *root = getenv("POV_SOURCE_ROOT");
    cr_assert_not_null(root);
    char p[1024];
    snprintf(p, sizeof p, "%s/examples/data/sample.jsonl", root);
    char *t = slurp(p, NULL);
    cr_assert_not_null(t);
    same_both_ways(t);
    free(t);
}

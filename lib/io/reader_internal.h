/*
 * povmetrics — the reader object shared by reader.c (JSON, JSONL, batches,
 * reports) and csv.c (CSV tables and the members join). Not API.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POV_READER_INTERNAL_H
#define POV_READER_INTERNAL_H

#include <glib.h>

#include "../data/data_internal.h"
#include "io_internal.h"
#include "povmetrics/io.h"

#define POVI_REJECT_TEXT_MAX 4096

typedef struct povi_reject {
    const char *source, *message, *path, *text; /* in the report's string chunk */
    size_t line, column;
    int code;
} povi_reject;

struct pov_read_report {
    size_t n_read, n_accepted, n_rejected;
    GArray *rejects; /* povi_reject */
    GStringChunk *strings;
};

/* CSV column kinds */
enum { POVI_COL_ID, POVI_COL_IND, POVI_COL_SKIP, POVI_COL_HISTORY, POVI_COL_PROGRAMS,
       POVI_COL_EXTRA };

typedef struct povi_csv_col {
    int kind;
    size_t indicator; /* POVI_COL_IND */
    char *name;       /* header text (NUL-terminated) */
} povi_csv_col;

typedef struct povi_csv_table {
    povi_csv_col *cols;
    size_t n_cols;
    size_t id_col;
    int have_header;
} povi_csv_table;

/* One row of the members file, in file order. */
typedef struct povi_member_row {
    size_t offset, len;   /* record text within the members data */
    size_t line;          /* line where the record starts */
    size_t next;          /* next row of the same household, or SIZE_MAX */
    size_t group;         /* index into groups */
} povi_member_row;

typedef struct povi_member_group {
    size_t first;         /* first row (file order) */
    int claimed;          /* a household row with this id was seen */
} povi_member_group;

typedef struct povi_members {
    char *source;
    GMappedFile *map;     /* file input */
    const char *data;     /* the members text */
    size_t len;
    povi_csv_table table;
    GArray *rows;         /* povi_member_row */
    GArray *groups;       /* povi_member_group */
    GHashTable *by_id;    /* id (in id_chunk) -> group index + 1 */
    GStringChunk *id_chunk;
    povi_csv_row row;     /* scratch */
    int orphans_done;
} povi_members;

struct pov_reader {
    const pov_schema *schema;
    int format;
    pov_read_options opts;
    char *source;
    char *rejects_path;
    povi_lr lr;
    int lr_open;
    pov_household *h;
    pov_read_report *report;
    size_t index;        /* records seen (the [i] of paths) */
    int status;          /* sticky fatal error */
    int done;
    GHashTable *ids;     /* cross-batch duplicate check (streaming) */
    GStringChunk *id_chunk;
    int whole;           /* reading into one dataset (no cross-batch set needed) */
    /* CSV */
    povi_csv_row row;
    povi_csv_table table;
    povi_members *members;
    GString *tmp;
    /* JSON fast path (json_fast.c) */
    uint32_t *fast_seen;
    uint32_t fast_stamp;
    GString *fast_keys, *fast_mkeys;
    struct povi_fast_cache *fast_cache;
    int no_fast;      /* testing: always use the reference path */
};

/* reader.c */
int povi_reader_reject(pov_reader *r, const povi_rec *rec, int code);
int povi_reader_accept(pov_reader *r, pov_dataset *ds, const povi_rec *rec, const char *text,
                       size_t len);

/* json_fast.c: 1 = the household was filled from the text, 0 = use the
 * reference path (cJSON) for this record */
int povi_json_fast_fill(pov_reader *r, const char *text, size_t len);
/* An income_history (programs = 0) or programs (1) CSV cell: 1 = added,
 * 0 = not handled (nothing changed: use the reference path), < 0 = error
 * from the data model (recorded, path income_history.<year> / programs[k]). */
int povi_json_fast_cell(pov_household *h, int programs, const char *text, size_t len);

/* csv.c */
int povi_csv_read_one(pov_reader *r, pov_dataset *ds);
int povi_csv_members_open(pov_reader *r, const char *path, const char *data, size_t len,
                          const char *name);
void povi_csv_members_free(povi_members *m);
void povi_csv_table_clear(povi_csv_table *t);
int povi_csv_orphans(pov_reader *r);

#endif /* POV_READER_INTERNAL_H */

/*
 * Standalone driver for the fuzz targets: feeds every file of the corpus
 * directories (and every file) named on the command line to
 * LLVMFuzzerTestOneInput(), one TAP test per file. Used by `meson test` so
 * that the corpora run as ordinary tests with any compiler, under ASan and
 * under valgrind (the idea of GLib's fuzzing/ and libgit2's fuzzers/).
 *
 * A crash or failed invariant aborts the process, which fails the test; the
 * last "# running" line names the input.
 *
 * SPDX-License-Identifier: MIT
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    char **items;
    size_t n, cap;
} path_list;

static void list_add(path_list *l, char *path)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **items = realloc(l->items, cap * sizeof *items);
        if (items == NULL) {
            perror("realloc");
            exit(2);
        }
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n++] = path;
}

static char *join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);
    if (p == NULL) {
        perror("malloc");
        exit(2);
    }
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Adds @p path, or the regular files directly inside it, sorted by name. */
static int collect(path_list *l, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        char *copy = strdup(path);
        if (copy == NULL) {
            perror("strdup");
            exit(2);
        }
        list_add(l, copy);
        return 0;
    }
    DIR *d = opendir(path);
    if (d == NULL) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t first = l->n;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue; /* ., .. and hidden files */
        }
        char *p = join(path, e->d_name);
        if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
            list_add(l, p);
        } else {
            free(p);
        }
    }
    closedir(d);
    qsort(l->items + first, l->n - first, sizeof *l->items, cmp_str);
    return 0;
}

static int read_all(const char *path, uint8_t **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return -1;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf != NULL) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) {
            break;
        }
        uint8_t *bigger = realloc(buf, cap * 2);
        if (bigger == NULL) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    int bad = ferror(f) || buf == NULL;
    fclose(f);
    if (bad) {
        free(buf);
        return -1;
    }
    /* An exact-size copy, so that ASan and valgrind catch a read past the
     * end of the input (libFuzzer hands targets exact-size buffers too). */
    uint8_t *exact = malloc(n > 0 ? n : 1);
    if (exact == NULL) {
        free(buf);
        return -1;
    }
    memcpy(exact, buf, n);
    free(buf);
    *data = exact;
    *size = n;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
        return 2;
    }
    path_list l = {0};
    int status = 0;
    for (int i = 1; i < argc; i++) {
        if (collect(&l, argv[i]) != 0) {
            status = 1;
        }
    }
    printf("1..%zu\n", l.n);
    fflush(stdout);
    for (size_t i = 0; i < l.n; i++) {
        uint8_t *data = NULL;
        size_t size = 0;
        if (read_all(l.items[i], &data, &size) != 0) {
            printf("not ok %zu - %s (cannot read: %s)\n", i + 1, l.items[i], strerror(errno));
            status = 1;
        } else {
            printf("# running %s (%zu bytes)\n", l.items[i], size);
            fflush(stdout);
            LLVMFuzzerTestOneInput(data, size);
            free(data);
            printf("ok %zu - %s\n", i + 1, l.items[i]);
        }
        fflush(stdout);
        free(l.items[i]);
    }
    free(l.items);
    return status;
}

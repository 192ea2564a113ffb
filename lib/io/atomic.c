/*
 * Atomic file replacement: write a temporary file in the target directory,
 * flush, fsync, rename over the target, fsync the directory. A failure at any
 * step removes the temporary file and leaves the target as it was.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io_internal.h"

static int io_fail(const char *path, const char *what, int err) {
    povi_loc loc = POVI_LOC_NONE;
    loc.source = path;
    return povi_error_at(POV_EIO, &loc, "cannot %s '%s': %s", what, path, strerror(err));
}

int povi_afile_open(povi_afile *af, const char *path) {
    memset(af, 0, sizeof *af);
    if (!path || !*path)
        return povi_error(POV_EINVAL, "empty output path");
    size_t n = strlen(path);
    af->path = malloc(n + 1);
    af->tmp_path = malloc(n + 16);
    if (!af->path || !af->tmp_path) {
        free(af->path);
        free(af->tmp_path);
        af->path = af->tmp_path = NULL;
        return povi_error(POV_ENOMEM, "out of memory");
    }
    memcpy(af->path, path, n + 1);
    /* "<path>.tmpXXXXXX" lives in the same directory, so rename() is atomic. */
    snprintf(af->tmp_path, n + 16, "%s.tmpXXXXXX", path);
    int fd = mkstemp(af->tmp_path);
    if (fd < 0) {
        int e = errno;
        free(af->path);
        free(af->tmp_path);
        af->path = af->tmp_path = NULL;
        return io_fail(path, "create a temporary file next to", e);
    }
    /* mkstemp creates 0600; give the file the usual permissions (umask). */
    mode_t um = umask(0);
    umask(um);
    (void)fchmod(fd, 0666 & ~um);
    af->fp = fdopen(fd, "wb");
    if (!af->fp) {
        int e = errno;
        close(fd);
        unlink(af->tmp_path);
        free(af->path);
        free(af->tmp_path);
        af->path = af->tmp_path = NULL;
        return io_fail(path, "open", e);
    }
    setvbuf(af->fp, NULL, _IOFBF, (size_t)1 << 18);
    return 0;
}

void povi_afile_write(povi_afile *af, const void *data, size_t len) {
    if (af->failed || len == 0)
        return;
    if (fwrite(data, 1, len, af->fp) != len)
        af->failed = errno ? errno : EIO;
}

static void afile_release(povi_afile *af) {
    free(af->path);
    free(af->tmp_path);
    af->path = af->tmp_path = NULL;
    af->fp = NULL;
}

void povi_afile_abort(povi_afile *af) {
    if (!af->tmp_path)
        return;
    if (af->fp)
        fclose(af->fp);
    unlink(af->tmp_path);
    afile_release(af);
}

static void sync_dir(const char *path) {
    const char *slash = strrchr(path, '/');
    char dir[4096];
    if (!slash) {
        strcpy(dir, ".");
    } else {
        size_t n = (size_t)(slash - path);
        if (n == 0)
            n = 1;
        if (n >= sizeof dir)
            return;
        memcpy(dir, path, n);
        dir[n] = '\0';
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd); /* best effort: some file systems refuse */
        close(fd);
    }
}

int povi_afile_commit(povi_afile *af, int sync) {
    if (!af->tmp_path)
        return povi_error(POV_ESTATE, "output file already committed or aborted");
    int err = af->failed;
    if (!err && fflush(af->fp) != 0)
        err = errno;
    if (!err && sync && fsync(fileno(af->fp)) != 0)
        err = errno;
    if (fclose(af->fp) != 0 && !err)
        err = errno;
    af->fp = NULL;
    if (err) {
        unlink(af->tmp_path);
        int r = io_fail(af->path, "write", err);
        afile_release(af);
        return r;
    }
    if (rename(af->tmp_path, af->path) != 0) {
        int e = errno;
        unlink(af->tmp_path);
        int r = io_fail(af->path, "replace", e);
        afile_release(af);
        return r;
    }
    if (sync)
        sync_dir(af->path);
    afile_release(af);
    return 0;
}

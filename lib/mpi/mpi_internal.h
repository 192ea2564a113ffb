/*
 * povmetrics — Alkire–Foster helpers shared by pov_mpi and pov_mpi_accum
 * (internal).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVI_MPI_INTERNAL_H
#define POVI_MPI_INTERNAL_H

#include "povmetrics/mpi.h"

/* c_i >= k is tested as c_i >= k - POVI_MPI_K_TOL (see mpi.h). */
#define POVI_MPI_K_TOL 1e-12

/* Is x deprived against cut-off z in direction dir (0 below, 1 above)? */
static inline int povi_mpi_deprived(double x, double z, int dir) {
    return dir ? x > z : x < z;
}

/* Checks size, d, k, cut-offs, directions and indicator weights. */
int povi_mpi_check_spec(size_t d, const pov_mpi_options *o);
/* Checks the matrix values (finite; 0/1 when @p binary) and person weights. */
int povi_mpi_check_rows(const double *x, size_t n, size_t d, int binary, const double *pw);
/* Normalised indicator weights (NULL: 1/d each) into wj[d]. */
void povi_mpi_weights(size_t d, const double *weights, double *wj);

#endif /* POVI_MPI_INTERNAL_H */

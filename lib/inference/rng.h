/*
 * povmetrics — the library's own pseudo-random generator (internal).
 *
 * xoshiro256** 1.0 (D. Blackman and S. Vigna, "Scrambled linear pseudorandom
 * number generators", ACM Trans. Math. Softw. 47(4), 2021; reference
 * description at https://prng.di.unimi.it/), seeded from one 64-bit value
 * through splitmix64 (G. Steele, D. Lea, C. Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014) as the authors recommend.
 * Written from the published description. Deterministic on every platform:
 * the same seed gives the same stream.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POV_INFERENCE_RNG_H
#define POV_INFERENCE_RNG_H

#include <stdint.h>

typedef struct povi_rng {
    uint64_t s[4];
} povi_rng;

/* One splitmix64 step: advances *state and returns the next output. */
uint64_t povi_splitmix64(uint64_t *state);

/* Seeds the four state words with four splitmix64 outputs from @p seed. */
void povi_rng_seed(povi_rng *rng, uint64_t seed);

/* Next 64-bit output of xoshiro256**. */
uint64_t povi_rng_next(povi_rng *rng);

/* Uniform integer in [0, bound), bound > 0, without modulo bias (rejection
 * of the lowest 2^64 mod bound outputs; M. E. O'Neill, "Efficiently
 * generating a number in a range", 2018, "bitmask-free modulo" variant). */
uint64_t povi_rng_below(povi_rng *rng, uint64_t bound);

/* Uniform double in [0, 1) with 53 random bits: (x >> 11) * 2^-53. */
double povi_rng_uniform(povi_rng *rng);

#endif /* POV_INFERENCE_RNG_H */

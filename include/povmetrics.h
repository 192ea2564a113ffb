/*
 * povmetrics — umbrella header. Include this one; the per-module headers under
 * povmetrics/ are included from here.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef POVMETRICS_H
#define POVMETRICS_H

#include "povmetrics/common.h"
#include "povmetrics/version.h"
/* module headers (keep one line per module, alphabetical after the core) */

#endif /* POVMETRICS_H */

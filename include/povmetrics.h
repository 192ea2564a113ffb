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
/* data model, input/output, rules and the engines that use them */
#include "povmetrics/schema.h"
#include "povmetrics/household.h"
#include "povmetrics/dataset.h"
#include "povmetrics/io.h"
#include "povmetrics/condition.h"
#include "povmetrics/scorecard.h"
#include "povmetrics/policy.h"
/* measures on plain arrays */
#include "povmetrics/measures.h"
#include "povmetrics/inference.h"
#include "povmetrics/accum.h"
#include "povmetrics/decompose.h"
#include "povmetrics/mpi.h"
#include "povmetrics/progress.h"
/* return-to-poverty risk and assistance programmes */
#include "povmetrics/risk.h"
#include "povmetrics/program.h"

#endif /* POVMETRICS_H */

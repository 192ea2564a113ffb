/* SPDX-License-Identifier: MIT */
#include "povmetrics/version.h"

const char *pov_version(void) { return POV_VERSION_STRING; }

int pov_version_number(void) { return POV_VERSION_NUMBER; }

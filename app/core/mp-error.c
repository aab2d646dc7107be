/* mp-error.c
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "mp-error.h"

G_DEFINE_QUARK (mp-error-quark, mp_error)

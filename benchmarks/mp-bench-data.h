/* mp-bench-data.h — synthetic models for benchmarks
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mallipaja-core.h"

G_BEGIN_DECLS

/* @n_models models of about 10 KB of Finnish-like text each, the same for
 * the same @first (deterministic); adds their document size to @bytes. */
GPtrArray *mp_bench_generate_models (guint  first,
                                     guint  n_models,
                                     gsize *bytes);

G_END_DECLS

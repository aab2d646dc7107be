/* mallipaja-core.h
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "mp-autosaver.h"
#include "mp-error.h"
#include "mp-indexer.h"
#include "mp-merge.h"
#include "mp-model.h"
#include "mp-model-json.h"
#include "mp-model-list.h"
#include "mp-model-summary.h"
#include "mp-query.h"
#include "mp-store.h"
#include "mp-taxonomy.h"

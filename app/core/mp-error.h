/* mp-error.h
 *
 * Copyright 2026 The Mallipaja authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MP_ERROR (mp_error_quark ())

/**
 * MpError:
 * @MP_ERROR_INVALID: a document or value does not follow the model record
 *   (the message names the field)
 * @MP_ERROR_NOT_FOUND: no such model
 * @MP_ERROR_CORRUPT: the bank file is not a readable SQLite database
 * @MP_ERROR_TOO_NEW: the bank was written by a newer Mallipaja
 * @MP_ERROR_FAILED: the database refused an operation (disk full, locked, …)
 * @MP_ERROR_FORBIDDEN: the operation is not allowed on this model
 * @MP_ERROR_TOO_LARGE: input over a size limit
 * @MP_ERROR_CONFLICT: the same field was changed on both sides
 * @MP_ERROR_NETWORK: the platform could not be reached
 * @MP_ERROR_AUTH: wrong user name or password, or an expired session
 */
typedef enum {
  MP_ERROR_INVALID,
  MP_ERROR_NOT_FOUND,
  MP_ERROR_CORRUPT,
  MP_ERROR_TOO_NEW,
  MP_ERROR_FAILED,
  MP_ERROR_FORBIDDEN,
  MP_ERROR_TOO_LARGE,
  MP_ERROR_CONFLICT,
  MP_ERROR_NETWORK,
  MP_ERROR_AUTH,
} MpError;

GQuark mp_error_quark (void);

G_END_DECLS

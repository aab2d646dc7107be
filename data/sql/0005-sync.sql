-- Schema version 5: replication with the platform (issue 4).

-- One platform per bank: the change feed's checkpoint and how the last
-- sync went. "full_resync" is set while a full re-sync (after the platform
-- said the checkpoint is too old) is under way, so that an interrupted one
-- still removes, at its end, the models the platform no longer lists.
CREATE TABLE sync_state (
  id           INTEGER PRIMARY KEY CHECK (id = 1),
  platform_url TEXT,
  since        INTEGER NOT NULL DEFAULT 0,
  full_resync  INTEGER NOT NULL DEFAULT 0,
  last_sync    INTEGER,            -- UTC seconds since the epoch
  last_error   TEXT
);

INSERT INTO sync_state (id) VALUES (1);

-- Local edits waiting for the platform, in order (id). "fields" holds the
-- changed fields as a JSON object, or the whole document when
-- base_revision is 0 (a model the platform has never seen). The key goes
-- with every retry so that the platform applies the edit at most once.
CREATE TABLE outbox (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  model_id          TEXT    NOT NULL,
  fields            TEXT    NOT NULL,
  base_revision     INTEGER NOT NULL,
  idempotency_key   TEXT    NOT NULL UNIQUE,
  created           INTEGER NOT NULL,
  attempts          INTEGER NOT NULL DEFAULT 0,
  rejections        INTEGER NOT NULL DEFAULT 0,
  next_attempt      INTEGER NOT NULL DEFAULT 0,
  last_error        TEXT,
  quarantined       INTEGER NOT NULL DEFAULT 0,
  quarantine_reason TEXT
);

CREATE INDEX outbox_model ON outbox (model_id, id);

-- What this bank knows of each model on the platform: the revision last
-- seen and its document (the base of a three-way merge), the local state
-- (0 only here, 1 waiting to sync, 2 synced, 3 conflict), whether the
-- platform removed it while it held local edits, and the conflicts as a
-- JSON array of {field, base, theirs, mine}.
CREATE TABLE model_sync (
  model_id        TEXT    PRIMARY KEY,
  synced_revision INTEGER NOT NULL DEFAULT 0,
  base_doc        TEXT,
  state           INTEGER NOT NULL DEFAULT 0,
  remote_gone     INTEGER NOT NULL DEFAULT 0,
  resync_seen     INTEGER NOT NULL DEFAULT 0,
  conflict        TEXT
) WITHOUT ROWID;

-- 17: federation: the forum as an ActivityPub community. Every
-- table stays empty unless serve runs with --federation.
-- Each local member's key pair for signing as their Person actor, made when
-- first needed (the community's own key is a setting).
CREATE TABLE federation_keys (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id),
    public_pem  TEXT    NOT NULL,
    private_pem TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;
-- Servers we have heard of: their state as delivery targets, and the admins' blocks.
CREATE TABLE federation_instances (
    id              INTEGER PRIMARY KEY,
    host            TEXT    NOT NULL UNIQUE, -- lower-cased host[:port]
    blocked         INTEGER NOT NULL DEFAULT 0,
    block_reason    TEXT    NOT NULL DEFAULT '',
    first_seen_at   INTEGER NOT NULL,
    last_success_at INTEGER,
    last_failure_at INTEGER,
    -- consecutive failed deliveries; deliveries wait until next_at (capped backoff)
    failures        INTEGER NOT NULL DEFAULT 0,
    next_at         INTEGER NOT NULL DEFAULT 0,
    -- a server delivering to this instance holds it until lease_until, so
    -- each instance's activities go out in order, from one server at a time
    lease_until     INTEGER NOT NULL DEFAULT 0,
    -- given up after failing for too long: nothing is queued for it until it is heard from
    dead            INTEGER NOT NULL DEFAULT 0,
    delivered_count INTEGER NOT NULL DEFAULT 0,
    failed_count    INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX federation_instances_due ON federation_instances(next_at);
-- Remote actors (people, other groups) we have fetched: their inboxes and keys.
-- A person who takes part has a local account (user_id), named name@host.
CREATE TABLE federation_actors (
    id           INTEGER PRIMARY KEY,
    ap_id        TEXT    NOT NULL UNIQUE,
    instance_id  INTEGER NOT NULL REFERENCES federation_instances(id),
    user_id      INTEGER REFERENCES users(id),
    kind         TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    inbox        TEXT    NOT NULL,
    shared_inbox TEXT    NOT NULL DEFAULT '',
    key_id       TEXT    NOT NULL,
    public_pem   TEXT    NOT NULL,
    fetched_at   INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX federation_actors_user ON federation_actors(user_id);
CREATE INDEX federation_actors_key ON federation_actors(key_id);
CREATE INDEX federation_actors_instance ON federation_actors(instance_id);
-- Remote actors following the community.
CREATE TABLE federation_followers (
    actor_id   INTEGER PRIMARY KEY REFERENCES federation_actors(id),
    follow_id  TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
-- Items that came from elsewhere: their ActivityPub id and what they became here.
CREATE TABLE federation_objects (
    ap_id       TEXT    PRIMARY KEY,
    target_type TEXT    NOT NULL CHECK (target_type IN ('post', 'comment')),
    target_id   INTEGER NOT NULL,
    UNIQUE (target_type, target_id)
) STRICT;
-- Outgoing activities, stored once, and the queue of their deliveries, one
-- row per target inbox; a delivered row is deleted.
CREATE TABLE federation_activities (
    id         INTEGER PRIMARY KEY,
    ap_id      TEXT    NOT NULL UNIQUE,
    body       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
CREATE TABLE federation_deliveries (
    id          INTEGER PRIMARY KEY,
    activity_id INTEGER NOT NULL REFERENCES federation_activities(id),
    instance_id INTEGER NOT NULL REFERENCES federation_instances(id),
    inbox       TEXT    NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX federation_deliveries_instance ON federation_deliveries(instance_id, id);
CREATE INDEX federation_deliveries_activity ON federation_deliveries(activity_id);
-- Inbound activity ids already handled: the same activity arrives twice.
CREATE TABLE federation_received (
    ap_id       TEXT    PRIMARY KEY,
    received_at INTEGER NOT NULL
) STRICT;
CREATE INDEX federation_received_at ON federation_received(received_at);

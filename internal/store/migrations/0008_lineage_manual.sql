-- Lineage edges recorded by hand (POST /api/v1/lineage/edges): a
-- department declares where its data comes from or what it is derived
-- from. Edges recorded as loads succeed keep manual = 0 and cannot be
-- deleted by hand.
ALTER TABLE lineage_edges ADD COLUMN manual INTEGER NOT NULL DEFAULT 0; -- 1: recorded by hand
ALTER TABLE lineage_edges ADD COLUMN note TEXT NOT NULL DEFAULT '';     -- why, as declared

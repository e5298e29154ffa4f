-- card_flow now follows archive and restore as events in time (a row per archive and restore) and judges a finished
-- card by the due date in force when it finished. Its rows are derived data: they are cleared here and rebuilt from
-- card_events when the server next starts (rebuildMissingCardFlow in src/lib/server/card-flow.ts).
DELETE FROM "card_flow";

-- People reached per performance row, as the platform reports it for that day (Meta's daily
-- reach). NULL when the platform or file does not say: ORACLE then shows no frequency.
ALTER TABLE campaign_performance ADD COLUMN reach BIGINT;

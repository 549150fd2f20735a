-- Counts by event type, unique recipients and bounce rates, for the period and the one before it.
-- A bounce rate is a share of the delivery outcomes Paubox reported (delivered, temporary and permanent
-- failures); opens are not outcomes. Each event key counts once, however often it was archived.
WITH archived AS (
  SELECT key, event_type, event_time, recipient_fingerprints,
         row_number() OVER (PARTITION BY key ORDER BY archived_at) AS copy
  FROM events
  WHERE dt BETWEEN $first_day AND $last_day
    AND event_time >= $previous_start AND event_time < $end
),
scoped AS (
  SELECT *, CASE WHEN event_time >= $start THEN 'current' ELSE 'previous' END AS period
  FROM archived
  WHERE copy = 1
),
counts AS (
  SELECT period,
         sum(CASE WHEN event_type = 'delivered' THEN 1 ELSE 0 END) AS delivered,
         sum(CASE WHEN event_type = 'opened' THEN 1 ELSE 0 END) AS opened,
         sum(CASE WHEN event_type = 'temporary_failure' THEN 1 ELSE 0 END) AS temporary_failure,
         sum(CASE WHEN event_type = 'permanent_failure' THEN 1 ELSE 0 END) AS permanent_failure
  FROM scoped
  GROUP BY period
),
recipients AS (
  SELECT period, count(DISTINCT fingerprint) AS unique_recipients
  FROM scoped CROSS JOIN UNNEST(recipient_fingerprints) AS r(fingerprint)
  GROUP BY period
)
SELECT c.period, c.delivered, c.opened, c.temporary_failure, c.permanent_failure,
       coalesce(r.unique_recipients, 0) AS unique_recipients,
       round(CAST(c.permanent_failure + c.temporary_failure AS DOUBLE)
             / nullif(c.delivered + c.temporary_failure + c.permanent_failure, 0), 4) AS bounce_rate,
       round(CAST(c.permanent_failure AS DOUBLE)
             / nullif(c.delivered + c.temporary_failure + c.permanent_failure, 0), 4) AS hard_bounce_rate,
       round(CAST(c.temporary_failure AS DOUBLE)
             / nullif(c.delivered + c.temporary_failure + c.permanent_failure, 0), 4) AS soft_bounce_rate
FROM counts c LEFT JOIN recipients r ON r.period = c.period
ORDER BY c.period

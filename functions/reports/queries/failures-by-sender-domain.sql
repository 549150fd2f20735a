-- Failures and delivery outcomes by sender domain, ten per period, most failures first.
WITH archived AS (
  SELECT key, event_type, event_time, sender_domain,
         row_number() OVER (PARTITION BY key ORDER BY archived_at) AS copy
  FROM events
  WHERE dt BETWEEN $first_day AND $last_day
    AND event_time >= $previous_start AND event_time < $end
    AND event_type IN ('delivered', 'temporary_failure', 'permanent_failure')
),
outcomes AS (
  SELECT CASE WHEN event_time >= $start THEN 'current' ELSE 'previous' END AS period, sender_domain,
         sum(CASE WHEN event_type <> 'delivered' THEN 1 ELSE 0 END) AS failures,
         sum(CASE WHEN event_type = 'permanent_failure' THEN 1 ELSE 0 END) AS permanent_failure,
         count(*) AS outcomes
  FROM archived
  WHERE copy = 1
  GROUP BY 1, 2
),
ranked AS (
  SELECT *, row_number() OVER (PARTITION BY period ORDER BY failures DESC, sender_domain) AS place
  FROM outcomes
)
SELECT period, sender_domain, failures, permanent_failure, outcomes
FROM ranked
WHERE place <= 10 AND failures > 0
ORDER BY period, place

-- Failures and delivery outcomes by the value of one custom header (such as a campaign header), ten per period.
-- Custom headers are archived only at detail `full`; below it every event counts under a NULL value.
WITH archived AS (
  SELECT key, event_type, event_time, try(custom_headers[$header]) AS header_value,
         row_number() OVER (PARTITION BY key ORDER BY archived_at) AS copy
  FROM events
  WHERE dt BETWEEN $first_day AND $last_day
    AND event_time >= $previous_start AND event_time < $end
    AND event_type IN ('delivered', 'temporary_failure', 'permanent_failure')
),
outcomes AS (
  SELECT CASE WHEN event_time >= $start THEN 'current' ELSE 'previous' END AS period, header_value,
         sum(CASE WHEN event_type <> 'delivered' THEN 1 ELSE 0 END) AS failures,
         count(*) AS outcomes
  FROM archived
  WHERE copy = 1
  GROUP BY 1, 2
),
ranked AS (
  SELECT *, row_number() OVER (PARTITION BY period ORDER BY failures DESC, header_value) AS place
  FROM outcomes
)
SELECT period, header_value, failures, outcomes
FROM ranked
WHERE place <= 10
ORDER BY period, place

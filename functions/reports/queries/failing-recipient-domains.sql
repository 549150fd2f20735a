-- The recipient domains with the most failures (temporary and permanent), ten per period.
-- An event with recipients in two domains counts in both.
WITH archived AS (
  SELECT key, event_type, event_time, recipient_domains,
         row_number() OVER (PARTITION BY key ORDER BY archived_at) AS copy
  FROM events
  WHERE dt BETWEEN $first_day AND $last_day
    AND event_time >= $previous_start AND event_time < $end
    AND event_type IN ('temporary_failure', 'permanent_failure')
),
failures AS (
  SELECT CASE WHEN event_time >= $start THEN 'current' ELSE 'previous' END AS period, domain,
         sum(CASE WHEN event_type = 'permanent_failure' THEN 1 ELSE 0 END) AS permanent_failure,
         count(*) AS failures
  FROM archived CROSS JOIN UNNEST(recipient_domains) AS d(domain)
  WHERE copy = 1
  GROUP BY 1, 2
),
ranked AS (
  SELECT *, row_number() OVER (PARTITION BY period ORDER BY failures DESC, domain) AS place
  FROM failures
)
SELECT period, domain, failures, permanent_failure
FROM ranked
WHERE place <= 10
ORDER BY period, place

-- MediPAS incidents recorded in the month, in the PAS's own order. Only the columns
-- mappings/pas-sql/adverse_events.json reads: names, contact details and free text stay in the database.
-- The two parameters are the period's first and last day, in that order.
SELECT
  site, incident_ref, episode_no, hospital_no, incident_type, incident_date, unplanned,
  transfer_to, harm
FROM pas_sql.adverse_events
WHERE recorded_on BETWEEN ? AND ?
ORDER BY id

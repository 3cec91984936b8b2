-- MediPAS PROM responses recorded in the month, in the PAS's own order. Only the columns
-- mappings/pas-sql/proms.json reads: names, contact details and free text stay in the database.
-- The two parameters are the period's first and last day, in that order.
SELECT
  site, response_ref, episode_no, hospital_no, proc_group, questionnaire, phase, completed_on,
  score, eq5d_profile
FROM pas_sql.proms
WHERE recorded_on BETWEEN ? AND ?
ORDER BY id

-- MediPAS PROM responses recorded in the month, in the PAS's own order. Only the columns
-- mappings/pas-sql/proms.json reads: names, contact details and free text stay in the database.
-- $1 and $2 are the period's first and last day.
SELECT
  site, response_ref, episode_no, hospital_no, proc_group, questionnaire, phase, completed_on,
  score, eq5d_profile
FROM pas_sql.proms
WHERE recorded_on BETWEEN $1 AND $2
ORDER BY id

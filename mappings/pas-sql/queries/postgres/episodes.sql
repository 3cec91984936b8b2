-- MediPAS episodes recorded in the month, in the PAS's own order. Only the columns
-- mappings/pas-sql/episodes.json reads: names, contact details and free text stay in the database.
-- $1 and $2 are the period's first and last day.
SELECT
  site, spell_no, episode_no, hospital_no, nhs_no, nhs_status, dob, sex, post_code, ethnic,
  admin_cat, payer, insurer_code, admit_date, admit_method, admit_source, pat_class, epi_start,
  epi_end, disch_date, disch_method, disch_dest, cons, specialty, diag1, diag2, diag3, diag4,
  diag5, diag6, diag7, diag8, diag9, diag10, diag11, diag12, diag13, diag14, diag15, diag16,
  diag17, diag18, diag19, diag20, proc1, proc1_date, proc2, proc3, proc4, proc5, proc6,
  proc_date2, proc_date3, proc_date4, proc_date5, proc_date6
FROM pas_sql.episodes
WHERE recorded_on BETWEEN $1 AND $2
ORDER BY id
